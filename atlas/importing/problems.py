"""The problems an import collects (with row numbers as the user sees them) and the
``ImportRejected`` error they end in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..errors import ImportRejected

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


def _bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


@dataclass
class Problems:
    """Problems collected while checking; ``row`` 0 means the file or the entry as a whole."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = [(row, _bounded(message)) for row, message in self.items]

    def add(self, row: int, message: str) -> None:
        self.items.append((row, _bounded(message)))

    def extend(self, items: Iterable[tuple[int, str]]) -> None:
        self.items.extend((row, _bounded(message)) for row, message in items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        ordered = sorted(self.items, key=lambda item: item[0])
        text = [f"row {row}: {msg}" if row else msg for row, msg in ordered]
        if len(text) > MAX_LISTED:
            rest = len(text) - MAX_LISTED
            text = text[:MAX_LISTED] + [f"… and {rest} more problem(s) not listed"]
        return text

    def rejection(self, file_name: str) -> ImportRejected:
        n = len(self.items)
        return ImportRejected(
            f"{file_name}: import rejected, {n} problem{'s' if n != 1 else ''}; nothing was written.",
            self.lines(),
        )


def reject(file_name: str, message: str) -> ImportRejected:
    """The error for a file that cannot be read at all (one problem, no row)."""
    return ImportRejected(f"{file_name}: import rejected; nothing was written.", [_bounded(message)])
