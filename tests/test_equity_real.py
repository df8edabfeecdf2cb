"""Smoke checks of the equity statistics on the real database (built once from ../shared/data)."""

import math
import time

import duckdb
import pytest

from atlas.catalogue import load_catalogue
from atlas.equity.benchmark import benchmark_level
from atlas.equity.lisa import indicator_lisa
from atlas.equity.measures import Measure
from atlas.equity.stratify import district_groups, quantile_groups
from atlas.equity.summary import NotApplicable, summary_measures
from atlas.mapdata import izmir_value
from atlas.mapping.classify import classify
from atlas import queries


@pytest.fixture(scope="module")
def con(real_db):
    c = duckdb.connect(str(real_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _by_id(results):
    return {r.id: r for r in results}


def test_lst_across_svi_quintiles(con):
    g = quantile_groups(con, "lst_summer_mean", "2014-2024", "svi_mean")
    assert g.n_groups == 5 and g.ordered and all(v is not None and math.isfinite(v) for v in g.values)
    assert g.population_period == "2023" and g.value_method == "weighted_mean"
    total = sum(g.populations)
    assert all(0.15 < p / total < 0.25 for p in g.populations)  # about a fifth of the population each
    results = _by_id(summary_measures(g))
    for mid in ("d", "sii", "aci", "bgv", "theil"):
        assert isinstance(results[mid], Measure) and math.isfinite(results[mid].value)
    # grid means carry no CI, so no CI is invented for the gaps either
    assert results["d"].ci_method == "none" and results["sii"].ci_method == "none"
    assert not any(isinstance(r, NotApplicable) for r in results.values())


def test_population_change_across_districts(con):
    g = district_groups(con, "pop_change", "2021-2025")
    assert g.n_groups == 30 and not g.ordered and g.population_period == "2025"
    results = _by_id(summary_measures(g))
    for mid in ("d", "bgv", "bgsd", "mdm_w", "mdm_u"):  # the unordered absolute measures
        assert isinstance(results[mid], Measure) and math.isfinite(results[mid].value)
    for mid in ("sii", "rii", "aci", "rci"):
        assert results[mid].rule == "needs_order"
    for mid in ("r", "cov", "idis", "theil", "mld"):  # some districts lost population
        assert results[mid].rule == "non_positive_value"
    for mid in ("mdb", "par", "paf"):  # population change has no polarity
        assert results[mid].rule == "no_polarity"


def test_a_proportion_across_districts_has_cis(con):
    g = district_groups(con, "adults_65plus_share", "2018")
    assert g.value_method == "counts" and all(s is not None for s in g.se)
    results = _by_id(summary_measures(g))
    assert results["d"].ci_method == "analytic" and results["bgv"].ci_method == "simulation"
    assert results["d"].lower < results["d"].value < results["d"].upper


def test_benchmark_agrees_with_the_map_on_real_districts(con, catalogue):
    ind = catalogue.get("adults_65plus_share")
    ours = benchmark_level(con, ind, "2018", "district")
    frame = queries.run(con, "list_level_values", {"indicator_id": ind.id, "period": "2018", "level": "district"})
    cls = classify(frame["value"].tolist(), "compare_izmir", 3, lower=frame["lower_ci"].tolist(),
                   upper=frame["upper_ci"].tolist(), benchmark=izmir_value(con, ind.id, "2018").value,
                   polarity=ind.polarity)
    assert list(ours["verdict_95"]) == [cls.categories[c] for c in cls.classes]
    assert (ours["verdict_998"] == "similar").sum() >= (ours["verdict_95"] == "similar").sum()


def test_lisa_of_summer_temperature_at_mahalle(con, catalogue):
    indicator_lisa(con, catalogue.get("lst_summer_mean"), "2014-2024")  # warm up imports and caches
    start = time.perf_counter()
    result = indicator_lisa(con, catalogue.get("lst_summer_mean"), "2014-2024")
    elapsed = time.perf_counter() - start
    counts = result.counts()
    assert counts["HH"] > 0 and counts["LL"] > 0
    assert counts["no_value"] > 1000  # the grid covers central İzmir only
    assert len(result.islands) == len(result.island_links)  # every island reported and linked
    assert math.isfinite(result.moran_i) and result.moran_i > 0
    assert elapsed < 2.0


def test_lisa_on_every_mahalle_is_fast(con, catalogue):
    start = time.perf_counter()
    result = indicator_lisa(con, catalogue.get("pop_density"), "2023")
    assert time.perf_counter() - start < 2.0
    assert result.n_tested > 1200
