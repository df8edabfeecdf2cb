"""A synthetic atlas database with 30,000 'mahalle' polygons, for the map benchmark only.

Nothing here is real data and the app never uses it outside ``bench/``: every area is called
"Sentetik …", the one source is "synthetic benchmark data", and the database is written to the
path given (the benchmark puts it into a temporary folder).

What is built (``build(path, n_areas=30000)``), with the project's own schema and loader
(``atlas.db.create_schema`` and ``atlas.db.insert_frame``), seeded so every run is identical:

* 30,000 mahalle: the Voronoi cells of random points over İzmir's extent (lon 26.6–28.2,
  lat 38.0–39.2), ~7 coordinates per cell in the display geometry (``geom_display_wkb``,
  about 210,000 coordinates in all, 2.7 times the real mahalle display layer) and ~31 in the
  "raw" geometry (``geom_wkb``: every edge split into pieces of at most 0.0012°). Both get the
  same small deterministic wiggle (a function of the coordinates, so neighbours keep sharing
  their edges), so the raw edges are not straight lines that a renderer could drop.
* 30 districts (a 6 × 5 grid of rectangles) and the province; each mahalle belongs to the
  district its seed point falls in.
* 4 indicators (``synthetic_a`` … ``synthetic_d``), district and mahalle, periods 2024 and 2025:
  smooth random fields plus noise, about 2 % of mahalle values 'missing'; the district value is
  the mean of its mahalle.

    .venv/bin/python bench/synthetic.py /tmp/synthetic.duckdb [--areas 30000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from atlas import queries  # noqa: E402
from atlas.catalogue import Disclosure, Indicator, Text  # noqa: E402
from atlas.db import create_schema, insert_frame  # noqa: E402
from atlas.names import match_key  # noqa: E402

SOURCE_ID = "synthetic_benchmark"
SOURCE_TITLE = "synthetic benchmark data"
EXTENT = (26.6, 38.0, 28.2, 39.2)  # west, south, east, north (İzmir, WGS84)
DISTRICT_GRID = (6, 5)  # columns, rows
RAW_SEGMENT = 0.0012  # degrees: the raw geometry's longest edge piece
WIGGLE = 0.00015  # degrees (~15 m)
PERIODS = ("2024", "2025")
INDICATORS = (
    # id, Turkish title, English title, value type, unit, polarity
    ("synthetic_a", "Sentetik gösterge A", "Synthetic indicator A", "score", ("puan", "points"), "lower_is_better"),
    ("synthetic_b", "Sentetik gösterge B", "Synthetic indicator B", "proportion", ("%", "%"), "higher_is_better"),
    ("synthetic_c", "Sentetik gösterge C", "Synthetic indicator C", "mean", ("°C", "°C"), "lower_is_better"),
    ("synthetic_d", "Sentetik gösterge D", "Synthetic indicator D", "density", ("kişi/km²", "people/km²"),
     "no_judgement"),
)


def _wiggle(xy: np.ndarray) -> np.ndarray:
    x, y = xy[:, 0], xy[:, 1]
    return np.column_stack([x + WIGGLE * np.sin(2100.0 * y + 900.0 * x),
                            y + WIGGLE * np.sin(1700.0 * x - 1300.0 * y)])


def _cells(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Seed points (n × 2) and their Voronoi cells clipped to the extent, in the points' order."""
    west, south, east, north = EXTENT
    pts = np.column_stack([rng.uniform(west, east, n), rng.uniform(south, north, n)])
    env = shapely.box(*EXTENT)
    vor = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=env, ordered=True)
    cells = shapely.intersection(np.asarray(shapely.get_parts(vor)), env)
    return pts, cells


def _field(pts: np.ndarray, rng: np.random.Generator, lo: float, hi: float) -> np.ndarray:
    """A smooth random field over the extent (a few sine waves) plus noise, scaled to lo..hi."""
    x, y = pts[:, 0], pts[:, 1]
    z = np.zeros(len(pts))
    for _ in range(4):
        fx, fy, ph = rng.uniform(1.0, 6.0), rng.uniform(1.0, 6.0), rng.uniform(0, 2 * np.pi)
        z += np.sin(fx * x + fy * y + ph)
    z += rng.normal(0, 0.6, len(pts))
    z = (z - z.min()) / (z.max() - z.min())
    return lo + (hi - lo) * z


def _indicator(ind_id: str, tr: str, en: str, value_type: str, unit: tuple[str, str], polarity: str) -> Indicator:
    return Indicator(
        id=ind_id, theme="synthetic", title=Text(tr, en),
        definition=Text("Sentetik kıyaslama verisi (gerçek değil)", "Synthetic benchmark data (not real)"),
        unit=Text(*unit), scale=1.0, value_type=value_type, decimals=1, polarity=polarity,
        source=SOURCE_TITLE, source_url="https://example.org/synthetic-benchmark-data",
        licence="synthetic benchmark data (no licence needed)",
        method=Text("Rastgele üretildi", "Randomly generated"), periods=PERIODS, levels=("district", "mahalle"),
        disclosure=Disclosure(min_count=0, min_denominator=0))


def _areas_frame(level, codes, names, parents, kinds, raw, display, area_km2) -> pd.DataFrame:
    centroids = shapely.centroid(display)
    return pd.DataFrame({
        "level": level, "code": codes, "name": names, "name_key": [match_key(n) for n in names],
        "parent_code": parents, "kind": kinds, "hdx_pcode": None, "tuik_code": None,
        "area_km2": area_km2, "area_km2_official": None,
        "centroid_lon": shapely.get_x(centroids), "centroid_lat": shapely.get_y(centroids),
        "geom_wkb": [bytes(b) for b in shapely.to_wkb(raw)],
        "geom_display_wkb": [bytes(b) for b in shapely.to_wkb(display)],
        "source_id": SOURCE_ID,
    })


