"""The indicator catalogue: metadata is data.

``indicators/*.toml`` holds three kinds of file:

* ``themes.toml``: ``[[theme]]`` tables (id, title.tr, title.en);
* ``who_healthy_cities.toml``: ``[[who_indicator]]`` tables, the 32 WHO Healthy Cities
  indicators (code, group, title.tr, title.en);
* every other file: ``[[indicator]]`` tables, one per indicator (fields below).

Everything is loaded into frozen dataclasses. A missing or unknown key, a value of the
wrong type or outside its allowed set fails loudly with a CatalogueError that names the
file, the entry and the key.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from .config import INDICATORS_DIR
from .errors import CatalogueError
from .i18n import LANGS, check_lang  # noqa: F401  (LANGS: the languages of the atlas, from atlas/locale/LINGUAS)

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
VALUE_TYPES = ("count", "proportion", "ratio", "rate", "mean", "density", "percent_change", "score")
LEVELS = ("district", "mahalle")
#: What an indicator's value is, when it is one of a family of measures of the same events (issue #19):
#: ``value`` (a ready value, the default), ``crude_rate``, ``dsr`` (directly age-standardised rate,
#: ``standard`` names the standard population), ``isr`` (indirectly standardised rate), ``smr`` /
#: ``sir`` (standardised mortality / incidence ratio against İzmir's age-specific rates), ``eb_global``
#: / ``eb_spatial`` (Empirical-Bayes smoothed rate, over all areas / over each area's neighbours).
MEASURES = ("value", "crude_rate", "dsr", "isr", "smr", "sir", "eb_global", "eb_spatial")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
URL_MAX = 2000
# Not allowed in a URL (RFC 3986): spaces and control characters, and these.
_URL_FORBIDDEN = re.compile(r'[\s\x00-\x1f\x7f-\x9f"<>\\^`{|}]')


def _quoted(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit - 1] + "…")


def http_url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL the atlas may link to, or None when it is one.

    Only ``http://`` and ``https://`` with a host; no spaces, control characters, quotes, angle
    brackets or backslashes (nothing that could end a link in Markdown or HTML); at most URL_MAX
    characters. Used for ``source_url`` in the catalogue and an import's entry, and again by the
    app before it links to a stored URL.
    """
    allowed = "allowed: an http:// or https:// address with a host, without spaces, quotes, <, > or \\"
    if len(url) > URL_MAX:
        return f"is {len(url)} characters long, more than {URL_MAX}: {_quoted(url)}"
    bad = _URL_FORBIDDEN.search(url)
    if bad:
        return f"{_quoted(url)} holds {bad.group()!r} at character {bad.start() + 1}; {allowed}"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        return f"{_quoted(url)} is not a valid URL ({exc}); {allowed}"
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(("http://", "https://")):
        return f"{_quoted(url)} is not an http(s) URL; {allowed}"
    if not host:
        return f"{_quoted(url)} has no host; {allowed}"
    return None


@dataclass(frozen=True)
class Text:
    """A data text (from the catalogue TOML, the database, …) in Turkish and English.

    ``get(lang)`` takes any language of the atlas (:data:`atlas.i18n.LANGS`, read from
    ``atlas/locale/LINGUAS``): Turkish gives ``tr``, English ``en``, and any other language listed
    there gives the English text, since data texts are only written in Turkish and English. A
    language the atlas does not have raises ValueError.
    """

    tr: str
    en: str

    def get(self, lang: str) -> str:
        check_lang(lang)
        return self.tr if lang == "tr" else self.en


