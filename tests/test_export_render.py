"""atlas.export: snapshots (PNG, SVG, PDF) of map views on a tiny fictional database.

Files are valid and complete (size, vector, text), colours equal the view's classes, TR and EN
differ, nothing on the page overlaps, the scale bar and the QR code are right, bad options fail.
"""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import duckdb
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from atlas import db
from atlas.views import map_view as mapview
from atlas.errors import ExportError
from atlas.export.context import context_from_view, load_context
from atlas.export.layout import MM, Box, page, wrap, text_width
from atlas.export.options import RenderOptions
from atlas.export.permalink import permalink
from atlas.export.qr import QUIET_ZONE, qr_matrix
from atlas.export.render import build_figure, figure_bytes, mpl_settings, print_fill, render_map
from atlas.mapping import STATUS_STYLES
from atlas.views.view_state import View
from tests.factories import make_tiny_db, sample_indicator

IND = sample_indicator()
WHEN = datetime(2026, 11, 26, 14, 3, tzinfo=timezone.utc)
LINK = permalink(View("test_share", "2023", "mahalle", "quantiles", 3, None, "tr"), "http://atlas.example.org/")


def make_export_db(path):
    """The tiny database plus mahalle values of every status, CIs and an İzmir value."""
    make_tiny_db(path)
    con = duckdb.connect(str(path))
    rows = [("91001", 10.0, 8.0, 12.0, "ok", None), ("91002", 20.0, 18.0, 22.0, "ok", None),
            ("91003", None, None, None, "suppressed", "fewer than 5 events"),
            ("92001", 40.0, 35.0, 45.0, "ok", None)]  # 92002 has no row: missing
    for code, v, lo, hi, status, note in rows:
        con.execute("INSERT INTO indicator_values VALUES ('test_share', 'mahalle', $c, '2023', 2023, $v, NULL, NULL, "
                    "$lo, $hi, $s, $n, $n, NULL, 'test_fixture', NULL, NULL)",
                    {"c": code, "v": v, "lo": lo, "hi": hi, "s": status, "n": note})
    con.execute("INSERT INTO indicator_values VALUES ('test_share', 'province', '35', '2023', 2023, 20.0, NULL, NULL, "
                "19.0, 21.0, 'ok', NULL, NULL, NULL, 'test_fixture', NULL, NULL)")
    con.close()
    return path


@pytest.fixture
def export_db(tmp_path):
    return make_export_db(tmp_path / "export.duckdb")


@pytest.fixture
def con(export_db):
    c = db.connect(export_db)
    yield c
    c.close()


@pytest.fixture
def view_tr(con):
    return mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "tr")


@pytest.fixture
def view_en(con):
    return mapview.build_map_view(con, IND, "2023", "mahalle", "quantiles", 3, "en")


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


# --- files are valid and complete ------------------------------------------------------------


@pytest.mark.parametrize("paper,orientation,dpi", [("a4", "landscape", 150), ("a4", "portrait", 300),
                                                   ("a3", "portrait", 150), ("a3", "landscape", 72)])
def test_png_size_matches_paper_and_dpi(con, view_tr, paper, orientation, dpi):
    data = render_map(view_tr, fmt="png", dpi=dpi, paper=paper, orientation=orientation, permalink=LINK,
                      exported_at=WHEN, context=load_context(con, view_tr))
    im = Image.open(io.BytesIO(data))
    w_mm, h_mm = {"a4": (210, 297), "a3": (297, 420)}[paper]
    if orientation == "landscape":
        w_mm, h_mm = h_mm, w_mm
    assert abs(im.size[0] - w_mm / 25.4 * dpi) <= 1 and abs(im.size[1] - h_mm / 25.4 * dpi) <= 1
    assert im.info.get("Source") == LINK and "Test payı" in im.info.get("Title", "")
    assert round(im.info["dpi"][0]) == dpi


