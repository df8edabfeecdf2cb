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
