"""QR codes for permalinks, with segno (pure Python, pinned in requirements).

``qr_matrix(text)`` gives the modules as a boolean numpy array (True = dark), without the quiet
zone; the renderer draws them as vector squares, so the code stays sharp in PDF and SVG.
"""

from __future__ import annotations

import numpy as np
import segno

ERROR_LEVEL = "m"  # ~15 % of the code can be damaged (a folded or stained print still scans)
QUIET_ZONE = 4  # modules of white the standard asks for around the code


def qr_matrix(text: str) -> np.ndarray:
    """The QR code of ``text`` as a square boolean array (True = dark module), quiet zone left out."""
    code = segno.make(text, error=ERROR_LEVEL, micro=False, boost_error=False)
    return np.array([[bool(v) for v in row] for row in code.matrix], dtype=bool)


def qr_rectangles(matrix: np.ndarray) -> list[tuple[int, int, int]]:
    """The dark modules merged into horizontal runs: ``(row, first column, length)``; row 0 is the top."""
    runs = []
    for r, row in enumerate(matrix):
        padded = np.concatenate(([False], row, [False])).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        runs.extend((r, int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2]))
    return runs
