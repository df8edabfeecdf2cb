"""The double-burden print export (atlas.export.bivariate) and its command ``python -m atlas export-bivariate``:
the map export's formats, papers and orientations, the square legend, both indicators' sources and caveats,
the permalink, and requests refused before anything is written."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader

from atlas import cli
from atlas.bivariate.view import bivariate_view
from atlas.equity.stratify import _indicator
from atlas.errors import ExportError
from atlas.export.bivariate import build_bivariate_figure, export_bivariate_file, render_bivariate
from atlas.export.layout import MM
from atlas.export.options import RenderOptions
from atlas.export.render import mpl_settings

from tests.test_sege import cat, district_db  # noqa: F401  (fixtures: six districts with share, SEGE and population)

LINK = "double_burden?x=share&y=sege_score&level=district&lang=en"
SEGE_CAVEAT_EN = "The scores were transcribed by hand from the official SEGE-2022 report"
SEGE_CAVEAT_TR = "Skorlar resmî SEGE-2022 raporundan kaynak depo tarafından elle aktarılmıştır"
# paper → (width, height) in mm, portrait
PAPER_MM = {"a4": (210, 297), "a3": (297, 420)}


@pytest.fixture
def view(district_db):  # noqa: F811
    return bivariate_view(district_db, _indicator(district_db, "share"), _indicator(district_db, "sege_score"),
                          "district")


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(t for t in root.itertext()).split()).replace("&amp;", "&")


def _page_points(paper: str, orientation: str) -> tuple[float, float]:
    w, h = PAPER_MM[paper]
    if orientation == "landscape":
        w, h = h, w
    return w * MM * 72, h * MM * 72


# --- each format, each paper -------------------------------------------------------------------

def test_png_has_the_png_header_and_the_papers_pixels(district_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    r = export_bivariate_file(district_db, tmp_path / "db.png", x="share", y="sege_score", level="district",
                              lang="en", dpi=100)
    data = r.path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and r.fmt == "png" and r.bytes == len(data)
    # A4 landscape at 100 dpi: 297 mm = 11.693 in → 1169.3 px, 210 mm = 8.268 in → 826.8 px (Agg cuts to whole px)
    assert Image.open(io.BytesIO(data)).size == (1169, 826)
    assert r.permalink == f"http://127.0.0.1:8501/{LINK}"


@pytest.mark.parametrize("paper,orientation", [("a4", "landscape"), ("a4", "portrait"), ("a3", "landscape"),
                                               ("a3", "portrait")])
def test_pdf_is_one_page_of_the_chosen_paper(district_db, tmp_path, paper, orientation):  # noqa: F811
    r = export_bivariate_file(district_db, tmp_path / "db.pdf", x="share", y="sege_score", level="district",
                              lang="en", paper=paper, orientation=orientation)
    data = r.path.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    w, h = _page_points(paper, orientation)  # e.g. A4 landscape 841.89 × 595.28 pt
    assert float(box.width) == pytest.approx(w, abs=0.5) and float(box.height) == pytest.approx(h, abs=0.5)


def test_a3_portrait_png_pixels(view):
    data = render_bivariate(view, "en", fmt="png", dpi=72, paper="a3", orientation="portrait")
    # 297 mm = 11.693 in × 72 = 841.9 → 841 px; 420 mm = 16.535 in × 72 = 1190.6 → 1190 px (Agg cuts)
    assert Image.open(io.BytesIO(data)).size == (841, 1190)


def test_svg_root_size_legend_sources_caveat_and_link(view, monkeypatch):
    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    from atlas.export.bivariate import bivariate_permalink

    data = render_bivariate(view, "en", fmt="svg", paper="a4", orientation="portrait",
                            permalink=bivariate_permalink(view, "en"))
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(595.28, abs=0.5)  # A4 portrait, 210 mm
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(841.89, abs=0.5)
    text = _svg_text(data)
    for part in ("Double burden: Test share × Socio-economic development score (SEGE-2022)",
                 "Test share (2023): Test fixture", "Socio-economic development score (SEGE-2022) (2022):",
                 "Caveat: " + SEGE_CAVEAT_EN, "brewer.seqseq2", "Population-weighted correlation",
                 "This view: http://127.0.0.1:8501/" + LINK):
        assert part in text, part
    assert b'id="permalink-qr"' in data  # the permalink's QR code, as on the map export


def test_sege_caveat_in_turkish_pdf(view):
    text = _pdf_text(render_bivariate(view, "tr", fmt="pdf"))
    assert "Dikkat: " + SEGE_CAVEAT_TR in text, text[-600:]


def test_square_legend_counts_the_areas_of_each_cell(view):
    # classes by hand (tests/test_bivariate.py): share and SEGE both put 9001–9002 in 0, 9003–9004 in 1,
    # 9005–9006 in 2 → cells (0, 0), (1, 1), (2, 2) hold two districts each, the other six none
    with mpl_settings():
        fig, info = build_bivariate_figure(view, "en", RenderOptions("png", 72, "a4", "portrait"))
    counts = [t.get_text() for t in info.texts if t.axes is not None and t.axes is not info.map_ax]
    assert sorted(counts) == ["0"] * 6 + ["2"] * 3
    assert not info.map_box.overlaps(info.panel) and not info.footer.overlaps(info.panel)
    assert info.page.width == pytest.approx(210 * MM) and info.page.height == pytest.approx(297 * MM)


def test_bad_options_are_refused(view):
    with pytest.raises(ExportError, match="paper 'a5' is not supported; use one of a4, a3"):
        render_bivariate(view, "en", fmt="pdf", paper="a5")
    with pytest.raises(ExportError, match="orientation 'square' is not supported; use one of portrait, landscape"):
        render_bivariate(view, "en", fmt="pdf", orientation="square")
    with pytest.raises(ExportError, match="format must be one of png, svg, pdf, got 'csv'"):
        render_bivariate(view, "en", fmt="csv")


# --- the command -------------------------------------------------------------------------------

def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_writes_the_file_and_says_so(capsys, district_db, tiny_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    out = tmp_path / "double.svg"
    code, stdout, err = _run(capsys, "export-bivariate", "--x", "share", "--y", "sege_score", "--level", "district",
                             "--period-x", "2023", "--period-y", "2022", "--format", "svg", "--paper", "a3",
                             "--orientation", "portrait", "--lang", "en", "-o", str(out), "--db", str(tiny_db))
    assert code == 0, err
    assert f"wrote {out} (svg," in stdout and "share 2023 × sege_score 2022 district" in stdout
    assert f"permalink: http://127.0.0.1:8501/{LINK}" in stdout
    root = ET.fromstring(out.read_bytes())
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(841.89, abs=0.5)  # A3 portrait: 297 mm


def test_command_takes_the_format_from_the_file_name(capsys, district_db, tiny_db, tmp_path):  # noqa: F811
    out = tmp_path / "double.pdf"
    code, _, err = _run(capsys, "export-bivariate", "--x", "sege_score", "--y", "share", "--level", "district",
                        "--out", str(out), "--db", str(tiny_db))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("args,message", [
    (("--x", "nope", "--y", "share"), "unknown indicator 'nope'; indicators in the database: "),
    (("--x", "share", "--y", "share"), "choose two different indicators (both are share)"),
    (("--x", "share", "--y", "sege_score", "--period-y", "1999"),
     "no values for period '1999' at level 'district'; periods with values: 2022"),
    (("--x", "share", "--y", "sege_score", "--dpi", "5"), "dpi 5 is not possible; use a whole number from 72 to 600"),
    (("--x", "share", "--y", "sege_score", "--format", "pdf"), "ends in .png but the format is pdf"),
])
def test_bad_requests_fail_with_one_message_and_write_nothing(capsys, district_db, tiny_db, tmp_path, args,  # noqa: F811
                                                              message):
    out = tmp_path / "double.png"
    code, stdout, err = _run(capsys, "export-bivariate", *args, "--level", "district", "-o", str(out),
                             "--db", str(tiny_db))
    assert code == 1 and message in err, err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == [tiny_db]


def test_a_level_without_values_names_the_levels_with_values(district_db, tmp_path):  # noqa: F811
    with pytest.raises(ExportError, match="has no values at level 'mahalle'; levels with values: district"):
        export_bivariate_file(district_db, tmp_path / "d.pdf", x="sege_score", y="share", level="mahalle")
    assert not (tmp_path / "d.pdf").exists()


def test_an_unknown_level_is_refused_by_the_command(capsys, district_db, tiny_db, tmp_path):  # noqa: F811
    with pytest.raises(SystemExit) as exc:
        cli.main(["export-bivariate", "--x", "share", "--y", "sege_score", "--level", "province", "-o",
                  str(tmp_path / "d.pdf"), "--db", str(tiny_db)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'province'" in err and "district" in err and "mahalle" in err
    assert not (tmp_path / "d.pdf").exists()


def test_missing_folder_is_explained(district_db, tmp_path):  # noqa: F811
    with pytest.raises(ExportError, match="the folder .* does not exist"):
        export_bivariate_file(district_db, tmp_path / "no" / "d.pdf", x="share", y="sege_score", level="district")


# --- the page's Export panel (AppTest on the real build) ----------------------------------------

def test_page_export_panel_offers_the_map_exports_choices(monkeypatch, real_db, fresh_caches):
    from streamlit.testing.v1 import AppTest

    from app_support.bivariate.export import EXPANDER_KEY
    from tests.conftest import ROOT

    monkeypatch.setenv("ATLAS_DB", str(real_db))
    at = AppTest.from_file(str(ROOT / "atlas_app.py"), default_timeout=120)
    at.switch_page("pages/double_burden.py")
    at.query_params.update({"x": "sege_score", "y": "adults_65plus_share", "level": "district", "lang": "en"})
    at.session_state[EXPANDER_KEY] = True
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="bv_export_format").options == ["PDF (vector)", "PNG (image)", "SVG (vector)"]
    assert at.selectbox(key="bv_export_dpi").disabled  # PDF is vector
    assert at.radio(key="bv_export_paper").options == ["A4", "A3"]
    assert at.radio(key="bv_export_orientation").options == ["Landscape", "Portrait"]
    assert len(at.get("image")) == 1  # the preview
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels[-1] == "Download PDF" and labels[0] == "Download the classes (CSV)"
    at.radio(key="bv_export_paper").set_value("a3").run()
    at.radio(key="bv_export_orientation").set_value("portrait").run()
    at.selectbox(key="bv_export_format").set_value("svg").run()
    assert not at.exception and not at.error
    assert [d.proto.label for d in at.get("download_button")][-1] == "Download SVG"
    assert len(at.get("image")) == 1


def test_mahalle_page_without_a_database_context_draws_the_district_outlines(real_db):
    # without a connection the district layer is the union of the mahalle polygons by district name
    import duckdb

    con = duckdb.connect(str(real_db), read_only=True)
    try:
        v = bivariate_view(con, _indicator(con, "lst_summer_mean"), _indicator(con, "svi_mean"), "mahalle")
    finally:
        con.close()
    data = render_bivariate(v, "en", fmt="svg", paper="a3", orientation="landscape")
    assert b'id="district-outlines"' in data and ET.fromstring(data).tag.endswith("svg")
    with mpl_settings():
        _fig, info = build_bivariate_figure(v, "en", RenderOptions("png", 72, "a4", "landscape", labels=True))
    assert "Konak" in [t.get_text() for t in info.labels]  # district names from that layer
