"""A copy of the app for a benchmark run, so edits made in the checkout meanwhile never leak into it."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "test-artifacts", "results", "__pycache__", ".pytest_cache"}


def snapshot_app(dest: Path, src: Path = ROOT, *, link_venv: bool = False) -> Path:
    """Copy the app (working tree) to ``dest`` without environments, databases, results and generated
    geometry; ``static/vendor`` is copied when the copy has none. ``link_venv``: ``dest/.venv`` points
    at the checkout's environment (for the project's scripts, which run ``.venv/bin/python``)."""
    src = src.resolve()

    def ignore(directory: str, names: list[str]) -> set[str]:
        out = {n for n in names if n in SKIP or n.endswith((".duckdb", ".duckdb.wal")) or ".tmp" in n}
        if Path(directory).resolve() == (src / "static").resolve():
            out.add("geo")
        return out

    shutil.copytree(src, dest, ignore=ignore)
    vendor = dest / "static" / "vendor"
    if not (vendor / "leaflet" / "leaflet.js").is_file():
        shutil.copytree(ROOT / "static" / "vendor", vendor, dirs_exist_ok=True)
    if link_venv:
        (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest
