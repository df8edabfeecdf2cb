"""The double-burden view: two indicators at one level as a 3×3 bivariate map, a scatter plot, the
population-weighted correlation and the areas worse on both.

``bivariate_view(con, x, y, level)`` reads each indicator's latest period at ``level`` (or the
periods given), the population (``pop_total`` of the period nearest the later of the two), and
classes every area with both values and a population into population-weighted tertiles of each
indicator (:mod:`atlas.bivariate.classes`). Areas without one of the values or without a
population are kept on the map with a status and left out of the classes, the correlation and the
lists. Islands, industrial and free zones are left out as on the map page. No Streamlit here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping

import duckdb
import numpy as np
import pandas as pd

from .. import queries
from ..catalogue import Indicator
from ..equity.maps import LayerData
from ..equity.stratify import LEVEL_NAMES, POPULATION_INDICATOR, StratificationError, nearest_period
from ..equity.texts import ExplainedError
from ..frames.map_frame import map_frame
from ..i18n import gettext, label, lazy, ngettext
from ..i18n.lazy import Message
from ..mapping import class_style, format_int, format_range, format_value
from ..mapping.contrast import contrast_ratio
from ..mapping.palette import STATUS_STYLES
from ..views.view_state import LEVELS, Availability, Notice
from .classes import CLASS_NAMES, N_CLASSES, WORSE_BOTH, cell_colour, cell_key, judged, tertile_classes
from .correlation import Correlation, weighted_correlation

DEFAULT_X = "lst_summer_mean"
DEFAULT_Y = "svi_mean"
DEFAULT_LEVEL = "mahalle"
PARAMS = ("x", "y", "level")
STATUS_NAMES = {"no_value": lazy.gettext("No value for one or both indicators"),
                "no_population": lazy.gettext("No population (not classed)")}


class BivariateError(ExplainedError):
    """The two indicators cannot be shown together (the same indicator twice, a level or period without
    values); ``exc.text.get(lang)`` says why."""


@dataclass(frozen=True)
class BivariateState:
    x: str
    y: str
    level: str

    def to_params(self) -> dict[str, str]:
        return {"x": self.x, "y": self.y, "level": self.level}


@dataclass(frozen=True)
class BivariateView:
    x: Indicator
    y: Indicator
    level: str
    x_period: str
    y_period: str
    population_period: str | None
    frame: pd.DataFrame  # area_code, name, district_name, geometry (EPSG:4326), x, y, population, x_class,
    # y_class (-1: none), status; a GeoDataFrame
    x_ranges: tuple[tuple[float, float] | None, ...]  # value range of each third, class 0 (better) … 2
    y_ranges: tuple[tuple[float, float] | None, ...]
    correlation: Correlation
    problem: Message | None  # why the classes could not be made (then every class is -1)
    bounds: list[list[float]] | None  # [[south, west], [north, east]] of the classed areas

    @property
    def classed(self) -> pd.DataFrame:
        return self.frame[self.frame["status"] == "ok"]

    def worse_on_both(self) -> pd.DataFrame:
        """The areas in the worse third of both indicators, most populous first."""
        f = self.classed
        hit = f[(f["x_class"] == WORSE_BOTH[0]) & (f["y_class"] == WORSE_BOTH[1])]
        return hit.sort_values(["population", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def cell_counts(self) -> dict[tuple[int, int], tuple[int, float]]:
        """(x_class, y_class) → (areas, population) of each of the nine cells."""
        f = self.classed
        out = {}
        for xc in range(N_CLASSES):
            for yc in range(N_CLASSES):
                sub = f[(f["x_class"] == xc) & (f["y_class"] == yc)]
                out[(xc, yc)] = (int(len(sub)), float(sub["population"].sum()))
        return out


# --- the URL ---------------------------------------------------------------------------------

def bivariate_choices(avail: Availability, level: str) -> list[str]:
    """The indicators with values at ``level``."""
    return [i for i in avail.indicators if level in avail.levels(i)]


def resolve_state(params: Mapping[str, str], avail: Availability) -> tuple[BivariateState, list[Notice]]:
    """The state from URL parameters; anything not valid falls back to a default with a notice."""
    notices: list[Notice] = []
    level = params.get("level") or DEFAULT_LEVEL
    if level not in LEVELS or not bivariate_choices(avail, level):
        fallback = next((lv for lv in (DEFAULT_LEVEL, *LEVELS) if bivariate_choices(avail, lv)), DEFAULT_LEVEL)
        if params.get("level"):
            notices.append(Notice("level", str(params["level"]), fallback, ", ".join(LEVELS)))
        level = fallback
    choices = bivariate_choices(avail, level)
    chosen: dict[str, str] = {}
    for axis, default in (("x", DEFAULT_X), ("y", DEFAULT_Y)):
        taken = set(chosen.values())
        fallback = next((c for c in (default, *choices) if c in choices and c not in taken), default)
        given = params.get(axis)
        if given and given in choices and given not in taken:
            chosen[axis] = given
        else:
            if given:
                notices.append(Notice(axis, str(given), fallback, ", ".join(c for c in choices if c not in taken)))
            chosen[axis] = fallback
    return BivariateState(chosen["x"], chosen["y"], level), notices


# --- the view --------------------------------------------------------------------------------

def _period(con: duckdb.DuckDBPyConnection, ind: Indicator, level: str, period: str | None) -> tuple[str, int]:
    df = queries.run(con, "list_indicator_level_periods", {"indicator_id": ind.id, "level": level})
    where = dict(indicator=ind.id, level=LEVEL_NAMES.get(level, level))
    if df.empty:
        raise BivariateError(lazy.gettext("{indicator} has no values at {level} level", **where))
    if period is None:
        return str(df.iloc[0]["period"]), int(df.iloc[0]["period_sort"])
    hit = df[df["period"] == period]
    if hit.empty:
        raise BivariateError(lazy.gettext(
            "{indicator} has no values at {level} level for period {period}; periods with values: {periods}",
            period=repr(period[:40]), periods=", ".join(df["period"]), **where))
    return period, int(hit.iloc[0]["period_sort"])


def _ranges(values: pd.Series, classes: pd.Series) -> tuple[tuple[float, float] | None, ...]:
    out = []
    for c in range(N_CLASSES):
        v = values[classes == c]
        out.append((float(v.min()), float(v.max())) if len(v) else None)
    return tuple(out)


def bivariate_view(con: duckdb.DuckDBPyConnection, x: Indicator, y: Indicator, level: str, *,
                   x_period: str | None = None, y_period: str | None = None,
                   population_indicator: str = POPULATION_INDICATOR) -> BivariateView:
    """The double-burden view of ``x`` and ``y`` at ``level`` (module docstring)."""
    if x.id == y.id:
        raise BivariateError(lazy.gettext("choose two different indicators (both are {indicator})", indicator=x.id))
    xp, x_sort = _period(con, x, level, x_period)
    yp, y_sort = _period(con, y, level, y_period)
    fx = map_frame(con, x, xp, level)
    fy = map_frame(con, y, yp, level).set_index("area_code")
    frame = fx[["area_code", "name", "district_name", "geometry"]].copy()  # geometry: for the print export
    frame["x"] = fx["value"].where(fx["status"] == "ok").astype(float)
    frame["y"] = frame["area_code"].map(fy["value"].where(fy["status"] == "ok")).astype(float)
    try:
        pop_period = nearest_period(con, population_indicator, level, max(x_sort, y_sort))
        pops = queries.run(con, "list_level_values", {"indicator_id": population_indicator, "period": pop_period,
                                                      "level": level})
        pops = pops[(pops["status"] == "ok") & (pops["value"] > 0)].set_index("area_code")["value"].astype(float)
    except StratificationError:
        pop_period, pops = None, pd.Series(dtype=float)
    frame["population"] = frame["area_code"].map(pops)
    both = frame["x"].notna() & frame["y"].notna()
    frame["status"] = np.where(~both, "no_value", np.where(frame["population"].notna(), "ok", "no_population"))
    frame["x_class"] = -1
    frame["y_class"] = -1
    ok = frame["status"] == "ok"
    problem = None
    try:
        frame.loc[ok, "x_class"] = tertile_classes(frame.loc[ok, "x"], frame.loc[ok, "population"], x.polarity)
        frame.loc[ok, "y_class"] = tertile_classes(frame.loc[ok, "y"], frame.loc[ok, "population"], y.polarity)
    except StratificationError as exc:
        problem = lazy.gettext("The classes could not be made: {reason}.", reason=exc.text)
        frame["x_class"] = -1
        frame["y_class"] = -1
    corr = weighted_correlation(frame.loc[ok, "x"], frame.loc[ok, "y"], frame.loc[ok, "population"])
    classed = fx.loc[ok.to_numpy() & (frame["x_class"] >= 0).to_numpy()]
    bounds = None
    if not classed.empty:
        west, south, east, north = classed.total_bounds
        bounds = [[float(south), float(west)], [float(north), float(east)]]
    has = ok & (frame["x_class"] >= 0)
    return BivariateView(x, y, level, xp, yp, pop_period, frame.reset_index(drop=True),
                         _ranges(frame.loc[has, "x"], frame.loc[has, "x_class"]),
                         _ranges(frame.loc[has, "y"], frame.loc[has, "y_class"]), corr, problem, bounds)


# --- what the page and the export draw -------------------------------------------------------

def axis_class_name(ind: Indicator, c: int, lang: str) -> str:
    return label(CLASS_NAMES[judged(ind)], str(c), lang)


def range_text(ind: Indicator, rng: tuple[float, float] | None, lang: str) -> str:
    """"39,0–43,0 °C": the values of one third, the unit once."""
    if rng is None:
        return "—"
    if format_value(rng[0], None, lang, ind.decimals) == format_value(rng[1], None, lang, ind.decimals):
        return format_value(rng[0], ind.unit, lang, ind.decimals)
    return format_range(rng[0], rng[1], lang, ind.decimals, ind.unit)


def layer(view: BivariateView, lang: str) -> LayerData:
    """Per area its cell's style key and an escaped tooltip (drawn by ``static/atlas/choropleth.js``)."""
    styles = {cell_key(xc, yc): class_style(cell_colour(xc, yc)) for xc in range(N_CLASSES) for yc in range(N_CLASSES)}
    styles["missing"] = dict(STATUS_STYLES["missing"])
    x_title, y_title = html.escape(view.x.title.get(lang)), html.escape(view.y.title.get(lang))
    codes, keys, tips = [], [], []
    for r in view.frame.itertuples(index=False):
        name = f"<b>{html.escape(str(r.name))}</b>"
        if isinstance(r.district_name, str):
            name += f" · {html.escape(r.district_name)}"
        lines = [name]
        for title, ind, v, c in ((x_title, view.x, r.x, r.x_class), (y_title, view.y, r.y, r.y_class)):
            shown = format_value(v, ind.unit, lang, ind.decimals) if not pd.isna(v) else "—"
            extra = f" ({html.escape(axis_class_name(ind, int(c), lang))})" if c >= 0 else ""
            lines.append(f"{title}: {html.escape(shown)}{extra}")
        if r.status != "ok" or r.x_class < 0:
            lines.append(html.escape(STATUS_NAMES.get(r.status, STATUS_NAMES["no_population"]).get(lang)))
            keys.append("missing")
        else:
            keys.append(cell_key(r.x_class, r.y_class))
        codes.append(str(r.area_code))
        tips.append("<br>".join(lines))
    return LayerData(tuple(codes), tuple(keys), tuple(tips), styles, ())


