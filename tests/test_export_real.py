"""atlas.export on the real İzmir build: sampled area colours in a mahalle PNG equal the view's
classes, the real pages do not overlap (with labels and zoom), the PDF carries the HDX/HGM terms.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import numpy as np
import pytest
import shapely
from PIL import Image
from pypdf import PdfReader

from atlas import db
from atlas.export.context import load_context
from atlas.export.files import indicators
from atlas.export.options import RenderOptions
from atlas.export.permalink import permalink
from atlas.export.render import METRIC_CRS, build_figure, figure_bytes, mpl_settings, print_fill, render_map
from atlas.views.map_view import build_map_view
from atlas.views.view_state import View
from tests.test_export_render import check_no_overlaps

WHEN = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def rcon(real_db):
    con = db.connect(real_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def inds(rcon):
    return indicators(rcon)


def _sample_colours(rcon, mv, zoom, dpi=300, per_key=40) -> dict[str, int]:
    """Check the PNG pixel of up to ``per_key`` areas of every style key against the view's colour;
    return how many were checked per key. Points stay 3 px away from every drawn line."""
    ctx = load_context(rcon, mv)
    with mpl_settings():
        fig, info = build_figure(mv, RenderOptions("png", dpi, "a4", "landscape", False, zoom), permalink="x",
                                 exported_at=WHEN, context=ctx)
        im = np.asarray(Image.open(io.BytesIO(figure_bytes(fig, "png", dpi))).convert("RGB"))
    metres_per_px = (info.extent[2] - info.extent[0]) / (info.map_box.w * dpi)
    margin = 3 * metres_per_px
    view = shapely.box(*info.extent).buffer(-margin)
    areas = mv.frame.geometry.to_crs(METRIC_CRS).values
    outlines = shapely.union_all(shapely.boundary(ctx.districts.geometry.to_crs(METRIC_CRS).values))
    checked: dict[str, int] = {}
    for i in np.argsort(-shapely.area(areas)):
        key = mv.frame["style_key"].iloc[i]
        if checked.get(key, 0) >= per_key:
            continue
        core = shapely.intersection(shapely.buffer(areas[i], -margin), view)
        if core.is_empty:
            continue
        pt = shapely.point_on_surface(core)
        if shapely.distance(pt, outlines) < margin:
            continue
        px, py = info.map_ax.transData.transform((pt.x, pt.y))
        got = "#%02x%02x%02x" % tuple(im[int(im.shape[0] - py), int(px)])
        assert got == print_fill(key, mv.styles[key]), (mv.frame["name"].iloc[i], key, got)
        checked[key] = checked.get(key, 0) + 1
    return checked


def test_sampled_mahalle_colours_in_the_png_equal_the_view_classes(rcon, inds):
    mv = build_map_view(rcon, inds["pop_density"], "2023", "mahalle", "natural_breaks", 6, "tr")
    province = _sample_colours(rcon, mv, None)
    konak = _sample_colours(rcon, mv, "1819")  # the dense classes are small: zoom to the centre
    assert sum(province.values()) >= 100 and sum(konak.values()) >= 40
    sampled = set(province) | set(konak)
    assert {str(c) for c in range(mv.classification.k)} <= sampled, (province, konak)


@pytest.mark.parametrize("level,orientation,labels,zoom", [
    ("district", "landscape", True, None), ("district", "portrait", True, None),
    ("mahalle", "landscape", True, "1203"), ("mahalle", "portrait", True, "1819")])
def test_real_pages_have_no_overlaps(rcon, inds, level, orientation, labels, zoom):
    mv = build_map_view(rcon, inds["lst_summer_mean"], "2014-2024", level, "quantiles", 5, "en")
    link = permalink(View("lst_summer_mean", "2014-2024", level, "quantiles", 5, zoom, "en"))
    with mpl_settings():
        fig, info = build_figure(mv, RenderOptions("png", 150, "a4", orientation, labels, zoom), permalink=link,
                                 exported_at=WHEN, context=load_context(rcon, mv))
        check_no_overlaps(fig, info)
    assert len(info.labels) >= (10 if level == "district" else 5)
    assert info.type_factor >= 0.8  # the legend and notes fit without shrinking much


def test_real_pdf_names_the_hdx_hgm_terms_and_is_vector(rcon, inds):
    mv = build_map_view(rcon, inds["pop_total"], "2023", "mahalle", "quantiles", 5, "en")
    data = render_map(mv, fmt="pdf", paper="a3", orientation="portrait", labels=True, exported_at=WHEN,
                      permalink=permalink(View("pop_total", "2023", "mahalle", lang="en")),
                      context=load_context(rcon, mv))
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "Administrative boundaries: HGM via OCHA/HDX COD-AB" in text
    assert "not an open licence" in text and "non-commercial use" in " ".join(text.split())
    assert "Neighbourhood boundaries: TurkeyGeoJSON" in text
    assert "Population" in text and "65 islands, industrial or free zones are not shown" in text
    xobjects = (reader.pages[0]["/Resources"].get("/XObject") or {}).get_object() or {}
    assert not [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"], "no raster images"


def test_real_atlas_pdf_has_a_page_per_indicator_with_its_latest_period(rcon, inds, tmp_path):
    from atlas.export.atlas_pdf import write_atlas_pdf
    from atlas.export.files import availability

    calls = []
    report = write_atlas_pdf(rcon, tmp_path / "atlas.pdf", level="district", lang="tr",
                             progress=lambda done, total, what: calls.append((done, total)))
    avail = availability(rcon)
    expected = {i for i in avail.indicators if avail.periods(i, "district")}
    assert {e.indicator_id for e in report.entries} == expected
    assert report.pages == 2 + len(expected) and calls[-1] == (report.pages, report.pages)
    assert [d for d, _ in calls] == list(range(1, report.pages + 1))
    reader = PdfReader(tmp_path / "atlas.pdf")
    assert len(reader.pages) == report.pages
    contents = reader.pages[1].extract_text()
    for e in report.entries:
        assert e.period == avail.periods(e.indicator_id, "district")[0]
        assert e.title in contents
        page_text = reader.pages[e.page - 1].extract_text()
        assert e.title in page_text and f"Sayfa {e.page} / {report.pages}" in page_text
        assert "Tanım:" in page_text and "İdari sınırlar: HGM, OCHA/HDX COD-AB" in page_text
    assert report.seconds < 60


def test_every_classification_of_the_app_exports_with_its_own_legend(rcon, inds):
    from atlas.views.view_state import SCHEMES

    for scheme in SCHEMES:
        mv = build_map_view(rcon, inds["lst_summer_mean"], "2014-2024", "mahalle", scheme, 5, "en")
        text = PdfReader(io.BytesIO(render_map(mv, fmt="pdf", exported_at=WHEN,
                                               context=load_context(rcon, mv)))).pages[0].extract_text()
        flat = " ".join(text.split())  # long labels wrap onto two lines
        for item in mv.legend:
            assert item.label in flat, (scheme, item.label)
