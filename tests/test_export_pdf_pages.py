"""Exported PDF pages rasterised by poppler's ``pdftoppm`` (a reader other than the one that wrote them):
the pages are not blank, the map is where the layout put it, in the view's colours, and the PDF shows
the same page as the PNG export.

``pdftoppm`` comes from Debian's poppler-utils, installed by ``scripts/setup.sh --browser`` (which
``scripts/test.sh`` runs). These tests require it and fail, not skip, when it is missing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from atlas import db
from atlas.views import map_view as mapview
from atlas.export.context import load_context
from atlas.export.options import RenderOptions
from atlas.export.render import build_figure, figure_bytes, mpl_settings, print_fill, render_map
from tests.factories import sample_indicator
from tests.test_export_render import LINK, make_export_db

WHEN = datetime(2026, 11, 26, 14, 3, tzinfo=timezone.utc)
DPI = 60


def _pdftoppm() -> str:
    exe = shutil.which("pdftoppm")
    assert exe, ("pdftoppm is missing: install poppler-utils (scripts/setup.sh --browser does, as root: "
                 "apt-get install -y poppler-utils)")
    return exe


def rasterise(pdf: bytes | Path, tmp_path: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Every page of ``pdf`` as an RGB array, drawn by pdftoppm at ``dpi``."""
    src = pdf if isinstance(pdf, Path) else tmp_path / "in.pdf"
    if not isinstance(pdf, Path):
        src.write_bytes(pdf)
    prefix = tmp_path / "page"
    subprocess.run([_pdftoppm(), "-r", str(dpi), "-png", str(src), str(prefix)], check=True, capture_output=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [np.asarray(Image.open(p).convert("RGB")) for p in pages]


def ink(im: np.ndarray) -> float:
    """Share of pixels that are not (nearly) white."""
    return float((im.min(axis=2) < 235).mean())


@pytest.fixture
def con(tmp_path):
    c = db.connect(make_export_db(tmp_path / "export.duckdb"))
    yield c
    c.close()


@pytest.mark.parametrize("paper,orientation,lang", [("a4", "landscape", "tr"), ("a3", "portrait", "en")])
def test_pdf_page_is_drawn_with_the_map_in_its_box_in_the_view_colours(con, tmp_path, paper, orientation, lang):
    mv = mapview.build_map_view(con, sample_indicator(), "2023", "mahalle", "quantiles", 3, lang)
    ctx = load_context(con, mv)
    opts = RenderOptions("pdf", 300, paper, orientation, True, None)
    with mpl_settings():
        fig, info = build_figure(mv, opts, permalink=LINK, exported_at=WHEN, context=ctx)
        pdf = figure_bytes(fig, "pdf", 300)
    [im] = rasterise(pdf, tmp_path)
    w_in, h_in = info.page.width, info.page.height
    assert abs(im.shape[1] - w_in * DPI) <= 1 and abs(im.shape[0] - h_in * DPI) <= 1
    assert ink(im) > 0.03, "the page is (nearly) blank"
    box = info.map_box  # inches from the bottom left
    x0, x1 = int(box.x * DPI) + 2, int(box.right * DPI) - 2
    y0, y1 = int((h_in - box.top) * DPI) + 2, int((h_in - box.y) * DPI) - 2
    inside = im[y0:y1, x0:x1].reshape(-1, 3)
    colours = {"#%02x%02x%02x" % tuple(px) for px in inside[::7]}
    expected = {print_fill(key, mv.styles[key]) for key in set(mv.frame["style_key"]) if key.isdigit()}
    assert expected and expected <= colours, (expected - colours)
    # the footer (sources, permalink) and the QR code are drawn below the map
    below = im[int((h_in - info.footer.top) * DPI):, :]
    assert ink(below) > 0.02
    qr = info.qr_box
    qr_px = im[int((h_in - qr.top) * DPI):int((h_in - qr.y) * DPI), int(qr.x * DPI):int(qr.right * DPI)]
    assert 0.25 < ink(qr_px) < 0.75, "the QR code is missing or solid"


def test_pdf_and_png_exports_show_the_same_page(con, tmp_path):
    mv = mapview.build_map_view(con, sample_indicator(), "2023", "mahalle", "quantiles", 3, "tr")
    ctx = load_context(con, mv)
    kw = dict(paper="a4", orientation="landscape", labels=True, permalink=LINK, exported_at=WHEN, context=ctx)
    [from_pdf] = rasterise(render_map(mv, fmt="pdf", **kw), tmp_path, dpi=72)  # 72: the smallest PNG dpi
    png = np.asarray(Image.open(io.BytesIO(render_map(mv, fmt="png", dpi=72, **kw))).convert("RGB"))
    h, w = min(png.shape[0], from_pdf.shape[0]), min(png.shape[1], from_pdf.shape[1])
    diff = np.abs(png[:h, :w].astype(int) - from_pdf[:h, :w].astype(int))
    assert diff.mean() < 6, f"the PDF and the PNG differ (mean difference {diff.mean():.1f} of 255)"


def test_every_page_of_the_atlas_pdf_is_drawn(con, tmp_path):
    from atlas.export.atlas_pdf import write_atlas_pdf

    out = tmp_path / "atlas.pdf"
    report = write_atlas_pdf(con, out, level="mahalle", lang="en")
    pages = rasterise(out, tmp_path)
    assert len(pages) == report.pages >= 3
    for n, im in enumerate(pages, start=1):
        assert ink(im) > 0.001, f"page {n} of {report.pages} is blank"
    for entry in report.entries:  # indicator pages carry a coloured map, not only text
        im = pages[entry.page - 1]
        saturated = (im.max(axis=2).astype(int) - im.min(axis=2)) > 40
        assert saturated.mean() > 0.002, f"page {entry.page} ({entry.indicator_id}) has no map colours"


def test_a_missing_pdftoppm_is_an_error_not_a_skip(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(AssertionError, match="install poppler-utils"):
        _pdftoppm()