def legend_html(view: BivariateView, lang: str) -> str:
    """The square legend: a 3×3 grid (x to the right, y upwards, worse-on-both at the top right),
    each cell with its number of areas, the value range of each third beside the axes, and the
    areas not classed. Every text is HTML-escaped."""
    esc = html.escape
    counts = view.cell_counts()
    x_t, y_t = esc(view.x.title.get(lang)), esc(view.y.title.get(lang))
    x_dir = esc(gettext("worse →", lang) if judged(view.x) else gettext("higher →", lang))
    y_dir = esc(gettext("worse ↑", lang) if judged(view.y) else gettext("higher ↑", lang))
    rows = []
    for yc in reversed(range(N_CLASSES)):
        cells = [f'<td style="padding:.2em .4em;font-size:.8rem;color:#555;text-align:right;white-space:nowrap;">'
                 f'{esc(range_text(view.y, view.y_ranges[yc], lang))}</td>']
        for xc in range(N_CLASSES):
            n, _pop = counts[(xc, yc)]
            colour = cell_colour(xc, yc)
            # black or white, whichever contrasts more with the cell (WCAG 1.4.3: at least 4.5:1 for this text)
            ink = max(("#000000", "#ffffff"), key=lambda c: contrast_ratio(c, colour))
            title = esc(gettext("{x} ({x_class}) and {y} ({y_class})", lang, x=view.x.title.get(lang),
                                x_class=axis_class_name(view.x, xc, lang), y=view.y.title.get(lang),
                                y_class=axis_class_name(view.y, yc, lang)))
            cells.append(f'<td title="{title}" style="width:3.4em;height:3.2em;background:{colour};color:{ink};'
                         f'text-align:center;font-size:.85rem;border:1px solid #fff;">{format_int(n, lang)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    x_ranges = "".join(f'<td style="font-size:.75rem;color:#555;text-align:center;padding:.2em;min-width:4.2em;">'
                       f'{esc(range_text(view.x, view.x_ranges[xc], lang))}</td>' for xc in range(N_CLASSES))
    rows.append(f"<tr><td></td>{x_ranges}</tr>")
    not_classed = int((view.frame["x_class"] < 0).sum())
    aria = esc(gettext("Legend", lang))
    how = esc(gettext("Each indicator in thirds of the population; the numbers are areas. Top right: worse on both.", lang))
    parts = [f'<div class="atlas-legend atlas-bivariate-legend" role="group" aria-label="{aria}" '
             f'style="font-size:.92rem;line-height:1.35;">',
             f'<div style="font-weight:600;margin-bottom:.2em;">{y_t} <span style="font-weight:400;">({y_dir})</span></div>',
             f'<table style="border-collapse:collapse;margin:.2em 0;">{"".join(rows)}</table>',
             f'<div style="font-weight:600;">{x_t} <span style="font-weight:400;">({x_dir})</span></div>',
             f'<div style="margin-top:.4em;color:#555;font-size:.85rem;">'
             f'{how}</div>']
    if not_classed:
        swatch = STATUS_STYLES["missing"].get("fillColor", "#ffffff")
        text = ngettext("{count} area not classed (no value or no population)",
                        "{count} areas not classed (no value or no population)", not_classed, lang,
                        count=format_int(not_classed, lang))
        parts.append(f'<div style="margin-top:.3em;"><span aria-hidden="true" style="display:inline-block;width:1.6em;'
                     f'height:1.1em;margin-right:.5em;vertical-align:middle;background:{swatch};'
                     f'border:1.5px dashed #9e9e9e;"></span>{esc(text)}</div>')
    parts.append("</div>")
    return "".join(parts)


