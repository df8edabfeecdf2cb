"""Everything one map view draws: classes, colours, legend, tooltips and the table, as plain data.

``build_map_view(con, indicator, period, level, scheme, k, lang)`` joins the values to the areas
(``atlas.frames.map_frame.map_frame``), classifies them (``atlas.mapping.classify``), picks the colours and
legend rows (``atlas.mapping``) and formats the parts of each area's tooltip. The folium layer, the table, the
downloads and the print export all read this one object, so they always agree.

Areas are styled by a *style key*: the class index as text (``"0"``, ``"1"``, …) for an area
with a value, or its status (``suppressed``, ``missing``, ``not_applicable``). ``styles`` maps each
key to its Leaflet path options.

Tooltip parts are HTML: every piece of data in them (values, units, notes) is escaped here; the
browser adds the area's name from the geometry file and escapes it there (static/atlas/choropleth.js).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..catalogue import Indicator, Text
from ..i18n import N_, check_lang, gettext, lazy, ngettext, pgettext
from ..names import fold
from ..frames.map_frame import HIDDEN_BY_DEFAULT, NOT_BENCHMARKED, Comparator, izmir_value, map_frame, ranks
from ..values import notes_in
from ..mapping import (K_MAX, K_MIN, STATUS_LABELS, STATUS_STYLES, Classification, LegendItem, benchmark_label, class_style, classify, colours_for, format_int, format_number, format_numbers, format_range, format_value, format_values, legend_items, status_label)
from ..mapping.classify import as_note
from .spreadsheet import csv_bytes
from .measures import blank_counts, count_columns, count_texts, measure_text, shows_counts

#: column → message of its heading (``gettext(TABLE_COLUMNS[column], lang)``)
TABLE_COLUMNS: dict[str, str] = {
    "area_code": N_("Code"),
    "name": N_("Area"),
    "district_name": N_("District"),
    "value": N_("Value"),
    "lower_ci": N_("Lower CI"),
    "upper_ci": N_("Upper CI"),
    "rank": N_("Rank"),
    "diff_izmir": N_("Difference from İzmir"),
    "class_label": N_("Class"),
    "status_label": N_("Status"),
    "note": N_("Note"),
}
TIP_COLUMNS = ("tip_value", "tip_ci", "tip_rank", "tip_diff", "tip_counts")
HOT_SPOTS = "hot_spots"
HOT_SPOTS_LEVEL_NOTE = lazy.gettext("Hot and cold spots are computed at mahalle level only; quantiles are shown "
                                    "instead.")
HOT_SPOTS_FAILED_NOTE = lazy.gettext("Hot and cold spots could not be computed for this indicator; quantiles are "
                                     "shown.")
NOT_COMPARED_NOTE = lazy.gettext("Counts are not compared with İzmir: İzmir's value is the sum of the areas.")
COUNT_NOT_COMPARED_NOTE = lazy.gettext("This indicator is a count and cannot be compared with İzmir's total; "
                                       "quantiles are shown instead.")
NO_IZMIR_NOTE = lazy.gettext("There is no İzmir value for this indicator and period, so the areas cannot be compared "
                             "with İzmir; quantiles are shown instead.")


@dataclass(frozen=True)
class MapView:
    """One indicator × period × level drawn with one classification, in one language.

    ``frame`` (one row per area shown; never modify it) has the columns of ``map_frame`` plus
    ``style_key``, ``class_label`` and the tooltip parts ``tip_value``, ``tip_ci``, ``tip_rank`` and
    ``tip_diff`` (escaped HTML). ``hidden`` counts the areas left out by kind.
    """

    indicator: Indicator
    period: str
    level: str
    scheme: str
    k: int
    lang: str
    frame: gpd.GeoDataFrame
    comparator: Comparator
    classification: Classification
    colours: tuple[str, ...]
    legend: tuple[LegendItem, ...]
    benchmark: str | None
    styles: dict[str, dict]
    hidden: int
    extra_notes: tuple[Text, ...] = ()
    tip_text: dict[str, Any] = field(default_factory=dict)  # what every tooltip shares (see layer_payload)

    @property
    def notes(self) -> tuple[Text, ...]:
        return self.classification.notes + self.extra_notes

    @property
    def title(self) -> str:
        return self.indicator.title.get(self.lang)


def rank_hint(ind: Indicator, lang: str) -> str:
    """What rank 1 means: the best, or the highest for an indicator with no judgement."""
    if ind.polarity == "no_judgement":
        return gettext("1 = highest", lang)
    return gettext("1 = best", lang)


def _style_keys(frame: pd.DataFrame, classes: tuple[int, ...]) -> list[str]:
    keys = []
    for status, cls in zip(frame["status"], classes):
        if status != "ok":
            keys.append(status if status in STATUS_STYLES else "missing")
        else:
            keys.append(str(cls) if cls >= 0 else "missing")
    return keys


def _tip_columns(frame: pd.DataFrame, ind: Indicator, lang: str) -> dict[str, list[str]]:
    """The per-area parts of the tooltips, formatted in the language and HTML-escaped: the value,
    the CI range, the rank and the signed difference from İzmir ("" where there is none). The
    browser puts them together with the area's name (static/atlas/choropleth.js). Formatted a
    column at a time: a view may have 30,000 areas."""
    esc, unit, d = html.escape, ind.unit, ind.decimals
    ok = (frame["status"] == "ok").to_numpy()
    has_ci = ok & frame["lower_ci"].notna().to_numpy() & frame["upper_ci"].notna().to_numpy()
    has_rank = ok & frame["rank"].notna().to_numpy()
    has_diff = ok & frame["diff_izmir"].notna().to_numpy()
    value = [esc(t) if o else "" for t, o in zip(format_values(frame["value"], unit, lang, d), ok)]
    ci = [esc(format_range(lo, hi, lang, d, unit)) if h else ""
          for lo, hi, h in zip(frame["lower_ci"], frame["upper_ci"], has_ci)]
    rank = [t if h else "" for t, h in zip(format_numbers(frame["rank"], lang, 0), has_rank)]
    diff = [(("+" if x > 0 and t.strip("0,.") else "") + esc(t)) if h else ""
            for x, t, h in zip(frame["diff_izmir"], format_numbers(frame["diff_izmir"], lang, d), has_diff)]
    counts = [esc(t) for t in count_texts(ind, frame["numerator"], frame["denominator"], frame["status"], lang)]
    return {"tip_value": value, "tip_ci": ci, "tip_rank": rank, "tip_diff": diff, "tip_counts": counts}


def _tip_text(ind: Indicator, comp: Comparator, lang: str, n_ranked: int) -> dict[str, Any]:
    """What every tooltip of a view shares (plain text; the browser escapes it)."""
    hint = rank_hint(ind, lang)
    izmir = None
    if comp.value is not None:  # the browser puts the area's difference after it
        izmir = gettext("İzmir: {value} · difference", lang,
                        value=format_value(comp.value, ind.unit, lang, ind.decimals)) + " "
    # after the district's name: "Alsancak · Konak district"
    return {"districtOf": pgettext("after a district's name", "district", lang), "ci": gettext("95% CI", lang),
            "rank": gettext("Rank", lang), "rankSuffix": f" / {format_int(n_ranked, lang)} ({hint})", "izmir": izmir,
            "statusLabels": {key: gettext(message, lang) for key, message in STATUS_LABELS.items()},
            "keyLabels": None}


def build_map_view(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, level: str, scheme: str,
                   k: int, lang: str, *, show_hidden: bool = False) -> MapView:
    """The view of ``ind`` for ``period`` at ``level``, classified by ``scheme`` into ``k`` classes.

    ``show_hidden`` keeps islands, industrial and free zones (left out by default). Raises
    ValueError for an unknown scheme, a k outside 2..9 or an unknown language.
    """
    check_lang(lang)
    if not K_MIN <= k <= K_MAX:
        raise ValueError(f"number of classes k must be a whole number from {K_MIN} to {K_MAX}, got {k!r}")
    full = map_frame(con, ind, period, level, hide_kinds=())
    full = full.assign(note=notes_in(full, lang)).drop(columns=["note_tr", "note_en"])
    full = blank_counts(full)  # a suppressed value's counts are never shown, sent or exported
    shown = full
    if not show_hidden:
        shown = full[~full["kind"].isin(HIDDEN_BY_DEFAULT)].reset_index(drop=True)
        # rank of N among the areas on the map
        shown = shown.assign(rank=ranks(shown["value"], ind.polarity), rank_of=int(shown["value"].notna().sum()))
    hidden = len(full) - len(shown)
    comp = izmir_value(con, ind.id, period)
    measure = measure_text(ind)  # what a family member's value is: the legend and the export say it
    extra: tuple[Text, ...] = (measure,) if measure is not None else ()
    if ind.value_type in NOT_BENCHMARKED:
        # İzmir's count is the sum of the areas: no area is compared with it (as on the profile)
        comp = Comparator(None, None, None, comp.note)
        extra += (as_note(NOT_COMPARED_NOTE),)
        if scheme == "compare_izmir":
            scheme = "quantiles"
            extra = extra[:1] if measure is not None else ()
            extra += (as_note(COUNT_NOT_COMPARED_NOTE),)
        shown = shown.assign(diff_izmir=np.nan)
    elif scheme == "compare_izmir" and comp.value is None:
        # e.g. an imported indicator whose file does not cover every area: nothing to compare with
        scheme = "quantiles"
        extra += (as_note(NO_IZMIR_NOTE),)
    hot = scheme == HOT_SPOTS
    if hot and level != "mahalle":
        scheme, hot = "quantiles", False
        extra += (as_note(HOT_SPOTS_LEVEL_NOTE),)
    bench_ci = ((comp.lower_ci, comp.upper_ci)
                if comp.lower_ci is not None and comp.upper_ci is not None else None)
    cls = classify(shown["value"].tolist(), "quantiles" if hot else scheme, k, lower=shown["lower_ci"].tolist(),
                   upper=shown["upper_ci"].tolist(), benchmark=comp.value, polarity=ind.polarity,
                   benchmark_ci=bench_ci, statuses=shown["status"].tolist())
    colours = tuple(colours_for(cls))
    status_counts = shown["status"].value_counts().to_dict()
    legend = tuple(legend_items(cls, colours, ind, lang, status_counts))
    styles = {item.key: dict(item.style) for item in legend}
    for i, colour in enumerate(colours):  # class keys are indices, also for compare_izmir
        styles[str(i)] = class_style(colour)
    keys = _style_keys(shown, cls.classes)
    labels = {str(i): item.label for i, item in enumerate(x for x in legend if x.kind == "class")}
    labels.update({item.key: item.label for item in legend if item.kind == "status"})
    n_ranked = int(shown["rank"].notna().sum())
    frame = shown.assign(style_key=keys, class_label=[labels.get(key, "") for key in keys])
    frame = frame.assign(**_tip_columns(frame, ind, lang))
    tip_text = _tip_text(ind, comp, lang, n_ranked)
    if hot:
        hot_view = _hot_spots(con, ind, period, level, shown, lang)
        if hot_view is None:
            scheme = "quantiles"
            extra += (as_note(HOT_SPOTS_FAILED_NOTE),)
        else:
            keys, legend, styles, note = hot_view
            colours = tuple(item.colour for item in legend if item.kind == "class")
            labels = {item.key: item.label for item in legend}
            frame = frame.assign(style_key=keys, class_label=[labels.get(key, "") for key in keys])
            tip_text = {**tip_text, "keyLabels": labels}  # each tooltip names the area's cluster
            extra += (note,)
    return MapView(ind, period, level, scheme, k, lang, frame, comp, cls, colours, legend,
                   benchmark_label(cls, ind, lang), styles, hidden, extra, tip_text)


def _hot_spots(con, ind: Indicator, period: str, level: str, shown: pd.DataFrame, lang: str):
    """Style keys, legend and styles of the LISA clusters (None when they cannot be computed)."""
    from ..equity.lisa import LisaNotPossible, indicator_lisa  # esda is slow to import: only when asked
    from ..equity.maps import lisa_layer

    try:
        lisa = indicator_lisa(con, ind, period, level)
    except LisaNotPossible:
        return None
    layer = lisa_layer(lisa, shown, lang)
    return list(layer.keys), layer.legend, layer.styles, Text(_lisa_note(lisa, "tr"), _lisa_note(lisa, "en"))


def _lisa_note(lisa, lang: str) -> str:
    """How the hot and cold spots were found, in ``lang`` (numbers in its format)."""
    num = format_number
    if lisa.method == "moran_local_rate":
        method = gettext("Local Moran's I (Empirical Bayes rates)", lang)
    else:
        method = gettext("Local Moran's I", lang)
    return gettext("{method}, {permutations}, p ≤ {alpha}; global Moran's I = {moran_i} (p = {moran_p}); {islands}.",
                   lang, method=method,
                   permutations=ngettext("{n} permutation", "{n} permutations", lisa.permutations, lang),
                   alpha=num(lisa.alpha, lang, 2), moran_i=num(lisa.moran_i, lang, 2), moran_p=num(lisa.moran_p, lang, 3),
                   islands=ngettext("{n} area without a neighbour linked to the nearest area",
                                    "{n} areas without a neighbour linked to the nearest area", len(lisa.islands), lang))


KEY_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
NOT_SHOWN = "."


def _joined(texts: Any) -> str:
    """'|'-joined texts (each already HTML-escaped, so a '|' in one is written as an entity)."""
    return "|".join(str(x).replace("|", "&#124;") for x in texts)


def layer_payload(mv: MapView, order: Sequence[str]) -> dict[str, Any]:
    """What the browser needs to colour and explain the map, aligned with the features of the
    level's geometry file (``order``: their area codes, ``atlas.views.map_geometry.GeometryFile.codes``):

    ``n`` features; ``keyList`` the style keys; ``keys`` one character per feature (its index in
    ``keyList`` in base 36, ``"."`` where the area is not shown); ``cols`` the tooltip parts as
    ``|``-joined texts (``v`` value, ``ci`` interval, ``r`` rank, ``d`` difference from İzmir,
    ``s`` status where there is no value, ``note`` index into ``notes``, ``c`` the counts behind an
    'ok' value: never those of a suppressed one); ``text`` what every
    tooltip shares; ``styles`` the path options of each key. No codes and no names are sent: the
    browser has them from the geometry file. A few bytes per area instead of a tooltip each.
    """
    frame = mv.frame
    at = {code: i for i, code in enumerate(frame["area_code"])}
    key_list = list(dict.fromkeys(frame["style_key"]))
    if len(key_list) > len(KEY_DIGITS):
        raise ValueError(f"a map view can have at most {len(KEY_DIGITS)} style keys, got {len(key_list)}")
    digit = {key: KEY_DIGITS[i] for i, key in enumerate(key_list)}
    missing_codes = set(at) - set(order)
    if missing_codes:
        raise ValueError(f"{len(missing_codes)} areas of the view are not in the geometry file "
                         f"(e.g. {sorted(missing_codes)[0]!r}); the geometry was made from another database")
    rows = [at.get(code) for code in order]
    notes: dict[str, int] = {}
    note_col, status_col = [], []
    keys, cols = [], {name: frame[name].tolist() for name in TIP_COLUMNS}
    styles_key, status, note = frame["style_key"].tolist(), frame["status"].tolist(), frame["note"].tolist()
    picked: dict[str, list[str]] = {name: [] for name in cols}
    for r in rows:
        if r is None:
            keys.append(NOT_SHOWN)
            for name in cols:
                picked[name].append("")
            note_col.append("")
            status_col.append("")
            continue
        keys.append(digit[styles_key[r]])
        for name in cols:
            picked[name].append(cols[name][r])
        status_col.append("" if status[r] == "ok" else (status[r] if status[r] in STATUS_LABELS else "missing"))
        text = note[r].strip() if isinstance(note[r], str) else ""
        note_col.append(str(notes.setdefault(html.escape(text), len(notes))) if text else "")
    return {
        "n": len(order),
        "keyList": key_list,
        "keys": "".join(keys),
        "cols": {"v": _joined(picked["tip_value"]), "ci": _joined(picked["tip_ci"]), "r": _joined(picked["tip_rank"]),
                 "d": _joined(picked["tip_diff"]), "s": _joined(status_col), "note": _joined(note_col),
                 "c": _joined(picked["tip_counts"])},
        "notes": list(notes),
        "text": mv.tip_text,
        "styles": mv.styles,
    }


def table(mv: MapView) -> pd.DataFrame:
    """The view as a table (one row per area, numbers as numbers so it sorts), columns in the language."""
    lang = mv.lang
    counts = [c for c in ("numerator", "denominator")  # (never a suppressed row's: blank_counts)
              if shows_counts(mv.indicator) and mv.frame[c].notna().any()]
    cols = ["area_code", "name"] + (["district_name"] if mv.level == "mahalle" else []) + [
        "value", "lower_ci", "upper_ci", *counts, "rank", "diff_izmir", "class_label", "status_label", "note"]
    labels = {s: pgettext("status of an area", "value", lang) if s == "ok" else status_label(s, lang)
              for s in set(mv.frame["status"])}
    df = pd.DataFrame(mv.frame.drop(columns=["geometry", *TIP_COLUMNS]))
    df = df.assign(status_label=[labels[s] for s in df["status"]])
    headings = {**{c: gettext(TABLE_COLUMNS[c], lang) for c in cols if c in TABLE_COLUMNS},
                **count_columns(mv.indicator, lang)}
    return df[cols].rename(columns={c: headings[c] for c in cols})


def table_count_columns(mv: MapView) -> tuple[str, ...]:
    """The headings of the table's count columns (whole numbers), in the view's language."""
    return tuple(count_columns(mv.indicator, mv.lang).values())


def _export_frame(mv: MapView) -> pd.DataFrame:
    ind = mv.indicator
    df = pd.DataFrame(mv.frame.drop(columns=["geometry", "centroid_lon", "centroid_lat", *TIP_COLUMNS]))
    return df.assign(indicator_id=ind.id, period=mv.period, level=mv.level, scheme=mv.scheme,
                     unit=ind.unit.get(mv.lang), izmir_value=mv.comparator.value,
                     source=ind.source.get(mv.lang), licence=ind.licence.get(mv.lang))[
        ["indicator_id", "period", "level", "area_code", "name", "district_code", "district_name", "kind",
         "value", "lower_ci", "upper_ci", "numerator", "denominator", "status", "note", "coverage",
         "rank", "rank_of", "izmir_value", "diff_izmir", "scheme", "style_key", "class_label", "unit",
         "source", "licence"]]


def to_csv(mv: MapView) -> bytes:
    """The values behind the view as UTF-8 CSV (with BOM, so spreadsheet programs read Turkish letters; text
    that would start a formula is written as text: ``atlas.views.spreadsheet``)."""
    return csv_bytes(_export_frame(mv))


def to_geojson(mv: MapView) -> bytes:
    """The view as GeoJSON (WGS84, the simplified display geometry) with the same columns as the CSV."""
    df = _export_frame(mv)
    gdf = gpd.GeoDataFrame(df, geometry=mv.frame.geometry.values, crs="EPSG:4326")
    doc = json.loads(gdf.to_json(na="null", drop_id=True))
    doc["atlas"] = {"indicator": mv.indicator.id, "title": mv.title, "period": mv.period, "level": mv.level,
                    "source": mv.indicator.source.get(mv.lang), "licence": mv.indicator.licence.get(mv.lang),
                    "geometry": "display geometry (simplified, coverage_simplify 0.0005°)"}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def area_at(mv: MapView, lon: float, lat: float) -> str | None:
    """The code of the area of the view that contains the point (None outside every area)."""
    point = shapely.Point(float(lon), float(lat))
    hits = mv.frame.sindex.query(point, predicate="intersects")
    return str(mv.frame["area_code"].iloc[int(hits[0])]) if len(hits) else None


def focus_bounds(mv: MapView, code: str | None) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of an area of the view, or of a district's mahalle at mahalle
    level; None when ``code`` is not on the map."""
    if not code:
        return None
    rows = mv.frame[mv.frame["area_code"] == code]
    if rows.empty and mv.level == "mahalle":
        rows = mv.frame[mv.frame["district_code"] == code]
    if rows.empty:
        return None
    west, south, east, north = rows.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def fold_options(options: dict[str, str]) -> dict[str, str]:
    """The labels of ``options`` folded for matching (``atlas.names.fold``), made once per list."""
    return {code: fold(text) for code, text in options.items()}


