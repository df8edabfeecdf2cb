"""The shareable address of a map view: the app's public URL plus ``View.to_params()``.

The base URL is ``ATLAS_PUBLIC_URL`` when set (e.g. ``https://atlas.example.org/``), else the local
app at ``http://127.0.0.1:8501/``. The parameters are exactly those the map page reads from and
writes to its address bar, so the link opens the same view.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit

from ..errors import ExportError
from ..i18n import lazy
from ..views.view_state import View

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8501/"
ENV_VAR = "ATLAS_PUBLIC_URL"


def public_url(base_url: str | None = None) -> str:
    """The app's base URL, ending in ``/``: ``base_url``, else ``ATLAS_PUBLIC_URL``, else the local app.

    Raises ExportError when it is not an http(s) URL."""
    base = base_url or os.environ.get(ENV_VAR) or DEFAULT_PUBLIC_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        if base_url:
            error = lazy.gettext("the base URL {url} is not an http(s) address without query, e.g. {example}",
                                 url=repr(base), example=DEFAULT_PUBLIC_URL)
        elif os.environ.get(ENV_VAR):
            error = lazy.gettext("{variable} {url} is not an http(s) address without query, e.g. {example}",
                                 variable=ENV_VAR, url=repr(base), example=DEFAULT_PUBLIC_URL)
        else:
            error = lazy.gettext("the default URL {url} is not an http(s) address without query, e.g. {example}",
                                 url=repr(base), example=DEFAULT_PUBLIC_URL)
        raise ExportError(error)
    return base if base.endswith("/") else base + "/"


def permalink(view: View, base_url: str | None = None, *, page: str = "") -> str:
    """``<base>[page]?indicator=…&period=…&level=…&scheme=…&k=…[&area=…]&lang=…`` for ``view``.

    ``page`` is the app page's URL path (empty for the map, the start page)."""
    return f"{public_url(base_url)}{page.strip('/')}?{urlencode(view.to_params())}"
