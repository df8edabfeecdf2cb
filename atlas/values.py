"""Rows of ``indicator_values``: one place that sets status, CIs and the disclosure rule."""

from __future__ import annotations

import math
import re
from typing import Iterable

import numpy as np
import pandas as pd

from .catalogue import Indicator, Text
from .i18n import check_lang, lazy
from .statistics.intervals import ratio_interval_from_split, wilson_interval

COLUMNS = ["indicator_id", "level", "area_code", "period", "period_sort", "value", "numerator", "denominator",
           "lower_ci", "upper_ci", "status", "note_tr", "note_en", "coverage", "source_id"]
STATUSES = ("ok", "suppressed", "missing", "not_applicable")


def period_sort(period: str) -> int:
    """The last year named in a period label ('2021-2025' → 2025)."""
    years = re.findall(r"\d{4}", period)
    if not years:
        raise ValueError(f"period {period!r} names no year (expected e.g. '2023' or '2021-2025')")
    return int(years[-1])


def frame(ind: Indicator, level: str, period: str, source_id: str, rows: Iterable[dict]) -> pd.DataFrame:
    """Build value rows for one indicator × level × period.

    Each input dict has ``area_code`` and some of value, numerator, denominator, lower_ci, upper_ci,
    status, note, coverage. ``note`` is a :class:`Text` (Turkish and English), a message our code writes
    (:class:`atlas.i18n.lazy.Message`, put into each language here) or None; it is stored as ``note_tr``
    and ``note_en``. Status defaults to 'ok'; the disclosure rule turns small counts into
    'suppressed'; value and CI are cleared whenever the status is not 'ok'.
    """
    if period not in ind.periods:
        raise ValueError(f"{ind.id}: period {period!r} is not in the catalogue's periods {list(ind.periods)}")
    rows = list(rows)
    bad_notes = [r["note"] for r in rows
                 if r.get("note") is not None and not isinstance(r["note"], (Text, lazy.Message))]
    if bad_notes:
        raise TypeError(f"{ind.id}: a note must be a Text (Turkish and English) or a message, got {bad_notes[0]!r}")
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "note"} | _note_columns(r.get("note")) for r in rows])
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = None
    df["indicator_id"] = ind.id
    df["level"] = level
    df["period"] = period
    df["period_sort"] = period_sort(period)
    df["source_id"] = source_id
    df["status"] = df["status"].fillna("ok")
    suppress = [
        st == "ok" and ind.disclosure.suppresses(_num(n), _num(d))
        for st, n, d in zip(df["status"], df["numerator"], df["denominator"])
    ]
    if any(suppress):
        rule = ind.disclosure
        df.loc[suppress, "status"] = "suppressed"
        note = suppression_note(rule.min_count, rule.min_denominator)
        df.loc[suppress, "note_tr"] = note.get("tr")
        df.loc[suppress, "note_en"] = note.get("en")
        df.loc[suppress, ["numerator"]] = None
    not_ok = df["status"] != "ok"
    df.loc[not_ok, ["value", "lower_ci", "upper_ci"]] = None
    bad = sorted(set(df["status"]) - set(STATUSES))
    if bad:
        raise ValueError(f"{ind.id}: unknown status {bad[0]!r}; use one of {', '.join(STATUSES)}")
    out = df[COLUMNS].copy()
    for col in ("value", "numerator", "denominator", "lower_ci", "upper_ci", "coverage"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
    return out


def _note_columns(note: Text | lazy.Message | None) -> dict:
    return {"note_tr": note.get("tr") if note else None, "note_en": note.get("en") if note else None}


def written_note(message: lazy.Message) -> Text:
    """A note our code writes (a message of the catalogue) in the two languages the database stores
    (``note_tr``, ``note_en``)."""
    return Text(message.get("tr"), message.get("en"))


def suppression_note(min_count: int, min_denominator: int) -> Text:
    """Why the disclosure rule (a count under ``min_count``, a denominator under ``min_denominator``;
    0 = no such limit) hid a value, in both languages."""
    if min_count and min_denominator:
        message = lazy.ngettext("suppressed by the disclosure rule: fewer than {n} event "
                                "or a denominator under {limit}",
                                "suppressed by the disclosure rule: fewer than {n} events "
                                "or a denominator under {limit}", min_count, limit=min_denominator)
    elif min_count:
        message = lazy.ngettext("suppressed by the disclosure rule: fewer than {n} event",
                                "suppressed by the disclosure rule: fewer than {n} events", min_count)
    elif min_denominator:
        message = lazy.gettext("suppressed by the disclosure rule: a denominator under {limit}", limit=min_denominator)
    else:  # a rule without limits hides nothing; said for completeness
        message = lazy.gettext("suppressed by the disclosure rule")
    return written_note(message)


def note_text(tr, en) -> Text | None:
    """A stored note (``note_tr``, ``note_en``) as a Text; a note given in one language only is shown in both."""
    tr = tr.strip() if isinstance(tr, str) else ""
    en = en.strip() if isinstance(en, str) else ""
    if not tr and not en:
        return None
    return Text(tr or en, en or tr)


def notes_in(frame: pd.DataFrame, lang: str) -> list[str | None]:
    """The ``note_tr``/``note_en`` columns of a frame as one note per row in ``lang`` (see :func:`note_text`).

    Notes are stored in Turkish and English only: any other language of the atlas reads the English note
    (as :meth:`Text.get` does)."""
    check_lang(lang)

    def clean(col: str) -> pd.Series:
        text = frame[col].where(frame[col].map(lambda x: isinstance(x, str)), None)
        return text.str.strip().replace("", None)

    stored, other_lang = ("tr", "en") if lang == "tr" else ("en", "tr")
    first, other = clean(f"note_{stored}"), clean(f"note_{other_lang}")
    picked = first.where(first.notna(), other)
    return [x if isinstance(x, str) else None for x in picked]


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def proportion(numerator: float, denominator: float, scale: float) -> dict:
    """Value × scale with a Wilson 95 % CI, for a count out of a total."""
    lo, hi = wilson_interval(numerator, denominator)
    return {"value": numerator / denominator * scale, "numerator": numerator, "denominator": denominator,
            "lower_ci": lo * scale, "upper_ci": hi * scale}


def split_ratio(a: float, b: float, scale: float) -> dict:
    """a per b × scale (e.g. males per 100 females) with a CI from the Wilson interval of a/(a+b)."""
    lo, hi = ratio_interval_from_split(a, b)
    return {"value": a / b * scale, "numerator": a, "denominator": b, "lower_ci": lo * scale,
            "upper_ci": hi * scale}


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def finite(x) -> bool:
    return x is not None and bool(np.isfinite(x))
