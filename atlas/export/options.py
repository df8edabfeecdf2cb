"""What an export may ask for, checked once: format, resolution, paper, orientation.

Every check raises ExportError with the value given and what is allowed, before anything is
rendered or written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ExportError
from ..i18n import LANGS, N_, lazy

IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "gpkg", "zip")
FORMATS = IMAGE_FORMATS + DATA_FORMATS
DPI_CHOICES = (150, 300, 600)  # offered in the app; any whole number in DPI_RANGE is accepted
DPI_RANGE = (72, 600)
PAPERS = ("a4", "a3")
ORIENTATIONS = ("portrait", "landscape")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv",
        "gpkg": "application/geopackage+sqlite3", "zip": "application/zip"}


#: The error of each choice, by the option's name.
NOT_SUPPORTED = {
    "format": N_("format {value} is not supported; use one of {allowed}"),
    "paper": N_("paper {value} is not supported; use one of {allowed}"),
    "orientation": N_("orientation {value} is not supported; use one of {allowed}"),
    "language": N_("language {value} is not supported; use one of {allowed}"),
}


def _choice(name: str, value, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ExportError(lazy.gettext(NOT_SUPPORTED[name], value=repr(value), allowed=", ".join(allowed)))
    return value.lower()


def check_dpi(dpi) -> int:
    """``dpi`` as an int, or ExportError: a whole number from 72 to 600 (150, 300 and 600 are usual)."""
    lo, hi = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int):
        try:
            ok = isinstance(dpi, (str, float)) and float(dpi) == int(float(dpi))
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise ExportError(lazy.gettext("dpi {dpi} is not a whole number; use a whole number from {lo} to {hi} "
                                           "(usual: {usual})", dpi=repr(dpi), lo=lo, hi=hi,
                                           usual=", ".join(map(str, DPI_CHOICES))))
        dpi = int(float(dpi))
    if not lo <= dpi <= hi:
        raise ExportError(lazy.gettext("dpi {dpi} is not possible; use a whole number from {lo} to {hi} "
                                       "(usual: {usual})", dpi=dpi, lo=lo, hi=hi,
                                       usual=", ".join(map(str, DPI_CHOICES))))
    return dpi


@dataclass(frozen=True)
class RenderOptions:
    """How to draw a snapshot. ``zoom_to`` is a district code (or an area code of the view) whose
    extent the map shows, with an inset of the whole province; ``labels`` writes district names."""

    fmt: str = "png"
    dpi: int = 300
    paper: str = "a4"
    orientation: str = "landscape"
    labels: bool = False
    zoom_to: str | None = None

    def checked(self) -> "RenderOptions":
        """A copy with normalised values, or ExportError naming the first bad one."""
        return RenderOptions(fmt=_choice("format", self.fmt, IMAGE_FORMATS), dpi=check_dpi(self.dpi),
                             paper=_choice("paper", self.paper, PAPERS),
                             orientation=_choice("orientation", self.orientation, ORIENTATIONS),
                             labels=bool(self.labels), zoom_to=(str(self.zoom_to) if self.zoom_to else None))


def check_format(fmt) -> str:
    return _choice("format", fmt, FORMATS)


def check_lang(lang) -> str:
    return _choice("language", lang, LANGS)
