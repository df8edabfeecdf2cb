"""app_support.serve: the preload imports the heavy libraries and nothing that declares a component."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_preload_imports_mapclassify_but_no_streamlit_component():
    code = ("import sys; from app_support import serve; serve.preload(); "
            "print('mapclassify' in sys.modules, 'geopandas' in sys.modules, "
            "'streamlit_folium' in sys.modules, any(m.startswith('app_support.') and m != 'app_support.serve' "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    # a component declared before the runtime exists is registered nowhere: the browser gets a 404
    assert out.stdout.split() == ["True", "True", "False", "False"], out.stdout + out.stderr
