"""``python -m atlas equity``: the equity report of one indicator on the command line.

Prints every summary measure with its CI and method, the groups (values and populations) it used,
the measures that do not apply with the reason, the benchmark counts, hot/cold spots and the gap
trend; ``--json`` prints the same as one JSON document (for scripts and for checking).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from ..catalogue import indicator_from_json
from .. import queries
from ..i18n import LANGS, lazy
from .measures import Measure
from .report import GROUP_CHOICES, EquityError, EquityReport, equity_report

BY_DISTRICT = "districts"


def add_parser(sub) -> None:
    e = sub.add_parser("equity", help="summary measures of inequality for one indicator, period and level")
    e.add_argument("--indicator", required=True, help="indicator id (see the Data & methods page)")
    e.add_argument("--period", required=True, help="period, e.g. 2023 or 2014-2024")
    e.add_argument("--level", required=True, choices=("district", "mahalle"))
    e.add_argument("--stratifier", help="indicator that orders the areas into groups, e.g. svi_mean "
                                        f"(default: '{BY_DISTRICT}' at district level, svi_mean at mahalle level)")
    e.add_argument("--groups", type=int, default=5, choices=GROUP_CHOICES, help="number of quantile groups")
    e.add_argument("--reference", help="code of the reference group of MDRW, MDRU, PAR and PAF (a district code or a "
                                       "quantile number; default: the most advantaged group, or the best one)")
    e.add_argument("--lang", default="en", choices=LANGS, help="language of names and the summary")
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e.add_argument("--db", help="database (default: ATLAS_DB or geodata/atlas.duckdb)")


def _num(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def report_dict(r: EquityReport, lang: str) -> dict[str, Any]:
    """The report as plain JSON-able data."""
    measures, unsupported = [], []
    for m in r.measures:
        if isinstance(m, Measure):
            measures.append({"id": m.id, "name": m.name.get(lang), "value": _num(m.value), "lower": _num(m.lower),
                             "upper": _num(m.upper), "ci_method": m.ci_method, "ci_level": m.level, "kind": m.kind,
                             "unit": m.unit, "se": _num(m.se), "model": m.model or None,
                             "reference": list(m.reference) or None, "note": m.note.get(lang) if m.note else None})
        else:
            unsupported.append({"id": m.id, "name": m.name.get(lang), "rule": m.rule, "reason": m.reason.get(lang)})
    g = r.groups
    groups = None
    if g is not None:
        groups = {"ordered": g.ordered, "stratifier": g.stratifier_id, "stratifier_period": g.stratifier_period,
                  "population_period": g.population_period, "value_method": g.value_method,
                  "notes": [n.get(lang) for n in g.notes],
                  **_stratifier_source(r, lang),
                  "groups": [{"label": lab.get(lang), "value": _num(v), "population": _num(p), "se": _num(s),
                              "n_areas": n} for lab, v, p, s, n in
                             zip(g.labels, g.values, g.populations, g.se, g.n_areas or [None] * g.n_groups)]}
    lisa = None
    if r.lisa is not None:
        lisa = {"method": r.lisa.method, "moran_i": _num(r.lisa.moran_i), "moran_p": _num(r.lisa.moran_p),
                "permutations": r.lisa.permutations, "seed": r.lisa.seed, "counts": r.lisa.counts(),
                "islands": [{"area": a, "linked_to": b} for a, b in r.lisa.island_links] or list(r.lisa.islands)}
    trend = None
    if r.gap_trend is not None:
        trend = {"verdict": r.gap_trend.verdict, "label": r.gap_trend.label.get(lang),
                 "reason": r.gap_trend.reason.get(lang) if r.gap_trend.reason else None,
                 "series": [{"period": p, "value": _num(m.value) if m else None} for p, m in r.gap_series]}
    return {
        "indicator": r.indicator.id, "title": r.indicator.title.get(lang), "unit": r.indicator.unit.get(lang),
        "period": r.period, "level": r.level, "polarity": r.indicator.polarity,
        "izmir_value": _num(r.izmir.value), "summary": r.summary.get(lang),
        "groups": groups, "groups_problem": r.groups_problem.get(lang) if r.groups_problem else None,
        "measures": measures, "unsupported": unsupported,
        "benchmark_95": r.ranking["verdict_95"].value_counts().to_dict(),
        "benchmark_998": r.ranking["verdict_998"].value_counts().to_dict(),
        "hot_spots": lisa, "hot_spots_problem": r.lisa_problem.get(lang) if r.lisa_problem else None,
        "gap_trend": trend,
        "source": r.indicator.source.get(lang), "licence": r.indicator.licence.get(lang),
    }


def _stratifier_source(r: EquityReport, lang: str) -> dict[str, str | None]:
    """The grouping indicator's source, licence and caveat (SEGE-2022: transcribed by hand)."""
    s = r.stratifier_indicator
    if s is None or r.groups is None or r.groups.stratifier_id != s.id:
        return {}
    return {"stratifier_source": s.source.get(lang), "stratifier_licence": s.licence.get(lang),
            "stratifier_caveat": s.caveat.get(lang) if s.caveat else None}


