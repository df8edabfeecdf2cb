import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.factories import make_tiny_db  # noqa: E402


@pytest.fixture
def tiny_db(tmp_path) -> Path:
    """A fresh tiny atlas database (fictional data) in a temp folder."""
    return make_tiny_db(tmp_path / "tiny.duckdb")


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real source data (../shared/data in this setup, or ATLAS_DATA_DIR). Required, never skipped."""
    from atlas.config import data_dir

    return data_dir()


@pytest.fixture(scope="session")
def real_db(tmp_path_factory, real_data_dir) -> Path:
    """The atlas database built once per test session from the real source data."""
    from atlas.build.pipeline import build

    path = tmp_path_factory.mktemp("real") / "atlas.duckdb"
    build(real_data_dir, path, progress=lambda _msg: None)
    return path


@pytest.fixture
def fresh_caches():
    """Empty Streamlit's caches before and after a test (AppTest runs share the process's caches)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