def test_pdf_is_vector_and_carries_title_legend_sources_date_and_link(con, view_tr):
    data = render_map(view_tr, fmt="pdf", paper="a4", orientation="portrait", permalink=LINK, exported_at=WHEN,
                      context=load_context(con, view_tr))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    pg = reader.pages[0]
    assert (round(float(pg.mediabox.width)), round(float(pg.mediabox.height))) == (595, 842)  # A4 in points
    xobjects = pg["/Resources"].get("/XObject") or {}
    assert not [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"], "no raster images"
    fonts = [f.get_object()["/BaseFont"] for f in pg["/Resources"]["/Font"].values()]
    assert all("DejaVuSans" in str(f) for f in fonts)
    text = _pdf_text(data)
    assert "Test payı" in text and "2023 · mahalle · kantiller" in text
    for item in view_tr.legend:  # class ranges with units and counts, statuses
        assert item.label in text
    assert "Gizlendi (küçük sayı) (1 bölge)" in text and "Veri yok (1 bölge)" in text
    assert "İzmir: %20,0" in text
    assert "Test verisi (kurgusal)" in text  # the boundary attribution from the sources table, in Turkish
    assert "Lisans: CC0 (test fixture)" in text
    assert "ColorBrewer" in text and "2026-11-26 14:03" in text
    assert LINK in text.replace("\n", "")
    assert reader.metadata.title == "Test payı"


def test_svg_parses_and_keeps_text_as_text(con, view_en):
    data = render_map(view_en, fmt="svg", paper="a3", orientation="landscape", permalink=LINK, exported_at=WHEN,
                      context=load_context(con, view_en))
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    w_pt = float(root.get("width").removesuffix("pt"))
    h_pt = float(root.get("height").removesuffix("pt"))
    assert w_pt == pytest.approx(420 / 25.4 * 72, abs=0.5) and h_pt == pytest.approx(297 / 25.4 * 72, abs=0.5)
    texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "Test share" in texts and "No data (1 area)" in texts
    ids = {el.get("id") for el in root.iter()}
    assert {"areas-0", "areas-suppressed", "areas-missing", "district-outlines", "permalink-qr"} <= ids


def test_tr_and_en_variants_differ_in_labels(con, view_tr, view_en):
    ctx_tr, ctx_en = load_context(con, view_tr), load_context(con, view_en)
    tr = _pdf_text(render_map(view_tr, fmt="pdf", permalink=LINK, exported_at=WHEN, context=ctx_tr))
    en = _pdf_text(render_map(view_en, fmt="pdf", permalink=LINK, exported_at=WHEN, context=ctx_en))
    assert "Test payı" in tr and "Test share" in en
    assert "%10,0–16,7 (1 bölge)" in tr and "10.0–16.7% (1 area)" in en
    assert "Veri yok" in tr and "No data" in en and "No data" not in tr
    assert "Sınırlar:" in tr and "Boundaries:" in en
    assert "Dışa aktarım" in tr and "Exported" in en


# --- the same classes and colours as the app ---------------------------------------------------


def _pixel_of(info, dpi, height_px, x, y):
    """The PNG pixel (column, row) of the map point (x, y) in the map's metric coordinates."""
    px, py = info.map_ax.transData.transform((x, y))
    return int(px), int(height_px - py)


def test_colours_of_areas_in_the_png_are_the_classes_of_the_view(con, view_tr):
    ctx = load_context(con, view_tr)
    opts = RenderOptions("png", 150, "a4", "landscape")
    with mpl_settings():
        fig, info = build_figure(view_tr, opts, permalink=LINK, exported_at=WHEN, context=ctx)
        data = figure_bytes(fig, "png", 150)
    im = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    geoms = view_tr.frame.geometry.to_crs("EPSG:32635")
    for key, geom in zip(view_tr.frame["style_key"], geoms):
        pt = geom.centroid
        col, row = _pixel_of(info, 150, im.shape[0], pt.x, pt.y)
        got = "#%02x%02x%02x" % tuple(im[row, col])
        expected = print_fill(key, view_tr.styles[key])
        if key == "suppressed":  # hatched: the fill or the hatch lines
            block = {"#%02x%02x%02x" % tuple(p) for p in im[row - 4:row + 5, col - 4:col + 5].reshape(-1, 3)}
            assert expected in block and len(block) > 1  # hatch lines run through the fill
        else:
            assert got == expected, (key, got, expected)
    assert print_fill("missing", STATUS_STYLES["missing"]) == "#ffffff"
    assert print_fill("not_applicable", STATUS_STYLES["not_applicable"]) == "#f2f2f2"  # 0.35 × #d9d9d9 on white
    assert print_fill("0", view_tr.styles["0"]) == view_tr.styles["0"]["fillColor"]


def test_compare_izmir_draws_its_categories_colours(con):
    mv = mapview.build_map_view(con, IND, "2023", "mahalle", "compare_izmir", 5, "en")
    with mpl_settings():
        fig, info = build_figure(mv, RenderOptions("png", 100), context=load_context(con, mv))
    colls = {c.get_gid(): c for c in info.map_ax.collections}
    for key in set(mv.frame["style_key"]) - set(STATUS_STYLES):
        face = colls[f"areas-{key}"].get_facecolor()[0]
        assert "#%02x%02x%02x" % tuple(round(v * 255) for v in face[:3]) == mv.styles[key]["fillColor"]
    assert colls["areas-suppressed"].get_hatch() == "///"


# --- layout: nothing overlaps, scale bar, north arrow, QR --------------------------------------


def _overlap(a, b, tol=0.5):
    return a.x0 < b.x1 - tol and b.x0 < a.x1 - tol and a.y0 < b.y1 - tol and b.y0 < a.y1 - tol


def check_no_overlaps(fig, info):
    """Every text inside the page, no two texts overlap, no page text on the map or the inset,
    map labels inside the map, the panel and footer outside the map."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    page_bb = fig.bbox
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in info.texts if t.get_text().strip()]
    labels = [(t.get_text(), t.get_window_extent(r)) for t in info.labels]
    map_bb = info.map_ax.get_window_extent(r)
    for text, bb in boxes + labels:
        assert page_bb.x0 <= bb.x0 and bb.x1 <= page_bb.x1 and page_bb.y0 <= bb.y0 and bb.y1 <= page_bb.y1, text
    for (ta, a), (tb, b) in itertools.combinations(boxes + labels, 2):
        assert not _overlap(a, b), f"{ta!r} overlaps {tb!r}"
    for text, bb in boxes:
        assert not _overlap(bb, map_bb), f"{text!r} is on the map"
    for text, bb in labels:
        assert map_bb.x0 <= bb.x0 and bb.x1 <= map_bb.x1 and map_bb.y0 <= bb.y0 and bb.y1 <= map_bb.y1, text
    if info.inset_box is not None:
        d = fig.dpi
        inset = info.inset_box
        assert not info.inset_box.overlaps(info.map_box)
        for text, bb in boxes:
            ib = Box(bb.x0 / d, bb.y0 / d, bb.width / d, bb.height / d)
            assert not ib.overlaps(inset, tol=0.01), f"{text!r} is on the inset"
    for part in (info.panel, info.footer, info.header, info.strip):
        assert not part.overlaps(info.map_box, tol=1e-3)
    assert not info.qr_box.overlaps(info.panel) and info.page.inner.contains(info.qr_box)


@pytest.mark.parametrize("paper,orientation,labels,zoom", [
    ("a4", "landscape", True, None), ("a4", "portrait", True, None), ("a3", "landscape", False, "9001"),
    ("a4", "portrait", True, "9002")])
def test_nothing_overlaps(con, view_tr, paper, orientation, labels, zoom):
    with mpl_settings():
        fig, info = build_figure(view_tr, RenderOptions("png", 100, paper, orientation, labels, zoom), permalink=LINK,
                                 exported_at=WHEN, context=load_context(con, view_tr))
        check_no_overlaps(fig, info)
    assert (info.inset_box is not None) == (zoom is not None)
    if labels:
        assert info.labels, "some labels are placed"


def test_scale_bar_is_in_true_kilometres(con, view_tr):
    with mpl_settings():
        fig, info = build_figure(view_tr, RenderOptions("png", 100), context=load_context(con, view_tr))
    metres_per_inch = (info.extent[2] - info.extent[0]) / info.map_box.w
    assert info.scale_bar_in * metres_per_inch == pytest.approx(info.scale_bar_m)
    assert info.scale_bar_m / 1000 in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50)
    texts = [t.get_text() for t in info.texts]
    km = info.scale_bar_m / 1000
    assert f"{km:g} km".replace(".", ",") in texts
    # the map's x and y scales are the same (no stretching)
    assert (info.extent[3] - info.extent[1]) / info.map_box.h == pytest.approx(metres_per_inch)
    assert abs(info.north_rotation) < 2  # grid north ≈ true north in UTM 35N around İzmir


def test_qr_code_in_the_png_encodes_the_permalink(con, view_tr):
    dpi = 300
    with mpl_settings():
        fig, info = build_figure(view_tr, RenderOptions("png", dpi), permalink=LINK, exported_at=WHEN,
                                 context=load_context(con, view_tr))
        im = np.asarray(Image.open(io.BytesIO(figure_bytes(fig, "png", dpi))).convert("L"))
    matrix = qr_matrix(LINK)
    n = matrix.shape[0]
    module = info.qr_box.w / (n + 2 * QUIET_ZONE)
    seen = np.zeros_like(matrix)
    for r in range(n):
        for c in range(n):
            x = (info.qr_box.x + (QUIET_ZONE + c + 0.5) * module) * dpi
            y = (info.qr_box.top - (QUIET_ZONE + r + 0.5) * module) * dpi
            seen[r, c] = im[int(im.shape[0] - y), int(x)] < 128
    assert (seen == matrix).all()
    assert module * 25.4 >= 0.35  # modules of at least 0.35 mm scan from paper


# --- options and errors ------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,message", [
    ({"dpi": 5000}, "dpi 5000 is not possible"), ({"dpi": 0}, "dpi 0 is not possible"),
    ({"dpi": "many"}, "not a whole number"), ({"paper": "a5"}, "paper 'a5' is not supported"),
    ({"fmt": "gif"}, "format 'gif' is not supported"), ({"orientation": "diagonal"}, "orientation"),
    ({"zoom_to": "0000"}, "cannot zoom to '0000'")])
def test_bad_options_raise_export_error(view_tr, kwargs, message):
    with pytest.raises(ExportError, match=message):
        render_map(view_tr, **kwargs)


def test_render_without_a_database_uses_the_view_and_the_manifest(view_tr):
    ctx = context_from_view(view_tr)
    assert [s.source_id for s in ctx.boundary_sources] == ["tgj_mahalle", "hdx_districts"]
    assert sorted(ctx.districts["area_code"]) == ["9001", "9002"]
    text = _pdf_text(render_map(view_tr, fmt="pdf", exported_at=WHEN))
    assert "İdari sınırlar: HGM, OCHA/HDX COD-AB" in text and "Test payı" in text  # the manifest, in Turkish


def test_wrap_keeps_lines_inside_the_width():
    text = "İzmir Sağlıkta Eşitlik Atlası " * 8 + LINK
    for line in wrap(text, 2.0, 8):
        assert text_width(line, 8) <= 2.0
    assert "".join(wrap(LINK, 1.0, 8)) == LINK  # a URL is cut, never changed
    assert page("a4", "portrait").width == pytest.approx(210 * MM)
