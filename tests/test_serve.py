"""app_support.server.serve: the preload imports the heavy libraries and nothing that declares a component."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_preload_imports_mapclassify_but_no_streamlit_component():
    code = ("import sys; from app_support.server import serve; serve.preload(); "
            "print('mapclassify' in sys.modules, 'geopandas' in sys.modules, "
            "'streamlit_folium' in sys.modules, any(m.startswith('app_support.') and m not in ('app_support.server', 'app_support.server.serve') "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    # a component declared before the runtime exists is registered nowhere: the browser gets a 404
    assert out.stdout.split() == ["True", "True", "False", "False"], out.stdout + out.stderr


def test_the_warm_up_views_come_from_the_environment():
    from app_support.server.warmup import DEFAULT_QUERIES, queries_from_env

    assert queries_from_env(None) == DEFAULT_QUERIES == ("", "level=mahalle")
    assert queries_from_env("off") == queries_from_env(" OFF ") == ()
    assert queries_from_env("") == ("",)  # the front page alone (scripts/kiosk.sh)
    assert queries_from_env("?level=mahalle&lang=en | indicator=pop_total") == ("level=mahalle&lang=en",
                                                                               "indicator=pop_total")


def test_no_warm_up_views_means_no_warm_up(capsys):
    from app_support.server.warmup import warm_when_ready

    assert warm_when_ready(()) == []  # returns at once: no waiting for a server, nothing said
    assert capsys.readouterr().err == ""
