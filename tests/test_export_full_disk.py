"""A full (or read-only) disk under an export: one clear ExportError, no partial file (issue #21, drill d)."""

from __future__ import annotations

import errno

import pytest

from atlas.errors import ExportError
from atlas.export import files


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_is_an_export_error_and_leaves_no_file(tmp_path, code):
    def half(path):
        path.write_bytes(b"half a file")
        raise OSError(code, "No space left on device" if code == errno.ENOSPC else "Read-only file system")

    with pytest.raises(ExportError, match="cannot write .*x.pdf: (No space left on device|Read-only file system)"):
        files.write_atomic(tmp_path / "x.pdf", half)
    assert list(tmp_path.iterdir()) == []


def test_other_os_errors_pass_through(tmp_path):
    def broken(path):
        raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError) as info:
        files.write_atomic(tmp_path / "x.pdf", broken)
    assert not isinstance(info.value, ExportError)
    assert list(tmp_path.iterdir()) == []
