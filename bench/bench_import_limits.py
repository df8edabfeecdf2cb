"""Benchmark the import limits (issue 16, finding 7): hostile and oversized files are refused quickly.

Builds each file itself in a temporary folder (nothing is written into the checkout), then imports it
with ``import_file(..., dry_run=True)`` in a fresh process per case and reports the wall time of the
import and the process's peak resident memory (``VmHWM``, interpreter and imports included), with the
message it was refused with. Target: every refused file in under 5 s and 300 MB.

Cases: the issue's two (a 50 MB CSV; a ~0.25 MB XLSX that expands to 1,000,000 rows), one per limit
(file size, rows, columns, cell length, XLSX uncompressed size and XML elements, a row numbered
1,048,576, a cell in column XFD), and the worst files just inside the limits that are refused only by
the checks after a full read (10,000 rows of unknown mahalle names, as CSV and as XLSX, and an XLSX
at the XML-element limit). Uses the database of ATLAS_DB / geodata/atlas.duckdb (or --db), read only.

    .venv/bin/python bench/bench_import_limits.py [--db PATH] [--only NAME,...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.config import db_path  # noqa: E402
from atlas.importing.columns import COLUMNS  # noqa: E402
from atlas.importing.limits import (  # noqa: E402
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_ELEMENTS,
    MAX_XLSX_UNCOMPRESSED,
)

TIME_TARGET, MEMORY_TARGET_MB = 5.0, 300.0
INDICATOR = "example_full_immunisation"  # the template entry's indicator
ENTRY = ROOT / "examples" / "import_template_entry.toml"

# Run in a fresh interpreter per case, so that each peak memory is that case's alone.
RUNNER = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

from atlas.errors import ImportRejected
from atlas.importing import import_file
start_mb = hwm()
t0 = time.perf_counter()
try:
    report = import_file(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), dry_run=True)
    outcome, message = "accepted", f"{report.rows} rows"
except ImportRejected as exc:
    outcome, message = "refused", (exc.problems[0] if exc.problems else str(exc))
    if len(exc.problems) > 1:
        message += f" (+{len(exc.problems) - 1} more lines)"
seconds = time.perf_counter() - t0
print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds, "peak_mb": hwm(),
                  "start_mb": start_mb}))
"""


# --- the hostile files ---------------------------------------------------------------------------

HEADER = ",".join(COLUMNS)


def _csv_row(district: str = "Bornova", mahalle: str = "", level: str = "district", value: str = "12.5",
             note: str = "") -> str:
    cells = {"indicator_id": INDICATOR, "level": level, "district": district, "mahalle": mahalle,
             "period": "2024", "value": value, "note": note}
    return ",".join(cells.get(c, "") for c in COLUMNS)


def csv_50mb(path: Path) -> None:
    line = (_csv_row() + "\n").encode()
    with path.open("wb") as fh:
        fh.write(HEADER.encode() + b"\n")
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)


def csv_over_size(path: Path) -> None:
    line = (_csv_row() + "\n").encode()
    path.write_bytes(HEADER.encode() + b"\n" + line * (MAX_FILE_BYTES // len(line) + 1))


def csv_over_rows(path: Path) -> None:
    path.write_text(HEADER + "\n" + (_csv_row() + "\n") * (MAX_ROWS + 1), encoding="utf-8")


def csv_wide(path: Path) -> None:
    path.write_text(HEADER + "\n" + _csv_row() + ",x" * 2_000_000 + "\n", encoding="utf-8")


def csv_long_cell(path: Path) -> None:
    path.write_text(HEADER + "\n" + _csv_row(note="a" * (8 * 1024 * 1024)) + "\n", encoding="utf-8")


def csv_long_cell_under_csv_limit(path: Path) -> None:
    path.write_text(HEADER + "\n" + (_csv_row(note="a" * (MAX_CELL_CHARS + 1)) + "\n"), encoding="utf-8")


def csv_max_rows_unknown_names(path: Path) -> None:
    rows = [_csv_row(level="mahalle", mahalle=f"Uydurma Mahalle {i}") for i in range(MAX_ROWS)]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def csv_full_size_long_notes(path: Path) -> None:
    """As many rows with 900-character notes as fit the size limit, each with an unknown name."""
    rows, size = [], len(HEADER) + 1
    i = 0
    while True:
        line = _csv_row(level="mahalle", mahalle=f"Uydurma Mahalle {i}", note=f"{i:09d}" + "ş" * 445) + "\n"
        size += len(line.encode())
        if size > MAX_FILE_BYTES or len(rows) >= MAX_ROWS:
            break
        rows.append(line)
        i += 1
    path.write_text(HEADER + "\n" + "".join(rows), encoding="utf-8")


def _base_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(list(COLUMNS))
    wb.save(path)


def _with_sheet_data(path: Path, rows: bytes | None = None, extra: dict[str, bytes] | None = None,
                     styles_extra: bytes = b"") -> None:
    """Replace the first sheet's data of a minimal openpyxl workbook (the header row is kept)."""
    base = path.with_suffix(".base.xlsx")
    _base_xlsx(base)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet and rows is not None:
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            if info.filename == "xl/styles.xml" and styles_extra:
                data = data.replace(b"</cellXfs>", styles_extra + b"</cellXfs>")
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    base.unlink()


def xlsx_million_rows(path: Path) -> None:
    _with_sheet_data(path, b"<row><c><v>1</v></c></row>" * 1_000_000)


def xlsx_far_row(path: Path) -> None:
    _with_sheet_data(path, b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')


def xlsx_zip_bomb(path: Path) -> None:
    _with_sheet_data(path, extra={"xl/media/image1.bin": b"\0" * (4 * MAX_XLSX_UNCOMPRESSED)})


def xlsx_wide(path: Path) -> None:
    _with_sheet_data(path, b'<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>')


def xlsx_many_cells_in_a_row(path: Path) -> None:
    _with_sheet_data(path, b"<row>" + b"<c><v>1</v></c>" * 2_000_000 + b"</row>")


def xlsx_styles_elements(path: Path) -> None:
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    _with_sheet_data(path, styles_extra=xf * (MAX_XLSX_ELEMENTS + 1))


def xlsx_long_cell(path: Path) -> None:
    text = b"a" * (8 * 1024 * 1024)
    _with_sheet_data(path, b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>")


def _inline(col: int, row: int, text: str) -> bytes:
    letter = chr(ord("A") + col)
    return f'<c r="{letter}{row}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def xlsx_max_rows_unknown_names(path: Path) -> None:
    idx = {c: i for i, c in enumerate(COLUMNS)}
    rows = []
    for r in range(2, MAX_ROWS + 2):
        cells = (_inline(idx["indicator_id"], r, INDICATOR) + _inline(idx["level"], r, "mahalle")
                 + _inline(idx["district"], r, "Bornova") + _inline(idx["mahalle"], r, f"Uydurma Mahalle {r}")
                 + f'<c r="F{r}"><v>2024</v></c><c r="G{r}"><v>12.5</v></c>'.encode())
        rows.append(b'<row r="%d">' % r + cells + b"</row>")
    _with_sheet_data(path, b"".join(rows))


def xlsx_at_element_limit(path: Path) -> None:
    """Rows of MAX_COLUMNS numeric cells (2 elements each) up to just under the element limit."""
    per_row = 1 + 2 * MAX_COLUMNS
    n = min(MAX_ROWS, (MAX_XLSX_ELEMENTS - 2_000) // per_row)
    row = b"<row>" + b"<c><v>1</v></c>" * MAX_COLUMNS + b"</row>"
    _with_sheet_data(path, row * n)


CASES = {
    "csv_50mb (issue)": ("big.csv", csv_50mb),
    "xlsx_million_rows (issue)": ("million.xlsx", xlsx_million_rows),
    "csv_over_size": ("size.csv", csv_over_size),
    "csv_over_rows": ("rows.csv", csv_over_rows),
    "csv_2m_columns": ("wide.csv", csv_wide),
    "csv_8mb_cell": ("cell.csv", csv_long_cell),
    "csv_1001_char_note": ("note.csv", csv_long_cell_under_csv_limit),
    "xlsx_row_1048576": ("far.xlsx", xlsx_far_row),
    "xlsx_zip_bomb": ("bomb.xlsx", xlsx_zip_bomb),
    "xlsx_column_xfd": ("xfd.xlsx", xlsx_wide),
    "xlsx_2m_cells_one_row": ("cells.xlsx", xlsx_many_cells_in_a_row),
    "xlsx_styles_elements": ("styles.xlsx", xlsx_styles_elements),
    "xlsx_8mb_cell": ("cell.xlsx", xlsx_long_cell),
    "csv_max_rows_unknown_names": ("names.csv", csv_max_rows_unknown_names),
    "xlsx_max_rows_unknown_names": ("names.xlsx", xlsx_max_rows_unknown_names),
    "csv_10mb_long_notes": ("notes.csv", csv_full_size_long_notes),
    "xlsx_at_element_limit": ("elements.xlsx", xlsx_at_element_limit),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="atlas database (read only; default ATLAS_DB / geodata/atlas.duckdb)")
    ap.add_argument("--only", help="comma-separated case names (prefixes)")
    ap.add_argument("--json", help="write the results to this file")
    args = ap.parse_args()
    db = db_path(args.db)
    if not db.is_file():
        print(f"no database at {db}: build one with 'python -m atlas build' or give --db", file=sys.stderr)
        return 2
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    results = []
    print(f"{'case':<30} {'file':>9} {'time':>7} {'peak':>8}  outcome")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        for name, (file_name, build) in CASES.items():
            if wanted and not any(name.startswith(w) for w in wanted):
                continue
            path = Path(tmp) / file_name
            build(path)
            size = path.stat().st_size
            out = subprocess.run([sys.executable, "-c", RUNNER, str(ROOT), str(path), str(db), str(ENTRY)],
                                 capture_output=True, text=True, timeout=600)
            path.unlink()
            if out.returncode != 0:
                print(f"{name:<30} FAILED:\n{out.stderr[-3000:]}")
                results.append({"case": name, "error": out.stderr[-3000:]})
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ok = r["outcome"] == "refused" and r["seconds"] < TIME_TARGET and r["peak_mb"] < MEMORY_TARGET_MB
            r.update(case=name, bytes=size, meets_target=ok)
            results.append(r)
            message = r["message"] if len(r["message"]) <= 110 else r["message"][:109] + "…"
            print(f"{name:<30} {size / 1e6:>7.2f}MB {r['seconds']:>6.2f}s {r['peak_mb']:>6.0f}MB  "
                  f"{'PASS' if ok else 'MISS'} {r['outcome']}: {message}")
    missed = [r["case"] for r in results if not r.get("meets_target")]
    print(f"\ntarget: every file refused in < {TIME_TARGET:g} s and < {MEMORY_TARGET_MB:g} MB peak "
          f"(process total, interpreter and imports included): "
          + ("met by every case" if not missed else f"MISSED by {', '.join(missed)}"))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
