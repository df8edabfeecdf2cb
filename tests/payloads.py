"""Read the map view the browser is sent (``atlas.views.map_view.layer_payload``) back into one row per area."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from tests.conftest import ROOT

COLUMNS = ("v", "ci", "r", "d", "s", "note")


def areas_of(view: dict[str, Any], codes: Sequence[str]) -> dict[str, dict[str, str]]:
    """{code: {"key", "v", "ci", "r", "d", "s", "note"}} for every area the view shows; ``codes`` are
    the geometry file's feature ids in order. Checks the payload's shape on the way."""
    n = view["n"]
    assert n == len(codes) == len(view["keys"]), (n, len(codes), len(view["keys"]))
    cols = {name: view["cols"][name].split("|") for name in COLUMNS}
    assert all(len(c) == n for c in cols.values()), {k: len(c) for k, c in cols.items()}
    out = {}
    for i, code in enumerate(codes):
        digit = view["keys"][i]
        if digit == ".":
            continue
        row = {name: cols[name][i] for name in COLUMNS}
        row["note"] = view["notes"][int(row["note"])] if row["note"] else ""
        row["key"] = view["keyList"][int(digit, 36)]
        out[code] = row
    return out


def geometry_codes(view: dict[str, Any]) -> list[str]:
    """The feature ids of the geometry file the app wrote for this view (under static/geo/)."""
    name = view["geometry"].rsplit("/", 1)[-1]
    doc = json.loads((Path(ROOT) / "static" / "geo" / name).read_text(encoding="utf-8"))
    return [str(f["id"]) for f in doc["features"]]


def app_areas(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    """``areas_of`` for a view sent by the running app."""
    return areas_of(view, geometry_codes(view))
