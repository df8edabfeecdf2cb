"""Start the atlas server with its heavy libraries imported while the server boots.

    python -m app_support.server.serve atlas_app.py --server.port 8501 ...   (the arguments of `streamlit run`)

Streamlit runs the app's scripts only when the first browser connects, so with a plain
`streamlit run` the first visitor after a start waits for every import of the map page: about
1.2 s for mapclassify (scipy, scikit-learn), 0.6 s for the export modules, 0.2 s for folium
(measured on the 2-core machine of bench/bench_map.py). Here they are imported in a
background thread while the server starts; once it answers, a second thread opens the app once per
default view (``app_support.server.warmup``: page imports, database, caches), so the first visitor finds
what a later one does. Nothing else changes: the command line is that of `streamlit run`
(``ATLAS_WARMUP=off`` leaves the warm-up out).
"""

from __future__ import annotations

import importlib
import sys
import threading

# Plain libraries and the atlas package only: nothing that touches Streamlit. A module that declares
# a component (streamlit_folium, the kiosk sensor) must be imported once the runtime exists, or
# its component is registered nowhere and the browser gets a 404 for it.
PRELOAD = ("geopandas", "folium", "atlas.views.map_view", "atlas.export", "atlas.views.profile")


def preload() -> None:
    """Import the modules every map page needs, mapclassify through the one helper that imports it."""
    for name in PRELOAD:
        importlib.import_module(name)
    from atlas.mapping.classify import import_mapclassify

    import_mapclassify()


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from app_support.server import warmup

    threading.Thread(target=preload, name="atlas-preload", daemon=True).start()
    threading.Thread(target=warmup.main, name="atlas-warmup", daemon=True).start()
    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
