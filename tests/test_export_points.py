"""The print export with a point layer (issue #17, item 4): drawn on the map, with its legend row and
attribution; ``python -m atlas export --points LAYER``; a bad layer writes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from atlas import cli, db, queries
from atlas.catalogue import indicator_from_json
from atlas.errors import ExportError
from atlas.export import files
from atlas.export.render import build_figure, mpl_settings
from atlas.export.options import RenderOptions
from atlas.views.map_view import build_map_view
from atlas.views.point_layers import UnknownPointLayer, print_overlay


@pytest.fixture(scope="module")
def con(real_db):
    c = db.connect(real_db)
    yield c
    c.close()


def _view(con, level="district"):
    meta = queries.run(con, "list_indicator_metadata")
    inds = {i: indicator_from_json(m) for i, m in zip(meta["indicator_id"], meta["metadata_json"])}
    period = "2025" if level == "district" else "2023"
    return build_map_view(con, inds["pop_density"], period, level, "quantiles", 5, "en")


def test_figure_draws_the_layer_with_legend_row_and_attribution(con):
    overlay = print_overlay(con, "rail_stations")
    assert len(overlay.lon) == 65 and overlay.layer.n == 65
    with mpl_settings():
        fig, info = build_figure(_view(con), RenderOptions("png", 72), points=overlay)
        drawn = [c for c in info.map_ax.collections if c.get_gid() == "points-rail_stations"]
        assert len(drawn) == 1 and len(drawn[0].get_offsets()) == 65
        # in UTM 35N, inside the map's extent (İzmir)
        xy = np.asarray(drawn[0].get_offsets())
        x0, y0, x1, y1 = info.extent
        assert ((xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)).all()
        texts = " ".join(t.get_text() for t in info.texts)
    assert "Rail stations (Metro M1 and İZBAN) (65 points)" in texts
    assert "Points: Rail stations: İzmir Metro and İZBAN" in texts and "CC BY 4.0" in texts


def test_osm_layer_prints_its_odbl_attribution(con):
    with mpl_settings():
        _fig, info = build_figure(_view(con), RenderOptions("png", 72), points=print_overlay(con, "parks_playgrounds"))
        texts = " ".join(t.get_text() for t in info.texts)
    assert "© OpenStreetMap contributors" in texts and "Share-alike (ODbL)" in texts


def test_png_has_the_layer(con, tmp_path):
    plain = files.export_file(con, tmp_path / "plain.png", indicator="pop_density", period=None, level="district",
                              dpi=72, lang="en")
    with_stops = files.export_file(con, tmp_path / "stops.png", indicator="pop_density", period=None,
                                   level="district", dpi=72, lang="en", points="bus_stops")
    assert "points=bus_stops" in with_stops.permalink and "points" not in plain.permalink
    a = np.asarray(Image.open(plain.path).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(with_stops.path).convert("RGB"), dtype=int)
    assert a.shape == b.shape
    # the stops' marker colour (#111111) appears on the map only with the layer
    dark = lambda img: int(((img[..., 0] < 40) & (img[..., 1] < 40) & (img[..., 2] < 40)).sum())  # noqa: E731
    assert dark(b) > dark(a) + 1000  # 72 dpi: ~1,750 more dark pixels


def test_unknown_layer_is_an_error_naming_the_known_ones(con, tmp_path):
    with pytest.raises(ExportError) as err:
        files.export_file(con, tmp_path / "x.png", indicator="pop_density", period=None, level="district",
                          points="pharmacies")
    assert "pharmacies" in str(err.value) and "bus_stops, parks_playgrounds" in str(err.value)
    with pytest.raises(ExportError, match="only be drawn on a map"):
        files.export_file(con, tmp_path / "x.csv", indicator="pop_density", period=None, level="district",
                          points="bus_stops")
    with pytest.raises(UnknownPointLayer):
        print_overlay(con, "pharmacies")
    assert not list(tmp_path.iterdir())


def test_cli_points_flag(capsys, real_db, tmp_path):
    out = tmp_path / "map.pdf"
    code = cli.main(["export", "--indicator", "pop_density", "--level", "mahalle", "--points", "rail_stations",
                     "--lang", "en", "--db", str(real_db), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert out.is_file() and "points=rail_stations" in capsys.readouterr().out
    bad = tmp_path / "bad.png"
    code = cli.main(["export", "--indicator", "pop_density", "--level", "district", "--points", "nope",
                     "--db", str(real_db), "--out", str(bad)])
    err = capsys.readouterr().err
    assert code != 0 and "nope" in err and not bad.exists()
