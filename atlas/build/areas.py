"""The areas of the atlas: province, 30 districts (HDX) and the mahalle (TurkeyGeoJSON).

Codes (documented in docs/data-model.md):

* district: the TÜİK ilçe id (e.g. Aliağa ``1128``), with the HDX pcode kept in ``hdx_pcode``;
* mahalle: the TurkeyGeoJSON ``quarterId``, tied to its district through the source's
  ``townId`` and the crosswalk; ``tuik_code`` holds the TÜİK mahalle id once matched;
* province: ``35`` (İzmir's plate and TÜİK province code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import geometry as geo
from ..errors import BuildError
from ..names import Candidate, display_name, fold, match_key, match_many

PROVINCE_CODE = "35"
KINDS = ("mahalle", "island", "industrial_zone", "free_zone")
_SUFFIXED = re.compile(r"\s(Mh|Mah|Mahallesi)\.?\s*$", re.IGNORECASE)


def classify_kind(name: str) -> str:
    """island / industrial_zone / free_zone / mahalle, from a TurkeyGeoJSON feature name."""
    words = fold(name).replace(".", " ").split()
    if "osb" in words or "organize sanayi" in " ".join(words):
        return "industrial_zone"
    if "sb" in words or "serbest bolge" in " ".join(words) or "serbest bolgesi" in " ".join(words):
        return "free_zone"
    if not _SUFFIXED.search(name) and words and re.search(r"ada(si|lari|lar)?$", words[-1]):
        return "island"
    return "mahalle"


@dataclass(frozen=True)
class GeometryStats:
    repaired: int
    raw: geo.SizeReport
    display: geo.SizeReport


def read_crosswalk(path: Path) -> pd.DataFrame:
    cw = pd.read_csv(path, dtype=str)
    needed = {"ilce", "tuik_ilce_id", "hdx_pcode", "turkeygeojson_townId"}
    if not needed <= set(cw.columns):
        raise BuildError(f"{path.name}: expected columns {sorted(needed)}, found {sorted(cw.columns)}")
    if len(cw) != 30:
        raise BuildError(f"{path.name}: expected 30 districts, found {len(cw)}")
    return cw


def _frame(level, codes, names, parents, kinds, geoms: gpd.GeoSeries, display: gpd.GeoSeries, source_id,
           **extra) -> pd.DataFrame:
    centroids = geoms.to_crs(geo.UTM35N).representative_point().to_crs(geo.WGS84)
    df = pd.DataFrame({
        "level": level,
        "code": list(codes),
        "name": list(names),
        "name_key": [match_key(n) for n in names],
        "parent_code": list(parents),
        "kind": list(kinds),
        "hdx_pcode": extra.get("hdx_pcode"),
        "tuik_code": extra.get("tuik_code"),
        "area_km2": geo.area_km2(geoms),
        "area_km2_official": extra.get("area_km2_official"),
        "centroid_lon": centroids.x.to_numpy(),
        "centroid_lat": centroids.y.to_numpy(),
        "geom_wkb": geo.to_wkb(geoms),
        "geom_display_wkb": geo.to_wkb(display),
        "source_id": source_id,
    })
    return df


def build_districts(layer: Path, crosswalk: pd.DataFrame, source_id: str,
                    official_km2: dict[str, float] | None = None) -> tuple[pd.DataFrame, GeometryStats]:
    """The 30 districts; ``official_km2`` (TÜİK id → HGM area) fills ``area_km2_official``."""
    gdf = geo.to_wgs84(geo.read_layer(layer), layer.name)
    if "pcode" not in gdf.columns:
        raise BuildError(f"{layer.name}: expected a 'pcode' column (HDX COD-AB ADM2), found {list(gdf.columns)}")
    merged = gdf.merge(crosswalk, left_on="pcode", right_on="hdx_pcode", how="left", suffixes=("_layer", ""))
    unknown = merged[merged["tuik_ilce_id"].isna()]
    if len(merged) != 30 or not unknown.empty:
        raise BuildError(
            f"{layer.name}: expected the 30 İzmir districts with pcodes in the crosswalk; "
            f"found {len(merged)} features, unknown pcodes: {', '.join(unknown['pcode'].astype(str)) or 'none'}"
        )
    geoms, repaired = geo.repair(merged.geometry.set_crs(geo.WGS84, allow_override=True))
    display = geo.simplify_coverage(geoms)
    df = _frame("district", merged["tuik_ilce_id"], merged["ilce"], [PROVINCE_CODE] * 30, ["district"] * 30,
                geoms, display, source_id, hdx_pcode=merged["pcode"].to_list(),
                tuik_code=merged["tuik_ilce_id"].to_list(),
                area_km2_official=[(official_km2 or {}).get(c) for c in merged["tuik_ilce_id"]])
    return df, GeometryStats(repaired, geo.size_of(geoms), geo.size_of(display))


def build_province(districts: pd.DataFrame, source_id: str) -> pd.DataFrame:
    geoms = gpd.GeoSeries(shapely.from_wkb(districts["geom_wkb"].to_list()), crs=geo.WGS84)
    union = gpd.GeoSeries([geo.polygonal(shapely.union_all(geoms.values))], crs=geo.WGS84)
    display = gpd.GeoSeries([shapely.union_all(shapely.from_wkb(districts["geom_display_wkb"].to_list()))],
                            crs=geo.WGS84)
    return _frame("province", [PROVINCE_CODE], ["İzmir"], [None], ["province"], union, display, source_id,
                  tuik_code=[PROVINCE_CODE])


def build_mahalle(layer: Path, crosswalk: pd.DataFrame, source_id: str) -> tuple[pd.DataFrame, GeometryStats]:
    gdf = geo.to_wgs84(geo.read_layer(layer), layer.name)
    for col in ("name", "townId", "quarterId"):
        if col not in gdf.columns:
            raise BuildError(f"{layer.name}: expected a '{col}' column (TurkeyGeoJSON quarters), found {list(gdf.columns)}")
    town_to_tuik = dict(zip(crosswalk["turkeygeojson_townId"].astype(str), crosswalk["tuik_ilce_id"]))
    parents = gdf["townId"].astype(str).map(town_to_tuik)
    if parents.isna().any():
        bad = sorted(gdf.loc[parents.isna(), "townId"].astype(str).unique())
        raise BuildError(f"{layer.name}: townId not in the crosswalk: {', '.join(bad)}")
    codes = gdf["quarterId"].astype(str)
    if codes.duplicated().any():
        raise BuildError(f"{layer.name}: duplicate quarterId {codes[codes.duplicated()].iloc[0]}")
    geoms, repaired = geo.repair(gdf.geometry)
    if geoms.isna().any():
        raise BuildError(f"{layer.name}: {int(geoms.isna().sum())} features have no polygon after repair")
    display = geo.simplify_coverage(geoms)
    names = [display_name(n) for n in gdf["name"]]
    df = _frame("mahalle", codes, names, parents, [classify_kind(n) for n in gdf["name"]], geoms, display,
                source_id)
    return df, GeometryStats(repaired, geo.size_of(geoms), geo.size_of(display))


def match_mahalle_names(rows: pd.DataFrame, mahalle: pd.DataFrame, *, name_col: str, district_col: str,
                        code_col: str | None = None, weight_col: str | None = None) -> pd.DataFrame:
    """Match source rows (district code + mahalle name) to mahalle polygons, within each district.

    Returns one row per input row: district_code, source_name, source_code, area_code (None if
    unmatched), method, weight, suggestions. Only kind 'mahalle' polygons are candidates.
    """
    out = []
    candidates = mahalle[mahalle["kind"] == "mahalle"]
    for district, group in rows.groupby(district_col, sort=True):
        cands = [Candidate(c, n) for c, n in zip(candidates.loc[candidates["parent_code"] == district, "code"],
                                                candidates.loc[candidates["parent_code"] == district, "name"])]
        results = match_many(group[name_col].tolist(), cands)
        for (_, row), res in zip(group.iterrows(), results):
            out.append({
                "district_code": str(district),
                "source_name": row[name_col],
                "source_code": None if code_col is None else str(row[code_col]),
                "area_code": res.code,
                "method": res.method,
                "weight": None if weight_col is None else float(row[weight_col]),
                "suggestions": "; ".join(res.suggestions) or None,
            })
    return pd.DataFrame(out)
