"""The source files the build reads, described in ``geodata/sources.toml``."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import Text, _Entry
from ..config import SOURCES_MANIFEST
from ..errors import CatalogueError, MissingDataError

_KEYS = {"id", "title", "path", "url", "licence", "attribution", "required"}


@dataclass(frozen=True)
class SourceFile:
    """One source file. ``title``, ``licence`` and ``attribution`` are shown to users, so they are
    in Turkish and English (the manifest may give one string when both read the same)."""

    id: str
    title: Text
    path: str  # relative to the data directory
    url: str
    licence: Text
    attribution: Text
    required: bool

    def location(self, data_dir: Path) -> Path:
        return data_dir / self.path

    def row(self) -> dict[str, str]:
        """The user-facing texts as the ``sources`` table's columns (``title_tr``, ``title_en``, …)."""
        return text_columns(title=self.title, licence=self.licence, attribution=self.attribution)


def text_columns(**texts: Text) -> dict[str, str]:
    """``key=Text`` as the columns ``key_tr`` and ``key_en`` (how the ``sources`` table stores them)."""
    return {f"{key}_{lang}": text.get(lang) for key, text in texts.items() for lang in ("tr", "en")}


def load_manifest(path: Path = SOURCES_MANIFEST) -> dict[str, SourceFile]:
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    out: dict[str, SourceFile] = {}
    for n, raw in enumerate(doc.get("source", []), start=1):
        where = f"{path.name} [[source]] #{n}"
        missing = sorted(_KEYS - set(raw))
        unknown = sorted(set(raw) - _KEYS)
        if missing:
            raise CatalogueError(f"{where}: missing key '{missing[0]}'")
        if unknown:
            raise CatalogueError(f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(_KEYS))})")
        entry = _Entry(raw, where)
        src = SourceFile(id=entry.get("id", str), title=entry.text_or_str("title"), path=entry.get("path", str),
                         url=entry.get("url", str), licence=entry.text_or_str("licence"),
                         attribution=entry.text_or_str("attribution"), required=entry.get("required", bool))
        if src.id in out:
            raise CatalogueError(f"{where}: source id '{src.id}' is listed twice")
        out[src.id] = src
    return out


def check_present(manifest: dict[str, SourceFile], data_dir: Path) -> list[SourceFile]:
    """Raise MissingDataError naming every missing required file; return the missing optional ones."""
    missing_required = [s for s in manifest.values() if s.required and not s.location(data_dir).is_file()]
    if missing_required:
        lines = "\n".join(f"  - {s.path}  ({s.title.en}; from {s.url})" for s in missing_required)
        raise MissingDataError(
            f"Source data missing in the data directory {data_dir}:\n{lines}\n"
            f"Put each file at that path under {data_dir} (or point ATLAS_DATA_DIR / --data-dir at the "
            "folder that holds them); geodata/sources.toml lists every expected file."
        )
    return [s for s in manifest.values() if not s.required and not s.location(data_dir).is_file()]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
