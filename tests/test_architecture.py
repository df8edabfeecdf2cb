"""The layers of docs/architecture.md hold: the core never imports Streamlit, lower layers never
import higher ones (import-linter contracts in .importlinter), and the app's files stay where the
layout puts them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_import_contracts_are_kept():
    """import-linter checks every contract of .importlinter against the real import graph."""
    out = subprocess.run([str(LINT), "--config", str(ROOT / ".importlinter"), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_no_core_module_imports_streamlit():
    """Independent of import-linter: no file of atlas/ names streamlit in any import statement."""
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in _imports(p) if m.split(".")[0] in
                                                  ("streamlit", "streamlit_folium", "app_support"))
                 for p in (ROOT / "atlas").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_pages_are_thin():
    """Pages import the glue (app_support), the core (atlas), Streamlit and the standard library —
    never the database, SQL or geometry libraries directly."""
    heavy = {"duckdb", "geopandas", "shapely", "pandas", "folium", "mapclassify", "numpy"}
    found = {p.name: sorted(m for m in _imports(p) if m.split(".")[0] in heavy)
             for p in [*(ROOT / "pages").glob("*.py"), ROOT / "atlas_app.py"]}
    assert {k: v for k, v in found.items() if v} == {}


def test_each_feature_has_one_folder():
    """No module of app_support/ or atlas/ is named after a feature it does not live in
    (e.g. app_support/kiosk_page.py instead of app_support/kiosk/page.py)."""
    features = ("map", "profile", "equity", "export", "kiosk", "build", "strings")
    flat = [p.name for base in ("app_support", "atlas") for p in (ROOT / base).glob("*.py")
            if any(p.stem.startswith(f + "_") for f in features)]
    assert flat == []
