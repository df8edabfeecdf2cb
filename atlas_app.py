"""İzmir Health Equity Atlas — Streamlit entry point.

Run with ``./scripts/start.sh`` (or ``streamlit run atlas_app.py``). The shared chrome
(title, language switch, source footer) is drawn here around whichever page is open;
the pages in ``pages/`` only read data through ``app_support.chrome.page`` and render it.

The kiosk (``/kiosk``, README "Kiosk setup") is a bare page: no menu, sidebar, title or footer.
It is hidden from the menu of the normal app; in kiosk configuration (``scripts/kiosk.sh`` sets
``ATLAS_KIOSK=1``) it is the only page, served at ``/`` and ``/kiosk``, and no other page exists.

The data workbench ("Veri yönetimi / Data management", ``pages/data_management.py``) is registered
only on an editor server (``ATLAS_EDITOR=1``: ``./scripts/start.sh --editor`` or an editor replica),
never on the public app or a kiosk; its page lets nobody past the sign-in (docs/workbench.md).

Streamlit (1.67) still treats a ``pages/`` folder beside the entry script as a v1 multipage app
until ``st.navigation`` runs once, so the very first session that opens ``/indicators`` would run
the page bare. Every page therefore starts with ``ensure_app_navigation()``, which sends such a
run back through this script (see ``app_support.chrome.page``).
"""

import streamlit as st

from app_support.chrome.page import kiosk_server, page_chrome
from app_support.workbench.gate import editor_instance
from atlas.i18n import gettext


def build_pages(lang: str) -> tuple[list[st.Page], list[st.Page]]:
    """The pages (titles in ``lang``) and which of them are drawn bare."""
    kiosk = st.Page("pages/kiosk.py", title=gettext("Kiosk", lang), url_path="kiosk", visibility="hidden")
    if kiosk_server():
        home = st.Page("pages/kiosk.py", title=gettext("Kiosk", lang), url_path="kiosk-home", default=True)
        return [home, kiosk], [home, kiosk]
    # No page icons: Streamlit fetches Material-icon favicons from fonts.gstatic.com (not offline).
    pages = [
        st.Page("pages/map.py", title=gettext("Map", lang), default=True),  # served at /
        st.Page("pages/profile.py", title=gettext("Area profile", lang), url_path="profile"),
        st.Page("pages/equity.py", title=gettext("Equity", lang), url_path="equity"),
        st.Page("pages/double_burden.py", title=gettext("Double burden", lang), url_path="double_burden"),
        st.Page("pages/indicators.py", title=gettext("Indicators", lang), url_path="indicators"),
        st.Page("pages/methods.py", title=gettext("Data & methods", lang), url_path="methods"),
        kiosk,
    ]
    if editor_instance():  # the data workbench: editor servers only (ATLAS_EDITOR=1), never public or kiosk
        pages.insert(-1, st.Page("pages/data_management.py", title=gettext("Data management", lang),
                                 url_path="data_management"))
    return pages, [kiosk]


with page_chrome(build_pages) as page:
    page.run()