@dataclass(frozen=True)
class Disclosure:
    """Small-number rule: values whose count or denominator is below these are suppressed."""

    min_count: int = 0
    min_denominator: int = 0

    def suppresses(self, numerator: float | None, denominator: float | None) -> bool:
        if numerator is not None and self.min_count and numerator < self.min_count:
            return True
        return bool(denominator is not None and self.min_denominator and denominator < self.min_denominator)


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    title: Text
    definition: Text
    unit: Text
    scale: float
    value_type: str
    decimals: int
    polarity: str
    source: Text  # a plain string in the catalogue is the same in both languages (a name)
    source_url: str
    licence: Text  # a plain string in the catalogue is the same in both languages (e.g. "CC BY 4.0")
    method: Text
    periods: tuple[str, ...]
    levels: tuple[str, ...]
    disclosure: Disclosure
    who_code: str | None = None
    caveat: Text | None = None
    proxy: bool = False
    allow_negative: bool = False
    ordinal: bool = False  # values are ordered categories (e.g. tiers): as a stratifier, one group per value
    # A family of measures of the same events (issue #19): every member names the family's id (the id of
    # its head, the member the indicator list shows); ``measure`` says what this member is; ``standard``
    # is the standard population's id (atlas/statistics/standard_populations.toml) of a ``dsr``.
    family: str | None = None
    measure: str = "value"
    standard: str | None = None

    def __post_init__(self) -> None:
        for key in ("source", "licence"):
            if isinstance(getattr(self, key), str):
                object.__setattr__(self, key, Text(getattr(self, key), getattr(self, key)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    def row_params(self) -> dict[str, Any]:
        """The columns of the ``indicators`` table (all but ``origin``) as query parameters."""
        return {"indicator_id": self.id, "theme": self.theme, "title_tr": self.title.tr, "title_en": self.title.en,
                "unit_tr": self.unit.tr, "unit_en": self.unit.en, "value_type": self.value_type,
                "polarity": self.polarity, "who_code": self.who_code, "metadata_json": self.to_json()}


@dataclass(frozen=True)
class Theme:
    id: str
    title: Text


@dataclass(frozen=True)
class WhoIndicator:
    code: str
    group: str
    title: Text


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    themes: tuple[Theme, ...]
    who: tuple[WhoIndicator, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise CatalogueError(
            f"unknown indicator {indicator_id!r}; known indicators: {', '.join(self.ids) or '(none)'}"
        )

    def who_coverage(self) -> list[tuple[WhoIndicator, tuple[str, ...]]]:
        """Each WHO Healthy Cities indicator with the atlas indicators that report on it (empty = gap)."""
        return [(w, tuple(i.id for i in self.indicators if i.who_code == w.code)) for w in self.who]


# --- validation --------------------------------------------------------------------------


class _Entry:
    """Reads one TOML table, tracking which keys were used so unknown keys can be named."""

    def __init__(self, data: Mapping[str, Any], where: str):
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{where}: expected a table, got {type(data).__name__}")
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def _fail(self, key: str, message: str) -> CatalogueError:
        return CatalogueError(f"{self.where}: key '{key}': {message}")

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False, default: Any = None):
        self.used.add(key)
        if key not in self.data:
            if optional:
                return default
            return self._missing(key)
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self._fail(key, f"expected {names}, got {type(value).__name__} {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self._fail(key, "must not be empty")
        return value

    def _missing(self, key: str):
        raise CatalogueError(f"{self.where}: missing key '{key}'")

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        allowed = tuple(allowed)
        value = self.get(key, str)
        if value not in allowed:
            raise self._fail(key, f"{value!r} is not allowed; use one of {', '.join(allowed)}")
        return value

    def text(self, key: str, *, optional: bool = False) -> Text | None:
        raw = self.get(key, dict, optional=optional)
        if raw is None:
            return None
        sub = _Entry(raw, f"{self.where}: key '{key}'")
        text = Text(tr=sub.get("tr", str), en=sub.get("en", str))
        sub.finish()
        return text

    def text_or_str(self, key: str) -> Text:
        """A ``{tr, en}`` table, or one string that reads the same in both languages (a licence name)."""
        raw = self.data.get(key)
        if isinstance(raw, str):
            value = self.get(key, str)
            return Text(value, value)
        if raw is not None and not isinstance(raw, Mapping):
            raise self._fail(key, f"expected a string or a {{ tr = ..., en = ... }} table, got {type(raw).__name__} {raw!r}")
        return self.text(key)

    def str_list(self, key: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
        values = self.get(key, list)
        if not values:
            raise self._fail(key, "must list at least one value")
        out = []
        for v in values:
            if not isinstance(v, str) or not v.strip():
                raise self._fail(key, f"every item must be a non-empty string, got {v!r}")
            if allowed is not None and v not in allowed:
                raise self._fail(key, f"{v!r} is not allowed; use one of {', '.join(allowed)}")
            if v in out:
                raise self._fail(key, f"{v!r} is listed twice")
            out.append(v)
        return tuple(out)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self._fail(unknown[0], f"unknown key (allowed: {', '.join(sorted(self.used))})")


def parse_indicator(data: Mapping[str, Any], where: str, *, who_codes: Iterable[str] | None = None,
                    theme_ids: Iterable[str] | None = None) -> Indicator:
    """Validate one ``[[indicator]]`` table. ``where`` names it in errors (file and entry)."""
    e = _Entry(data, where)
    ident = e.get("id", str)
    if not _ID.match(ident):
        raise e._fail("id", f"{ident!r} must be lower-case letters, digits and '_', starting with a letter")
    e.where = f"{where} (indicator '{ident}')"
    theme = e.choice("theme", theme_ids) if theme_ids is not None else e.get("theme", str)
    disclosure_raw = e.get("disclosure", dict)
    d = _Entry(disclosure_raw, f"{e.where}: key 'disclosure'")
    disclosure = Disclosure(
        min_count=d.get("min_count", int, optional=True, default=0),
        min_denominator=d.get("min_denominator", int, optional=True, default=0),
    )
    d.finish()
    if disclosure.min_count < 0 or disclosure.min_denominator < 0:
        raise e._fail("disclosure", "thresholds must be 0 or more")
    who = e.get("who_code", str, optional=True)
    if who is not None and who_codes is not None and who not in set(who_codes):
        raise e._fail("who_code", f"{who!r} is not a WHO Healthy Cities code in who_healthy_cities.toml")
    scale = e.get("scale", float)
    if scale <= 0:
        raise e._fail("scale", f"must be positive, got {scale}")
    decimals = e.get("decimals", int)
    if not 0 <= decimals <= 6:
        raise e._fail("decimals", f"must be 0 to 6, got {decimals}")
    url = e.get("source_url", str)
    url_problem = http_url_problem(url)
    if url_problem is not None:
        raise e._fail("source_url", url_problem)
    ind = Indicator(
        id=ident,
        theme=theme,
        title=e.text("title"),
        definition=e.text("definition"),
        unit=e.text("unit"),
        scale=scale,
        value_type=e.choice("value_type", VALUE_TYPES),
        decimals=decimals,
        polarity=e.choice("polarity", POLARITIES),
        source=e.text_or_str("source"),
        source_url=url,
        licence=e.text_or_str("licence"),
        method=e.text("method"),
        periods=e.str_list("periods"),
        levels=e.str_list("levels", LEVELS),
        disclosure=disclosure,
        who_code=who,
        caveat=e.text("caveat", optional=True),
        proxy=e.get("proxy", bool, optional=True, default=False),
        allow_negative=e.get("allow_negative", bool, optional=True, default=False),
        ordinal=e.get("ordinal", bool, optional=True, default=False),
        family=e.get("family", str, optional=True),
        measure=e.choice("measure", MEASURES) if "measure" in data else "value",
        standard=e.get("standard", str, optional=True),
    )
    if ind.family is not None and not _ID.match(ind.family):
        raise e._fail("family", f"{ind.family!r} must be an indicator id (lower-case letters, digits and '_')")
    if (ind.measure == "dsr") != (ind.standard is not None):
        raise e._fail("standard", "a 'dsr' measure names its standard population, and only a 'dsr' does")
    e.finish()
    return ind


def indicator_from_json(text: str) -> Indicator:
    """Rebuild an Indicator stored by ``Indicator.to_json`` (the database's copy)."""
    raw = json.loads(text)
    for key in ("title", "definition", "unit", "method", "caveat", "source", "licence"):
        if isinstance(raw.get(key), dict):
            raw[key] = Text(**raw[key])
    raw["disclosure"] = Disclosure(**raw["disclosure"])
    raw["periods"] = tuple(raw["periods"])
    raw["levels"] = tuple(raw["levels"])
    return Indicator(**raw)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from exc


def _only_key(doc: Mapping[str, Any], key: str, path: Path) -> list:
    unknown = sorted(set(doc) - {key})
    if unknown:
        raise CatalogueError(f"{path}: unknown top-level key '{unknown[0]}' (expected only [[{key}]] tables)")
    items = doc.get(key)
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{path}: missing key '{key}' (expected one or more [[{key}]] tables)")
    return items


def load_themes(path: Path) -> tuple[Theme, ...]:
    out = []
    for n, raw in enumerate(_only_key(_read_toml(path), "theme", path), start=1):
        e = _Entry(raw, f"{path.name} [[theme]] #{n}")
        out.append(Theme(id=e.get("id", str), title=e.text("title")))
        e.finish()
    return tuple(out)


def load_who(path: Path) -> tuple[WhoIndicator, ...]:
    out = []
    for n, raw in enumerate(_only_key(_read_toml(path), "who_indicator", path), start=1):
        e = _Entry(raw, f"{path.name} [[who_indicator]] #{n}")
        out.append(WhoIndicator(code=e.get("code", str), group=e.get("group", str), title=e.text("title")))
        e.finish()
    codes = [w.code for w in out]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise CatalogueError(f"{path.name}: WHO code '{dupes[0]}' is listed twice")
    return tuple(out)


def load_catalogue(directory: Path | str = INDICATORS_DIR) -> Catalogue:
    """Load and validate every catalogue file in ``directory``."""
    directory = Path(directory)
    themes_file = directory / "themes.toml"
    who_file = directory / "who_healthy_cities.toml"
    for required in (themes_file, who_file):
        if not required.is_file():
            raise CatalogueError(f"catalogue file missing: {required}")
    themes = load_themes(themes_file)
    who = load_who(who_file)
    theme_ids = [t.id for t in themes]
    who_codes = [w.code for w in who]
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        if path in (themes_file, who_file):
            continue
        for n, raw in enumerate(_only_key(_read_toml(path), "indicator", path), start=1):
            ind = parse_indicator(raw, f"{path.name} [[indicator]] #{n}", who_codes=who_codes, theme_ids=theme_ids)
            if ind.id in seen:
                raise CatalogueError(f"{path.name}: indicator id '{ind.id}' is already defined in {seen[ind.id]}")
            seen[ind.id] = path.name
            indicators.append(ind)
    if not indicators:
        raise CatalogueError(f"{directory}: no [[indicator]] entries found")
    return Catalogue(indicators=tuple(indicators), themes=themes, who=who)
