"""Geometry repair, reprojection, areas and gap-free simplification."""

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box

from atlas.build import geometry as geo
from atlas.errors import BuildError


def test_layer_in_utm35n_is_reprojected_to_wgs84(tmp_path):
    # a 1 km square in UTM 35N near Konak (x 510 km, y 4 250 km)
    square = box(510_000, 4_250_000, 511_000, 4_251_000)
    path = tmp_path / "utm.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[square], crs="EPSG:32635").to_file(path)
    gdf = geo.to_wgs84(geo.read_layer(path), path.name)
    assert gdf.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 27.0 < minx < maxx < 27.2 and 38.3 < miny < maxy < 38.5
    assert geo.area_km2(gdf.geometry)[0] == pytest.approx(1.0, rel=1e-6)


def test_layer_without_crs_in_metres_is_refused():
    gdf = gpd.GeoDataFrame(geometry=[box(510_000, 4_250_000, 511_000, 4_251_000)])
    with pytest.raises(BuildError, match="no CRS and its coordinates"):
        geo.to_wgs84(gdf, "x.geojson")


def test_layer_without_crs_in_degrees_is_taken_as_wgs84():
    gdf = gpd.GeoDataFrame(geometry=[box(27, 38, 27.1, 38.1)])
    assert geo.to_wgs84(gdf, "x").crs.to_epsg() == 4326


def test_self_intersecting_ring_is_repaired_to_polygons_only():
    bowtie = Polygon([(27, 38), (27.1, 38.1), (27.1, 38), (27, 38.1), (27, 38)])
    with_spike = Polygon([(27, 38), (27.1, 38), (27.1, 38.1), (27.1, 38.2), (27.1, 38.1), (27, 38.1)])
    fixed, n = geo.repair(gpd.GeoSeries([bowtie, with_spike, box(27, 38, 27.1, 38.1)], crs=geo.WGS84))
    assert n == 2
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in fixed)
    assert fixed[0].area == pytest.approx(bowtie.buffer(0).area + 0.005, rel=0.5)  # both lobes kept
    assert fixed[1].geom_type == "Polygon"  # the collapsed spike (a line) is dropped


def test_coverage_simplify_keeps_neighbours_touching():
    # two neighbours sharing a wiggly border with many vertices
    import numpy as np
    ys = np.linspace(38.0, 38.1, 200)
    border = [(27.05 + 0.0003 * np.sin(i), y) for i, y in enumerate(ys)]
    left = Polygon([(27.0, 38.0)] + border + [(27.0, 38.1)])
    right = Polygon(border + [(27.1, 38.1), (27.1, 38.0)])
    simplified = geo.simplify_coverage(gpd.GeoSeries([left, right], crs=geo.WGS84), tolerance=0.001)
    assert shapely.get_num_coordinates(simplified.values).sum() < 0.3 * 404
    union_before = shapely.union_all([left, right]).area
    union_after = shapely.union_all(simplified.values).area
    assert union_after == pytest.approx(union_before, rel=1e-3)
    overlap = simplified[0].intersection(simplified[1]).area
    gap = union_after - simplified[0].area - simplified[1].area + overlap
    assert overlap == pytest.approx(0, abs=1e-12) and abs(gap) < 1e-12


def test_size_report_counts_vertices_and_bytes():
    rep = geo.size_of(gpd.GeoSeries([box(27, 38, 27.1, 38.1)], crs=geo.WGS84))
    assert rep.vertices == 5 and rep.wkb_bytes == 93 and rep.geojson_bytes > 50
