"""`python -m atlas export` and `export-atlas`: files written, bad requests write nothing."""

from __future__ import annotations

import subprocess
import sys
import types
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from atlas import cli
from atlas.errors import ExportError
from atlas.export import files
from tests.conftest import ROOT
from tests.test_export_render import make_export_db


@pytest.fixture
def edb(tmp_path):
    return make_export_db(tmp_path / "export.duckdb")


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "csv", "gpkg", "zip"])
def test_export_writes_each_format(capsys, edb, tmp_path, fmt):
    out = tmp_path / f"map.{fmt}"
    code, stdout, err = _run(capsys, "export", "--indicator", "test_share", "--period", "2023", "--level", "mahalle",
                             "--format", fmt, "--dpi", "150", "--lang", "en", "--db", str(edb), "--out", str(out))
    assert code == 0, err
    assert out.is_file() and out.stat().st_size > 500
    assert f"wrote {out} ({fmt}" in stdout and "permalink: http://" in stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if fmt == "png":
        assert Image.open(out).size == (1753, 1240)  # A4 landscape at 150 dpi


def test_export_takes_the_format_from_the_file_name_and_writes_the_data_beside(capsys, edb, tmp_path):
    out = tmp_path / "karsiyaka.pdf"
    code, stdout, err = _run(capsys, "export", "--indicator", "test_share", "--level", "mahalle", "--paper", "a3",
                             "--orientation", "portrait", "--labels", "--zoom-to", "9001", "--data",
                             "--base-url", "https://atlas.example.org", "--db", str(edb), "--out", str(out))
    assert code == 0, err
    page = PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)  # A3 portrait
    text = page.extract_text()
    assert "Yakınlaştırma: Karşıyaka" in text and "https://atlas.example.org/?indicator=test_share" in text
    assert "area=9001" in text  # the zoomed district travels in the permalink
    with zipfile.ZipFile(tmp_path / "karsiyaka_data.zip") as zf:
        assert "README.txt" in zf.namelist()


@pytest.mark.parametrize("args,message", [
    (["--indicator", "nope", "--level", "mahalle"], "unknown indicator 'nope'; indicators in the database: test_share"),
    (["--indicator", "test_share", "--period", "1999", "--level", "mahalle"],
     "no values for period '1999' at level 'mahalle'; periods with values: 2023"),
    (["--indicator", "test_share", "--level", "mahalle", "--dpi", "5000"], "dpi 5000 is not possible"),
    (["--indicator", "test_share", "--level", "mahalle", "--dpi", "0"], "dpi 0 is not possible"),
    (["--indicator", "test_share", "--level", "mahalle", "--dpi", "abc"], "dpi 'abc' is not a whole number"),
    (["--indicator", "test_share", "--level", "mahalle", "--k", "12"], "number of classes 12 is not possible"),
    # 2 classes would draw, but the app takes 3 to 9, so the permalink would not open the same map
    (["--indicator", "test_share", "--level", "mahalle", "--k", "2"],
     "number of classes 2 is not possible; use a whole number from 3 to 9"),
    (["--indicator", "test_share", "--level", "mahalle", "--zoom-to", "1234"], "cannot zoom to '1234'"),
    (["--indicator", "test_share", "--level", "mahalle", "--format", "pdf"], "ends in .png but the format is pdf"),
])
def test_bad_requests_fail_with_one_message_and_write_no_file(capsys, edb, tmp_path, args, message):
    out = tmp_path / "map.png"
    code, stdout, err = _run(capsys, "export", *args, "--db", str(edb), "--out", str(out))
    assert code == 1
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == [edb], "no file, no temporary file"


def test_bad_request_leaves_an_existing_file_untouched(capsys, edb, tmp_path):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    code, _, err = _run(capsys, "export", "--indicator", "test_share", "--level", "mahalle", "--dpi", "9000",
                        "--db", str(edb), "--out", str(out))
    assert code == 1 and out.read_bytes() == b"old"


def test_missing_folder_is_explained(capsys, edb, tmp_path):
    code, _, err = _run(capsys, "export", "--indicator", "test_share", "--level", "district", "--db", str(edb),
                        "--out", str(tmp_path / "nowhere" / "map.png"))
    assert code == 1 and "the folder" in err and "does not exist" in err