def _km2(geoms: np.ndarray) -> np.ndarray:
    import geopandas as gpd

    return gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(32635).area.to_numpy() / 1e6


def build(path: Path, n_areas: int = 30_000, *, seed: int = 35) -> dict:
    """Write the synthetic database to ``path`` (replacing it) and return a few facts about it."""
    t0 = time.perf_counter()
    path = Path(path)
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    pts, cells = _cells(n_areas, rng)
    display = shapely.transform(cells, _wiggle)
    raw = shapely.transform(shapely.segmentize(cells, RAW_SEGMENT), _wiggle)

    west, south, east, north = EXTENT
    cols, rows = DISTRICT_GRID
    dw, dh = (east - west) / cols, (north - south) / rows
    d_boxes, d_codes, d_names = [], [], []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            d_boxes.append(shapely.box(west + c * dw, south + r * dh, west + (c + 1) * dw, south + (r + 1) * dh))
            d_codes.append(f"S{i + 1:02d}")
            d_names.append(f"Sentetik ilçe {i + 1:02d}")
    d_boxes = np.array(d_boxes, dtype=object)
    col = np.minimum(((pts[:, 0] - west) / dw).astype(int), cols - 1)
    row = np.minimum(((pts[:, 1] - south) / dh).astype(int), rows - 1)
    m_district = np.array(d_codes)[row * cols + col]
    m_codes = [f"S{i + 1:06d}" for i in range(n_areas)]
    m_names = [f"Sentetik mahalle {i + 1:05d}" for i in range(n_areas)]

    province = shapely.box(*EXTENT)
    areas = pd.concat([
        _areas_frame("province", ["35"], ["İzmir (sentetik)"], [None], ["province"], [province], [province],
                     _km2(np.array([province], dtype=object))),
        _areas_frame("district", d_codes, d_names, ["35"] * len(d_codes), ["district"] * len(d_codes),
                     d_boxes, d_boxes, _km2(d_boxes)),
        _areas_frame("mahalle", m_codes, m_names, list(m_district), ["mahalle"] * n_areas, raw, display,
                     _km2(display)),
    ], ignore_index=True)

    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        insert_frame(con, "sources", pd.DataFrame([{
            "source_id": SOURCE_ID, "title_tr": SOURCE_TITLE, "title_en": SOURCE_TITLE,
            "url": "https://example.org/synthetic-benchmark-data",
            "licence_tr": "sentetik karşılaştırma verisi (lisans gerekmez)",
            "licence_en": "synthetic benchmark data (no licence needed)",
            "attribution_tr": SOURCE_TITLE, "attribution_en": SOURCE_TITLE,
            "file_path": None, "sha256": None, "bytes": None, "loaded_at": pd.Timestamp.now(tz="UTC").tz_localize(None),
            "notes": "generated by bench/synthetic.py for the map benchmark; not real data",
        }]))
        insert_frame(con, "areas", areas)
        queries.execute(con, "insert_theme", {"theme_id": "synthetic", "title_tr": "Sentetik",
                                              "title_en": "Synthetic"})
        values = []
        for ind_id, tr, en, value_type, unit, polarity in INDICATORS:
            ind = _indicator(ind_id, tr, en, value_type, unit, polarity)
            queries.execute(con, "insert_indicator", {**ind.row_params(), "origin": "catalogue"})
            for period in PERIODS:
                v = _field(pts, rng, 1.0, 100.0)
                missing = rng.random(n_areas) < 0.02
                m = pd.DataFrame({"area_code": m_codes, "district": m_district,
                                  "value": np.where(missing, np.nan, np.round(v, 2))})
                m["status"] = np.where(missing, "missing", "ok")
                m["note"] = np.where(missing, "sentetik boşluk / synthetic gap (benchmark data)", None)
                d = m.groupby("district", as_index=False)["value"].mean()
                for level, frame, codes in (("mahalle", m, m["area_code"]), ("district", d, d["district"])):
                    values.append(pd.DataFrame({
                        "indicator_id": ind_id, "level": level, "area_code": codes.to_numpy(),
                        "period": period, "period_sort": int(period), "value": frame["value"].to_numpy(),
                        "numerator": np.nan, "denominator": np.nan, "lower_ci": np.nan, "upper_ci": np.nan,
                        "status": frame["status"].to_numpy() if "status" in frame else "ok",
                        "note_tr": frame["note"].to_numpy() if "note" in frame else None,
                        "note_en": frame["note"].to_numpy() if "note" in frame else None,
                        "coverage": np.nan, "source_id": SOURCE_ID,
                    }))
        insert_frame(con, "indicator_values", pd.concat(values, ignore_index=True))
        for key, value in (("built_at", pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")),
                           ("synthetic", "synthetic benchmark data (bench/synthetic.py); not real"),
                           ("mahalle_features", str(n_areas)), ("districts", str(len(d_codes)))):
            queries.execute(con, "insert_build_info", {"key": key, "value": value})
    finally:
        con.close()
    return {
        "path": str(path), "mahalle": n_areas, "districts": len(d_codes),
        "display_coordinates": int(shapely.get_num_coordinates(display).sum()),
        "raw_coordinates": int(shapely.get_num_coordinates(raw).sum()),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path, help="where to write the synthetic database")
    ap.add_argument("--areas", type=int, default=30_000)
    args = ap.parse_args()
    print(build(args.db, args.areas))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
