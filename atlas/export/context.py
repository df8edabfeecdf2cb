"""What a snapshot shows besides the map view itself: its sources and licences (of the values and
of the boundaries), the district layer (outlines over a mahalle map, labels, zoom and the province
inset) and when the database was built.

``load_context(con, mv)`` reads them from the database (the ``sources`` table is where the
HDX/HGM boundary terms live). ``context_from_view(mv)`` is the fallback when no database is at
hand: the indicator's own source and licence, the boundary entries of ``geodata/sources.toml``
and districts taken from the view's areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from .. import queries
from ..views.map_view import MapView
from ..build.sources import load_manifest

#: Boundary sources by level when the database cannot say (see geodata/sources.toml).
BOUNDARY_SOURCE_IDS = {"district": ("hdx_districts",), "mahalle": ("tgj_mahalle", "hdx_districts")}


@dataclass(frozen=True)
class SourceNote:
    """One source of a view, its texts in the view's language. ``role`` is ``data`` or ``boundaries``."""

    role: str
    source_id: str
    title: str
    url: str
    licence: str
    attribution: str
    sha256: str | None = None


@dataclass(frozen=True)
class ExportContext:
    """Sources, district layer (``area_code``, ``name``, geometry in EPSG:4326) and build time."""

    data_sources: tuple[SourceNote, ...]
    boundary_sources: tuple[SourceNote, ...]
    districts: gpd.GeoDataFrame
    built_at: str | None = None

    @property
    def sources(self) -> tuple[SourceNote, ...]:
        return self.data_sources + self.boundary_sources


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run ``queries/<name>.sql``."""
    return queries.run(con, name, params or {})


def _notes(df: pd.DataFrame, role: str) -> tuple[SourceNote, ...]:
    rows = df[df["role"] == role]
    return tuple(SourceNote(role, r.source_id, r.title, r.url, r.licence, r.attribution,
                            r.sha256 if isinstance(r.sha256, str) else None) for r in rows.itertuples())


def load_context(con: duckdb.DuckDBPyConnection, mv: MapView) -> ExportContext:
    """The context of ``mv`` from the database ``con`` (a connection or a cursor)."""
    src = run_sql(con, "list_view_sources", {"indicator_id": mv.indicator.id, "period": mv.period,
                                              "level": mv.level, "lang": mv.lang})
    dist = run_sql(con, "list_district_outlines")
    geoms = shapely.from_wkb([bytes(b) for b in dist.pop("geom_display_wkb")])
    districts = gpd.GeoDataFrame(dist, geometry=geoms, crs="EPSG:4326")
    built = run_sql(con, "get_build_time")
    built_at = str(built["built_at"].iloc[0]) if not built.empty else None
    return ExportContext(_notes(src, "data"), _notes(src, "boundaries"), districts, built_at)


def context_from_view(mv: MapView) -> ExportContext:
    """A context built from the view alone (no database): see the module docstring."""
    ind = mv.indicator
    data = (SourceNote("data", ind.id, ind.source.get(mv.lang), ind.source_url, ind.licence.get(mv.lang),
                       ind.source.get(mv.lang)),)
    try:
        manifest = load_manifest()
    except (OSError, ValueError):
        manifest = {}
    bounds = tuple(SourceNote("boundaries", s.id, s.title.get(mv.lang), s.url, s.licence.get(mv.lang),
                              s.attribution.get(mv.lang))
                   for sid in BOUNDARY_SOURCE_IDS.get(mv.level, ()) if (s := manifest.get(sid)) is not None)
    frame = mv.frame
    if mv.level == "district":
        districts = gpd.GeoDataFrame(frame[["area_code", "name"]].copy(), geometry=frame.geometry.values,
                                     crs=frame.crs)
    else:
        groups = frame.groupby("district_code", sort=True)
        rows = [(code, g["district_name"].iloc[0], shapely.coverage_union_all(g.geometry.values))
                for code, g in groups]
        districts = gpd.GeoDataFrame(pd.DataFrame([r[:2] for r in rows], columns=["area_code", "name"]),
                                     geometry=[r[2] for r in rows], crs=frame.crs)
    return ExportContext(data, bounds, districts, None)