def search_matches(options: dict[str, str], folded: dict[str, str], text: str, limit: int) -> tuple[dict[str, str], int]:
    """The options whose label contains ``text`` (Turkish-aware folding: "izmir" finds "İzmir",
    "gunes" finds "Güneş"), labels starting with it first, then in the options' order; at most
    ``limit`` of them, and how many matched in all. Empty text matches nothing.

    ``folded``: ``fold_options(options)``.
    """
    needle = fold(text.strip())
    if not needle:
        return {}, 0
    starts, contains = [], []
    for code, label in folded.items():
        if label.startswith(needle):
            starts.append(code)
        elif needle in label:
            contains.append(code)
    found = starts + contains
    return {code: options[code] for code in found[:limit]}, len(found)


def search_options(areas: pd.DataFrame, level: str, lang: str) -> dict[str, str]:
    """Codes and labels for the area search at ``level``: the areas of the level and, at mahalle
    level, the districts too (``"Alsancak — Konak"``, ``"Konak (ilçe)"``), in Turkish alphabetical order.

    ``areas``: columns level, code, name, parent_code (queries/list_area_names.sql).
    """
    is_district = (areas["level"] == "district").to_numpy()
    d_codes = areas["code"][is_district].tolist()
    d_names = areas["name"][is_district].tolist()
    # (sort key, code, label); each district name is folded once, not once per mahalle
    labels = [gettext("{name} (district)", lang, name=n) for n in d_names]
    options = [(fold(label), c, label) for c, label in zip(d_codes, labels)]
    if level == "mahalle":
        d_name, d_fold = dict(zip(d_codes, d_names)), {c: fold(n) for c, n in zip(d_codes, d_names)}
        is_mahalle = (areas["level"] == "mahalle").to_numpy()
        for c, n, parent in zip(areas["code"][is_mahalle].tolist(), areas["name"][is_mahalle].tolist(),
                                areas["parent_code"][is_mahalle].tolist()):
            options.append((f"{fold(n)} — {d_fold.get(parent, '')}", c, f"{n} — {d_name.get(parent, '')}"))
    options.sort(key=lambda item: item[0])
    return {code: label for _, code, label in options}