def scatter_frame(view: BivariateView, lang: str) -> pd.DataFrame:
    """One row per classed area for the scatter plot: name, district, x, y, population, cell colour."""
    f = view.classed
    f = f[f["x_class"] >= 0]
    return pd.DataFrame({
        "name": f["name"].astype(str), "district": f["district_name"].fillna("").astype(str),
        "x": f["x"], "y": f["y"], "population": f["population"],
        "cell": [cell_key(a, b) for a, b in zip(f["x_class"], f["y_class"])],
        "colour": [cell_colour(a, b) for a, b in zip(f["x_class"], f["y_class"])],
    })


def export_frame(view: BivariateView, lang: str) -> pd.DataFrame:
    """Every area with both values, its population, its thirds and whether it is worse on both (for CSV)."""
    f = view.frame
    x_t, y_t = view.x.title.get(lang), view.y.title.get(lang)
    return pd.DataFrame({
        gettext("Area code", lang): f["area_code"].astype(str),
        gettext("Area", lang): f["name"].astype(str),
        gettext("District", lang): f["district_name"].fillna("").astype(str),
        f"{x_t} ({view.x_period})": f["x"],
        f"{y_t} ({view.y_period})": f["y"],
        gettext("Population", lang): f["population"],
        gettext("Class of {indicator}", lang, indicator=x_t): [axis_class_name(view.x, int(c), lang) if c >= 0 else ""
                                                              for c in f["x_class"]],
        gettext("Class of {indicator}", lang, indicator=y_t): [axis_class_name(view.y, int(c), lang) if c >= 0 else ""
                                                              for c in f["y_class"]],
        gettext("Worse on both", lang): [bool(a == WORSE_BOTH[0] and b == WORSE_BOTH[1])
                                         for a, b in zip(f["x_class"], f["y_class"])],
    })


