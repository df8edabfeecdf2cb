"""Smoke checks of the equity statistics on the real database (built once from ../shared/data)."""

import math
import re

import duckdb
import pytest

from atlas.catalogue import load_catalogue
from atlas.equity.benchmark import benchmark_level
from atlas.equity.lisa import indicator_lisa
from atlas.equity.measures import Measure
from atlas.equity.stratify import district_groups, quantile_groups
from atlas.equity.summary import NotApplicable, summary_measures
from atlas.frames.map_frame import izmir_value
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
    assert results["d"].ci_method == "analytic" and results["bgv"].ci_method == "analytic"
    assert results["mdm_w"].ci_method == "simulation"
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
    result = indicator_lisa(con, catalogue.get("lst_summer_mean"), "2014-2024")
    counts = result.counts()
    assert counts["HH"] > 0 and counts["LL"] > 0
    assert counts["no_value"] > 1000  # the grid covers central İzmir only
    assert len(result.islands) == len(result.island_links)  # every island reported and linked
    assert math.isfinite(result.moran_i) and result.moran_i > 0


def test_lisa_on_every_mahalle(con, catalogue):
    # (speed is measured by bench/, never asserted in a test)
    result = indicator_lisa(con, catalogue.get("pop_density"), "2023")
    assert result.n_tested > 1200


# --- the whole catalogue: every indicator × level with values, latest period, TR and EN ----------

_TR_DECIMAL_POINT = re.compile(r"\d\.(\d{1,2}|\d{4,})(?!\d)")  # Turkish groups thousands with a dot: 1.234
_EN_DECIMAL_COMMA = re.compile(r"\d,(\d{1,2}|\d{4,})(?!\d)")  # English groups thousands with a comma: 1,234
_PLACEHOLDERS = re.compile(r"\b(nan|NaN|None|inf)\b|[{}]|  | [.,]|\(\)")  # unfilled or empty slots


def _check_text(text: str, lang: str, where: str) -> None:
    assert text and text == text.strip(), where
    assert not _PLACEHOLDERS.search(text), f"{where}: placeholder in {text!r}"
    pattern = _TR_DECIMAL_POINT if lang == "tr" else _EN_DECIMAL_COMMA
    assert not pattern.search(text), f"{where}: number not in {lang} format: {text!r}"


def _latest_views(con):
    views = queries.run(con, "list_indicator_views")
    for (indicator_id, level), rows in views.groupby(["indicator_id", "level"]):
        yield indicator_id, level, str(rows.sort_values("period_sort").iloc[-1]["period"])


def test_equity_report_of_every_indicator_level_and_language(con, catalogue):
    """The report the Equity page, the CLI and the atlas PDF print, for the whole real catalogue:
    no exception, a summary a planner can quote in both languages (numbers and units of the
    language, percentages' gaps in percentage points, nothing unfilled), every measure computed or
    explained, a ranking, hot spots or why not, potential gain or why not."""
    from atlas.equity.report import equity_report

    seen = []
    for indicator_id, level, period in _latest_views(con):
        ind = catalogue.get(indicator_id)
        r = equity_report(con, ind, period, level)
        where = f"{indicator_id}/{level}/{period}"
        seen.append(where)
        for lang in ("tr", "en"):
            text = r.summary.get(lang)
            _check_text(text, lang, f"{where} {lang}")
            assert text.endswith("."), where
            assert ind.title.get(lang) in text, where
            for note in (r.groups.notes if r.groups is not None else ()):  # printed under the summary
                _check_text(note.get(lang), lang, f"{where} note {lang}")
                assert not re.search(r"\b(district|mahalle areas)\b", note.get("tr")), where  # no English in Turkish
            if r.groups is not None and ind.unit.get(lang) == "%":
                assert {"tr": "yüzde puan", "en": "percentage points"}[lang] in text, where
                assert not re.search(r"(fark %|gap of [\d.,]+%)", text), where
        # the 21 HEAT measures: each computed (finite, with a CI exactly when the groups have SEs)
        # or listed with the rule and a reason in both languages
        assert len(r.measures) == 21, where
        has_se = r.groups is not None and all(s is not None for s in r.groups.se)
        for m in r.measures:
            if isinstance(m, Measure):
                assert math.isfinite(m.value), (where, m.id)
                if m.ci_method == "analytic" or has_se:
                    assert m.has_ci and m.lower <= m.upper, (where, m.id)
                else:
                    assert not m.has_ci, (where, m.id)
            else:
                assert isinstance(m, NotApplicable) and m.rule, (where, m.id)
                for lang in ("tr", "en"):
                    _check_text(m.reason.get(lang), lang, f"{where} {m.id} {lang}")
        # ranking with a verdict for every area; when none could be tested, the summary says why
        assert len(r.ranking) > 0 and r.ranking["verdict_95"].notna().all(), where
        if not r.ranking["verdict_95"].isin(["better", "similar", "worse", "higher", "lower"]).any():
            assert ("karşılaştırıl" in r.summary.get("tr")) and ("compared" in r.summary.get("en")), where
        # hot spots at mahalle level (or the reason), never at district level
        if level == "mahalle":
            assert r.lisa is not None or r.lisa_problem is not None, where
        else:
            assert r.lisa is None and "mahalle" in r.lisa_problem.get("en"), where
        # potential gain exactly when the indicator says which direction is better
        if ind.polarity == "no_judgement":
            assert r.gain.empty and r.gain_target is None, where
        else:
            assert len(r.gain) == len(r.ranking) and math.isfinite(r.gain_target), where
            assert (r.gain["gain"] >= 0).all(), where
    assert len(seen) >= 12, seen  # 9 indicators, 12 indicator × level pairs in the real build