def _text(d: dict[str, Any]) -> str:
    lines = [f"{d['title']} ({d['indicator']}), {d['period']}, {d['level']}", "", d["summary"], ""]
    if d["groups"]:
        lines.append("groups (" + ("ordered" if d["groups"]["ordered"] else "unordered") + "):")
        for g in d["groups"]["groups"]:
            value = "—" if g["value"] is None else f"{g['value']:.4g}"
            pop = "—" if g["population"] is None else f"{g['population']:,.0f}"
            areas = "—" if g["n_areas"] is None else g["n_areas"]
            lines.append(f"  {g['label']:<32} value {value:<12} population {pop:<12} areas {areas}")
        if d["groups"].get("stratifier_source"):
            lines.append(f"  grouping source: {d['groups']['stratifier_source']}; {d['groups']['stratifier_licence']}")
        if d["groups"].get("stratifier_caveat"):
            lines.append(f"  grouping caveat: {d['groups']['stratifier_caveat']}")
    lines.append("")
    lines.append("measures:")
    for m in d["measures"]:
        ci = f"[{m['lower']:.4g}, {m['upper']:.4g}]" if m["lower"] is not None else "no CI"
        lines.append(f"  {m['id']:<6} {m['value']:>12.4g}  {ci:<26} {m['ci_method']}")
    if d["unsupported"]:
        lines.append("not applicable:")
        lines += [f"  {m['id']:<6} {m['reason']}" for m in d["unsupported"]]
    if d["hot_spots"]:
        c = d["hot_spots"]["counts"]
        lines.append(f"hot spots: HH {c['HH']}, LL {c['LL']}, HL {c['HL']}, LH {c['LH']} "
                     f"(Moran's I {d['hot_spots']['moran_i']:.3f}, p {d['hot_spots']['moran_p']:.3f})")
    if d["gap_trend"]:
        lines.append(f"gap trend: {d['gap_trend']['label']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..db import connect

    con = connect(args.db)
    try:
        meta = queries.run(con, "get_indicator_meta", {"indicator_id": args.indicator})
        if meta.empty:
            known = ", ".join(queries.run(con, "list_indicator_ids")["indicator_id"])
            raise EquityError(lazy.gettext("unknown indicator {indicator}; known: {known}",
                                           indicator=repr(args.indicator), known=known))
        ind = indicator_from_json(meta.loc[0, "metadata_json"])
        stratifier = None if args.stratifier in (None, BY_DISTRICT) else args.stratifier
        if stratifier is not None and queries.run(con, "get_indicator_meta", {"indicator_id": stratifier}).empty:
            raise EquityError(lazy.gettext("unknown stratifier {stratifier}; use '{by_district}' or an indicator id",
                                           stratifier=repr(stratifier), by_district=BY_DISTRICT))
        report = equity_report(con, ind, args.period, args.level, stratifier=stratifier, n_groups=args.groups,
                               reference=args.reference)
    finally:
        con.close()
    data = report_dict(report, args.lang)
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else _text(data))
    return 0
