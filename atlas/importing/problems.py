"""The problems an import collects (with row numbers as the user sees them) and the
``ImportRejected`` error they end in.

A problem is a plain string or a catalogue message made with ``atlas.i18n.lazy`` (or a
:class:`Suggested` one, which also carries the closest names the atlas knows): ``render`` puts it into
a language. The command line and ``ImportRejected.problems`` read English; ``ImportRejected.items``
keeps the (row, message) pairs so that the workbench shows every problem in the page's language
(``atlas.workbench.report``) and ``ImportRejected.in_language(lang)`` renders the whole error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Union

from ..errors import ImportRejected
from ..i18n import lazy

MAX_LISTED = 50  # problems listed in full; the rest are counted
QUOTED_CHARS = 40  # characters of a value a message quotes (a file may hold a 100,000-letter name)
MAX_MESSAGE = 500  # characters of one problem: a last guard for a message that quotes a value in full


def quoted(value: object, limit: int = QUOTED_CHARS) -> str:
    """A value from the file, quoted for a message: its ``repr``, cut to ``limit`` characters and followed by
    its length when longer (``'aaaa…' (50,000 characters)``)."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


def g(number: float) -> str:
    """A number of the file for a message, written as Python's ``:g`` writes it (12.5, 1e+06)."""
    return format(number, "g")


def _bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


@dataclass(frozen=True)
class Suggested:
    """A problem that names the closest names the atlas knows (an unknown area or indicator):
    ``message`` says it all (names included, as the command line shows it); ``names`` are the same
    names on their own, for a report's column of suggestions."""

    message: lazy.Message
    names: tuple[str, ...]

    def get(self, lang: str) -> str:
        return self.message.get(lang)

    def __str__(self) -> str:
        return self.get("en")


Problem = Union[str, lazy.Message, Suggested]


def render(message: Problem, lang: str = "en") -> str:
    """A problem in ``lang`` (a plain string stays as it is), cut to ``MAX_MESSAGE`` characters."""
    return _bounded(message if isinstance(message, str) else message.get(lang))


def from_error(exc: BaseException) -> Problem:
    """The problem an exception carries: its catalogue message when raised with one, else its text."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, (lazy.Message, Suggested)) else str(exc)


def suggestions(message: Problem) -> tuple[str, ...]:
    """The closest names a problem suggests, if it suggests any."""
    return message.names if isinstance(message, Suggested) else ()


@dataclass(frozen=True)
class Line:
    """One listed problem: ``row {row}: {problem}`` (row 0: the problem alone), in any language."""

    row: int
    message: Problem
    word: str = "row"  # "feature" in a GeoJSON file

    def get(self, lang: str) -> str:
        text = render(self.message, lang)
        if not self.row:
            return text
        if self.word == "feature":
            return lazy.gettext("feature {row}: {problem}", row=self.row, problem=text).get(lang)
        return lazy.gettext("row {row}: {problem}", row=self.row, problem=text).get(lang)

    def __str__(self) -> str:
        return self.get("en")


def _kept(message: Problem) -> Problem:
    return _bounded(message) if isinstance(message, str) else message


@dataclass
class Problems:
    """Problems collected while checking; ``row`` 0 means the file or the entry as a whole."""

    items: list[tuple[int, Problem]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = [(row, _kept(message)) for row, message in self.items]

    def add(self, row: int, message: Problem) -> None:
        self.items.append((row, _kept(message)))

    def extend(self, items: Iterable[tuple[int, Problem]]) -> None:
        self.items.extend((row, _kept(message)) for row, message in items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def listed(self) -> list[Line | lazy.Message]:
        """The problems as listed (ordered by row; the first ``MAX_LISTED``, then how many more)."""
        ordered = sorted(self.items, key=lambda item: item[0])
        word = getattr(self, "word", "row")  # PointProblems: "feature" in a GeoJSON file
        text: list[Line | lazy.Message] = [Line(row, msg, word) for row, msg in ordered]
        if len(text) > MAX_LISTED:
            rest = len(text) - MAX_LISTED
            # Turkish counts take the singular noun, English keeps its "(s)": one message, not ngettext
            text = text[:MAX_LISTED] + [lazy.gettext("… and {n} more problem(s) not listed", n=rest)]
        return text

    def lines(self) -> list[str]:
        return [str(line) for line in self.listed()]

    def rejection(self, file_name: str) -> ImportRejected:
        n = len(self.items)
        summary = lazy.ngettext("{file}: import rejected, {n} problem; nothing was written.",
                                "{file}: import rejected, {n} problems; nothing was written.", n, file=file_name)
        return ImportRejected(summary, self.lines(), items=self.items, listed=self.listed())


def reject(file_name: str, message: Problem) -> ImportRejected:
    """The error for a file that cannot be read at all (one problem, no row)."""
    summary = lazy.gettext("{file}: import rejected; nothing was written.", file=file_name)
    return ImportRejected(summary, [render(message)], items=[(0, _kept(message))], listed=[Line(0, message)])