def correlation_text(view: BivariateView, lang: str) -> str:
    """"Population-weighted correlation r = 0.42 (95% CI 0.35 to 0.49; 812 areas, effective n 540)"."""
    c = view.correlation
    if c.r is None:
        return gettext("The correlation cannot be computed (fewer than 3 areas with both values, or a value that does not vary).", lang)
    r = format_value(c.r, None, lang, 2)
    n, n_eff = format_int(c.n, lang), format_int(round(c.n_eff), lang)
    if c.lower is None:
        return gettext("Population-weighted correlation r = {r} ({n} areas, effective n {n_eff}; too few for an interval).",
                       lang, r=r, n=n, n_eff=n_eff)
    return gettext("Population-weighted correlation r = {r} (95% CI {lower} to {upper}; {n} areas, effective n {n_eff}).",
                   lang, r=r, lower=format_value(c.lower, None, lang, 2), upper=format_value(c.upper, None, lang, 2),
                   n=n, n_eff=n_eff)


def sources_text(view: BivariateView, lang: str) -> list[str]:
    """One line per indicator: title, period, source, licence and caveat (plain text, to escape)."""
    out = []
    for ind, period in ((view.x, view.x_period), (view.y, view.y_period)):
        line = gettext("{title} ({period}): {source}; {licence}.", lang, title=ind.title.get(lang), period=period,
                       source=ind.source.get(lang), licence=ind.licence.get(lang))
        if ind.caveat is not None:
            line += " " + gettext("Caveat: {caveat}", lang, caveat=ind.caveat.get(lang))
        out.append(line)
    return out
