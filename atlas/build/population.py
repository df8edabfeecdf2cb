"""Population indicators from the TÜİK tables (district 2021/2023/2025, mahalle 2023, sex 2021,
voters by age 2018)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import values as V
from .areas import PROVINCE_CODE, match_mahalle_names
from ..catalogue import Catalogue
from ..errors import BuildError
from ..i18n import lazy
from ..names import Candidate, NameMatcher

NO_RESIDENTS_NOTE = {  # by the kind of a polygon that is not a mahalle
    "island": lazy.gettext("no resident population listed by TÜİK for this island"),
    "industrial_zone": lazy.gettext("no resident population listed by TÜİK for this industrial zone"),
    "free_zone": lazy.gettext("no resident population listed by TÜİK for this free zone"),
}
UNMATCHED_NOTE = lazy.gettext("no TÜİK 2023 mahalle row matched this polygon (renamed, merged or split since 2021?)")

POP_YEARS = ("2021", "2023", "2025")
ELDERLY_GROUPS = ("65-69", "70-74", "75+")


def _read_csv(path: Path, needed: set[str]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"ilce_id": str, "mahalle_id": str, "year": str})
    if not needed <= set(df.columns):
        raise BuildError(f"{path.name}: expected columns {sorted(needed)}, found {sorted(df.columns)}")
    return df


def _district_codes_by_name(districts: pd.DataFrame, names: pd.Series, file: str) -> pd.Series:
    """Map district names to codes with the Turkish-aware matcher; any miss fails the build."""
    matcher = NameMatcher([Candidate(c, n) for c, n in zip(districts["code"], districts["name"])])
    codes = []
    for name in names:
        m = matcher.match(name)
        if not m.matched:
            raise BuildError(f"{file}: district {name!r} matches no İzmir district "
                             f"(closest: {', '.join(m.suggestions) or 'none'})")
        codes.append(m.code)
    return pd.Series(codes, index=names.index)


def official_areas(path: Path) -> dict[str, float]:
    """HGM official district areas (km²) by TÜİK id, from the district population file."""
    df = _read_csv(path, {"ilce_id", "area_km2_hgm"})
    return {str(k): float(v) for k, v in df.groupby("ilce_id")["area_km2_hgm"].first().items()}


def district_population(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str) -> pd.DataFrame:
    df = _read_csv(path, {"year", "ilce", "ilce_id", "population", "area_km2_hgm"})
    districts = areas[areas["level"] == "district"]
    codes = set(districts["code"])
    by_name = _district_codes_by_name(districts, df["ilce"], path.name)
    mismatch = df[by_name != df["ilce_id"]]
    if not mismatch.empty:
        row = mismatch.iloc[0]
        raise BuildError(f"{path.name}: district {row['ilce']!r} has id {row['ilce_id']} but the crosswalk says "
                         f"{by_name[mismatch.index[0]]}")
    frames = []
    pop, dens, change = cat.get("pop_total"), cat.get("pop_density"), cat.get("pop_change")
    for year in POP_YEARS:
        y = df[df["year"] == year]
        if set(y["ilce_id"]) != codes:
            raise BuildError(f"{path.name}: year {year} does not list all 30 districts once")
        frames.append(V.frame(pop, "district", year, source_id,
                              [{"area_code": c, "value": p} for c, p in zip(y["ilce_id"], y["population"])]))
        frames.append(V.frame(dens, "district", year, source_id, [
            {"area_code": c, "value": p / a, "numerator": p, "denominator": a}
            for c, p, a in zip(y["ilce_id"], y["population"], y["area_km2_hgm"])]))
        total, area = float(y["population"].sum()), float(y["area_km2_hgm"].sum())
        frames.append(V.frame(pop, "province", year, source_id, [{"area_code": PROVINCE_CODE, "value": total}]))
        frames.append(V.frame(dens, "province", year, source_id, [
            {"area_code": PROVINCE_CODE, "value": total / area, "numerator": total, "denominator": area}]))
    wide = df.pivot(index="ilce_id", columns="year", values="population")
    change_rows = [{"area_code": c, "value": (r["2025"] - r["2021"]) / r["2021"] * change.scale,
                    "numerator": r["2025"] - r["2021"], "denominator": r["2021"]} for c, r in wide.iterrows()]
    frames.append(V.frame(change, "district", "2021-2025", source_id, change_rows))
    t21, t25 = wide["2021"].sum(), wide["2025"].sum()
    frames.append(V.frame(change, "province", "2021-2025", source_id, [
        {"area_code": PROVINCE_CODE, "value": (t25 - t21) / t21 * change.scale, "numerator": t25 - t21,
         "denominator": t21}]))
    return V.concat(frames)


def mahalle_population(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mahalle population and density 2023, and the name-match report."""
    df = _read_csv(path, {"year", "ilce", "ilce_id", "mahalle", "mahalle_id", "population"})
    mahalle = areas[areas["level"] == "mahalle"]
    unknown = sorted(set(df["ilce_id"]) - set(areas.loc[areas["level"] == "district", "code"]))
    if unknown:
        raise BuildError(f"{path.name}: unknown district ids {', '.join(unknown)}")
    matches = match_mahalle_names(df, mahalle, name_col="mahalle", district_col="ilce_id",
                                  code_col="mahalle_id", weight_col="population")
    matches.insert(0, "source_id", source_id)
    matches.insert(1, "level", "mahalle")
    matched = matches.dropna(subset=["area_code"]).set_index("area_code")
    pop, dens = cat.get("pop_total"), cat.get("pop_density")
    pop_rows, dens_rows = [], []
    for code, kind, area in zip(mahalle["code"], mahalle["kind"], mahalle["area_km2"]):
        if code in matched.index:
            p = float(matched.at[code, "weight"])
            pop_rows.append({"area_code": code, "value": p})
            dens_rows.append({"area_code": code, "value": p / area, "numerator": p, "denominator": area})
        elif kind != "mahalle":
            note = NO_RESIDENTS_NOTE[kind]
            pop_rows.append({"area_code": code, "status": "not_applicable", "note": note})
            dens_rows.append({"area_code": code, "status": "not_applicable", "note": note})
        else:
            note = UNMATCHED_NOTE
            pop_rows.append({"area_code": code, "status": "missing", "note": note})
            dens_rows.append({"area_code": code, "status": "missing", "note": note})
    return V.concat([V.frame(pop, "mahalle", "2023", source_id, pop_rows),
                     V.frame(dens, "mahalle", "2023", source_id, dens_rows)]), matches


