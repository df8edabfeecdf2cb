"""The problems an import collects (with row numbers as the user sees them) and the
``ImportRejected`` error they end in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..errors import ImportRejected

MAX_LISTED = 50  # problems listed in full; the rest are counted


@dataclass
class Problems:
    """Problems collected while checking; ``row`` 0 means the file or the entry as a whole."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.items.append((row, message))

    def extend(self, items: Iterable[tuple[int, str]]) -> None:
        self.items.extend(items)

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
    return ImportRejected(f"{file_name}: import rejected; nothing was written.", [message])