def test_a_failure_while_rendering_leaves_no_file(monkeypatch, edb, tmp_path):
    def boom(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(files, "render_map", boom)
    from atlas import db

    con = db.connect(edb)
    try:
        with pytest.raises(RuntimeError):
            files.export_file(con, tmp_path / "map.pdf", indicator="test_share", period="2023", level="mahalle")
    finally:
        con.close()
    assert list(tmp_path.iterdir()) == [edb]


def test_write_atomic_removes_its_temporary_file_on_failure(tmp_path):
    def half(path):
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    with pytest.raises(OSError):
        files.write_atomic(tmp_path / "x.pdf", half)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ExportError, match="does not exist"):
        files.write_atomic(tmp_path / "no" / "x.pdf", b"data")


def test_export_atlas_writes_cover_contents_and_a_page_per_indicator(capsys, edb, tmp_path):
    out = tmp_path / "atlas.pdf"
    code, stdout, err = _run(capsys, "export-atlas", "--out", str(out), "--level", "mahalle", "--lang", "en",
                             "--db", str(edb))
    assert code == 0, err
    reader = PdfReader(out)
    assert len(reader.pages) == 3  # cover, contents, one indicator
    cover, contents, page = (p.extract_text() for p in reader.pages)
    assert "İzmir Health Equity Atlas" in cover and "Map atlas · Neighbourhoods (mahalle)" in cover
    assert "Sources and licences" in cover and "Test fixture (fictional) — CC0" in cover
    assert "Contents" in contents and "Test share (%)" in contents
    assert "Test share" in page and "Definition: Test definition" in page and "Page 3 of 3" in page
    assert "[" in err and "3/3" in err  # the progress bar
    assert "wrote" in stdout and "3 pages" in stdout
    assert "equity summary: atlas.equity.export_summary" in stdout  # the equity module provides it


def test_export_atlas_quiet_and_bad_level(capsys, edb, tmp_path):
    code, _, err = _run(capsys, "export-atlas", "--out", str(tmp_path / "a.pdf"), "--quiet", "--db", str(edb))
    assert code == 0 and err == ""
    code, _, err = _run(capsys, "export-atlas", "--out", str(tmp_path / "a.png"), "--db", str(edb))
    assert code == 1 and "the atlas is a PDF" in err
    code, _, err = _run(capsys, "export-atlas", "--out", str(tmp_path / "b.pdf"), "--k", "2", "--db", str(edb))
    assert code == 1 and "number of classes 2 is not possible; use a whole number from 3 to 9" in err
    assert not (tmp_path / "b.pdf").exists()


def test_export_atlas_includes_the_equity_summary_when_the_module_provides_one(monkeypatch, capsys, edb, tmp_path):
    fake = types.ModuleType("atlas.equity")
    fake.export_summary = lambda con, mv: [f"Gini of {mv.indicator.id}: 0.12", "Worst fifth: 2 areas"]
    monkeypatch.setitem(sys.modules, "atlas.equity", fake)
    out = tmp_path / "atlas.pdf"
    code, stdout, err = _run(capsys, "export-atlas", "--out", str(out), "--level", "mahalle", "--lang", "en",
                             "--quiet", "--db", str(edb))
    assert code == 0, err
    text = PdfReader(out).pages[2].extract_text()
    assert "Equity summary" in text and "Gini of test_share: 0.12" in text
    assert "equity summary: atlas.equity.export_summary" in stdout


def test_python_m_atlas_export_runs_as_a_program(edb, tmp_path):
    out = tmp_path / "m.svg"
    res = subprocess.run([sys.executable, "-m", "atlas", "export", "--indicator", "test_share", "--level", "district",
                          "--db", str(edb), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    bad = subprocess.run([sys.executable, "-m", "atlas", "export", "--indicator", "test_share", "--level",
                          "district", "--period", "2099", "--db", str(edb), "--out", str(tmp_path / "b.svg")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "periods with values: 2023" in bad.stderr and not (tmp_path / "b.svg").exists()
