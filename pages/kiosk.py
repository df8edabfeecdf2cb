"""Kiosk / Kiosk (``/kiosk``): the atlas on an unattended touch screen at events.

An attract loop of "stories" from the playlist (``kiosk/playlist.toml``), a tap on the map or the
area lists opens an area card, and after a minute without a touch it goes back to the loop in
Turkish. Drawn bare (no menu, sidebar or title; see ``atlas_app.py``); the glue is
``app_support/kiosk/page.py``, the logic ``atlas/kiosk/``. README "Kiosk setup".
"""

from app_support.chrome.page import ensure_app_navigation
from app_support.kiosk.page import render

ensure_app_navigation()
render()
