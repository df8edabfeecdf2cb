"""The kiosk: the atlas on an unattended touch screen at events (``/kiosk``; README "Kiosk setup").

* :mod:`.playlist` — the stories the attract loop plays, read from ``kiosk/playlist.toml`` and
  checked against the catalogue and the database (bad entries are named and left out).
* :mod:`.loop` — the attract loop / visitor / idle-reset state machine as pure functions of time.
* :mod:`.card` — an area's values for the playlist's indicators against İzmir, in plain words.
* :mod:`.zoom` — a story's zoom as map bounds.

``python -m atlas.kiosk check [--playlist FILE] [--db PATH]`` checks a playlist and prints the
report (exit status 1 when an entry is bad). No Streamlit here; the page's glue is
``app_support/kiosk_*.py``.
"""
