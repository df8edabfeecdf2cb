"""What the Data & methods page shows: the catalogue entries, the sources and the WHO Healthy
Cities coverage, in one language. Plain data; the page only renders it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .. import queries
from ..catalogue import Indicator, indicator_from_json
from ..i18n import N_
from . import measures


@dataclass(frozen=True)
class IndicatorCard:
    indicator: Indicator
    origin: str
    theme_title: str
    periods: tuple[str, ...]
    levels: tuple[str, ...]


def indicator_cards(con: duckdb.DuckDBPyConnection, lang: str) -> list[IndicatorCard]:
    """One card per indicator in the database, with the periods and levels that have values."""
    meta = queries.run(con, "list_indicator_metadata")
    listed = queries.run(con, "list_indicators", {"lang": lang}).set_index("indicator_id")
    cards = []
    for ind_id, origin, raw in zip(meta["indicator_id"], meta["origin"], meta["metadata_json"]):
        row = listed.loc[ind_id]
        cards.append(IndicatorCard(
            indicator=indicator_from_json(raw), origin=origin,
            theme_title=row["theme"] if isinstance(row["theme"], str) else "",
            periods=tuple(row["periods"].split(", ")) if isinstance(row["periods"], str) else (),
            levels=tuple(row["levels"].split(", ")) if isinstance(row["levels"], str) else (),
        ))
    # a family's members follow its head (issue #19), in the order of the map's measure choice
    titles = {c.indicator.id: c.indicator.title.get(lang) for c in cards}

    def key(c: IndicatorCard):
        head = measures.head_id(c.indicator)
        return (c.theme_title, titles.get(head, c.indicator.title.get(lang)), head, measures.is_member(c.indicator),
                measures.sort_key(c.indicator))
    return sorted(cards, key=key)


def measure_rows(ind: Indicator, lang: str) -> list[tuple[str, str, str | None]]:
    """For a family member (issue #19): (field message, plain text, URL or None) rows saying what
    its value is and, for an age-standardised rate, which standard population and where it comes from."""
    note = measures.measure_note(ind, lang)
    if note is None:
        return []
    rows: list[tuple[str, str, str | None]] = [(N_("Measure"), note, None)]
    if ind.standard:
        text, url = measures.standard_description(ind.standard, lang)
        rows.append((N_("Standard population"), text, url))
    return rows


def who_coverage(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """The 32 WHO Healthy Cities indicators with a ``has_data`` flag and the atlas indicators behind it."""
    df = queries.run(con, "list_who_coverage", {"lang": lang})
    return df.assign(has_data=df["indicator_ids"].notna())


def sources(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """Every source, its title, licence and attribution in ``lang``."""
    return queries.run(con, "list_sources", {"lang": lang})
