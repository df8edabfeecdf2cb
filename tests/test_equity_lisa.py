"""Local Moran on a synthetic lattice: a planted hot spot, an island, the rate variant, FDR."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from atlas.equity.lisa import LisaNotPossible, bh_qvalues, local_moran

SIDE = 10
HOT = {(r, c) for r in range(3, 6) for c in range(3, 6)}  # a 3×3 block in the middle


def _lattice(values, extra=()):
    """10×10 unit squares (row r, column c → code 'r-c') with the given values, plus extra rows."""
    rows = [{"area_code": f"{r}-{c}", "value": values[r, c], "geometry": box(c, r, c + 1, r + 1)}
            for r in range(SIDE) for c in range(SIDE)]
    rows += list(extra)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry")


def _planted(seed=5):
    rng = np.random.default_rng(seed)
    values = rng.normal(10, 1, (SIDE, SIDE))
    for r, c in HOT:
        values[r, c] = 20 + rng.normal(0, 0.5)
    return values


HOT_CODES = {f"{r}-{c}" for r, c in HOT}
#: the 16 cells around the block: a neighbour that is itself above the mean is also HH (spill-over)
RING = {f"{r}-{c}" for r in range(2, 7) for c in range(2, 7)} - HOT_CODES


def test_planted_hot_spot_is_found():
    result = local_moran(_lattice(_planted()))
    hh = set(result.frame.loc[result.frame["cluster"] == "HH", "area_code"])
    assert HOT_CODES <= hh <= HOT_CODES | RING
    assert result.islands == ()
    assert result.moran_i > 0.2 and result.moran_p <= 0.01
    assert result.method == "moran_local" and result.n_tested == 100
    # the centre cell has 8 neighbours, a corner cell of the lattice 3
    nb = result.frame.set_index("area_code")["n_neighbours"]
    assert nb["4-4"] == 8 and nb["0-0"] == 3


def test_same_seed_same_answer_and_global_random_state_untouched():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = local_moran(_lattice(_planted()), seed=42)
    after = np.random.get_state()[1]
    assert (before == after).all()
    b = local_moran(_lattice(_planted()), seed=42)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    c = local_moran(_lattice(_planted()), seed=43)
    assert not np.array_equal(a.frame["p_sim"].to_numpy(), c.frame["p_sim"].to_numpy())


def _island(value=10.0):
    return {"area_code": "island", "value": value, "geometry": box(14, 4, 15, 5)}  # 4 units east of column 9


def test_an_island_is_reported_and_linked_to_its_nearest_area():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no island warning escapes: it is reported instead
        result = local_moran(_lattice(_planted(), [_island()]))
    assert result.islands == ("island",)
    assert result.island_links == (("island", "4-9"),)
    row = result.frame.set_index("area_code").loc["island"]
    assert row["linked_to"] == "4-9" and row["n_neighbours"] == 1 and row["cluster"] != "island"
    assert any("linked" in n.get("en") for n in result.notes)


def test_an_island_can_be_excluded_instead():
    result = local_moran(_lattice(_planted(), [_island()]), islands="exclude")
    assert result.islands == ("island",) and result.island_links == ()
    row = result.frame.set_index("area_code").loc["island"]
    assert row["cluster"] == "island" and np.isnan(row["p_sim"])
    assert result.n_tested == 100
    assert result.counts()["HH"] == local_moran(_lattice(_planted())).counts()["HH"]


def test_areas_without_value_are_no_value_and_can_make_islands():
    values = _planted()
    # cell 0-0 loses its value; cell 9-9 is cut off by removing its three neighbours' values
    values[0, 0] = np.nan
    for r, c in ((8, 8), (8, 9), (9, 8)):
        values[r, c] = np.nan
    result = local_moran(_lattice(values))
    clusters = result.frame.set_index("area_code")["cluster"]
    assert clusters["0-0"] == "no_value" and result.counts()["no_value"] == 4
    assert result.islands == ("9-9",)


def test_status_column_is_respected():
    gdf = _lattice(_planted())
    gdf["status"] = "ok"
    gdf.loc[gdf["area_code"] == "0-0", "status"] = "suppressed"
    result = local_moran(gdf)
    assert result.frame.set_index("area_code").loc["0-0", "cluster"] == "no_value"


def test_rate_standardised_variant_finds_the_hot_spot():
    rng = np.random.default_rng(8)
    base = rng.integers(2000, 4000, (SIDE, SIDE)).astype(float)
    risk = np.full((SIDE, SIDE), 0.01)
    for r, c in HOT:
        risk[r, c] = 0.03
    events = rng.poisson(risk * base).astype(float)
    gdf = _lattice(events / base * 1000)
    gdf["numerator"] = events.ravel()
    gdf["denominator"] = base.ravel()
    result = local_moran(gdf, events="numerator", base="denominator")
    assert result.method == "moran_local_rate"
    hh = set(result.frame.loc[result.frame["cluster"] == "HH", "area_code"])
    assert "4-4" in hh and hh <= HOT_CODES | RING
    assert len(hh & HOT_CODES) >= 7


def test_fdr_is_stricter_and_q_values_are_benjamini_hochberg():
    plain = local_moran(_lattice(_planted()))
    strict = local_moran(_lattice(_planted()), fdr=True)
    assert strict.cutoff < plain.cutoff == 0.05
    assert strict.frame["significant"].sum() <= plain.frame["significant"].sum()
    assert set(strict.frame.loc[strict.frame["cluster"] == "HH", "area_code"]) <= \
        set(plain.frame.loc[plain.frame["cluster"] == "HH", "area_code"])
    # BH by hand: p = 0.01, 0.04, 0.03, 0.20 (n = 4) → sorted 0.01, 0.03, 0.04, 0.20 scaled by n/rank
    # 0.04, 0.06, 0.0533, 0.20 → running minimum from the top: 0.04, 0.0533, 0.0533, 0.20
    assert bh_qvalues(np.array([0.01, 0.04, 0.03, 0.20])) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_random_values_give_few_false_spots():
    rng = np.random.default_rng(99)
    result = local_moran(_lattice(rng.normal(size=(SIDE, SIDE))), fdr=True)
    assert result.frame["significant"].sum() <= 3


def test_not_possible_and_bad_options():
    with pytest.raises(LisaNotPossible, match="all 100 tested values are equal"):
        local_moran(_lattice(np.full((SIDE, SIDE), 3.0)))
    few = np.full((SIDE, SIDE), np.nan)
    few[0, :2] = [1, 2]
    with pytest.raises(LisaNotPossible, match="at least 3"):
        local_moran(_lattice(few))
    with pytest.raises(ValueError, match="islands must be"):
        local_moran(_lattice(_planted()), islands="drop")
    with pytest.raises(ValueError, match="no column 'rate'"):
        local_moran(_lattice(_planted()), value="rate")
    with pytest.raises(ValueError, match="both events= and base="):
        local_moran(_lattice(_planted()), events="value")