def sex_ratio(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str) -> pd.DataFrame:
    df = _read_csv(path, {"year", "ilce", "ilce_id", "population", "male", "female"})
    if (df["male"] + df["female"] != df["population"]).any():
        raise BuildError(f"{path.name}: male + female differs from population in some rows")
    ind = cat.get("sex_ratio")
    districts = areas[areas["level"] == "district"]
    codes = _district_codes_by_name(districts, df["ilce"], path.name)
    rows = [{"area_code": c, **V.split_ratio(m, f, ind.scale)} for c, m, f in zip(codes, df["male"], df["female"])]
    province = [{"area_code": PROVINCE_CODE, **V.split_ratio(df["male"].sum(), df["female"].sum(), ind.scale)}]
    return V.concat([V.frame(ind, "district", "2021", source_id, rows),
                     V.frame(ind, "province", "2021", source_id, province)])


def adults_65plus(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str) -> pd.DataFrame:
    df = _read_csv(path, {"year", "ilce", "age_group", "total"})
    unknown_groups = sorted(set(ELDERLY_GROUPS) - set(df["age_group"]))
    if unknown_groups:
        raise BuildError(f"{path.name}: age groups {unknown_groups} not found; have {sorted(set(df['age_group']))}")
    ind = cat.get("adults_65plus_share")
    districts = areas[areas["level"] == "district"]
    df = df.assign(code=_district_codes_by_name(districts, df["ilce"], path.name),
                   elderly=df["age_group"].isin(ELDERLY_GROUPS) * df["total"])
    sums = df.groupby("code")[["elderly", "total"]].sum()
    if len(sums) != 30:
        raise BuildError(f"{path.name}: expected 30 districts, found {len(sums)}")
    rows = [{"area_code": c, **V.proportion(r["elderly"], r["total"], ind.scale)} for c, r in sums.iterrows()]
    tot = sums.sum()
    province = [{"area_code": PROVINCE_CODE, **V.proportion(tot["elderly"], tot["total"], ind.scale)}]
    return V.concat([V.frame(ind, "district", "2018", source_id, rows),
                     V.frame(ind, "province", "2018", source_id, province)])
