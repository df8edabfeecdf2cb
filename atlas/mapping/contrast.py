"""WCAG 2.1 contrast ratio of two sRGB colours (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).

Text needs 4.5:1 against its background (1.4.3, AA); the parts of a graphic needed to understand it,
such as a legend swatch's outline, need 3:1 (1.4.11).
"""

from __future__ import annotations

import re

TEXT_MIN = 4.5
GRAPHIC_MIN = 3.0
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (or ``#rgb``) as WCAG defines it."""
    if not _HEX.fullmatch(colour):
        raise ValueError(f"colour {colour!r} is not #rrggbb or #rgb")
    h = colour[1:]
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    r, g, b = (_channel(int(h[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter colour: 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
