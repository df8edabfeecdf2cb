"""The single-machine editor password (atlas.workbench.password) and the gate's delay after failures."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys

import pytest

from atlas.workbench.password import (HASH_ENV, HASH_FILE_ENV, PasswordConfigError, configured_hash, hash_password,
                                      verify_password)
from tests.conftest import ROOT


def test_hash_is_salted_scrypt_and_verifies_in_constant_time():
    salt = bytes(range(16))
    line = hash_password("doğru-parola-1", salt=salt)
    key = hashlib.scrypt("doğru-parola-1".encode(), salt=salt, n=16384, r=8, p=1, dklen=32)
    assert line == f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert verify_password("doğru-parola-1", line)
    assert not verify_password("dogru-parola-1", line)
    assert hash_password("doğru-parola-1") != hash_password("doğru-parola-1")  # a new salt each time


def test_short_password_and_malformed_hash_are_refused():
    with pytest.raises(ValueError, match="at least 10"):
        hash_password("short")
    with pytest.raises(PasswordConfigError, match=r"scrypt\$N\$r\$p\$salt\$hash"):
        verify_password("x", "md5$abc")
    with pytest.raises(PasswordConfigError, match="N=1000"):
        verify_password("x", "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==")


def test_configured_hash_from_environment_or_file(tmp_path):
    line = hash_password("abcdefghijk")
    assert configured_hash({}) is None
    assert configured_hash({HASH_ENV: line}) == line
    f = tmp_path / "hash"
    f.write_text(line + "\n", encoding="ascii")
    assert configured_hash({HASH_FILE_ENV: str(f)}) == line
    with pytest.raises(PasswordConfigError, match="cannot read"):
        configured_hash({HASH_FILE_ENV: str(tmp_path / "missing")})
    with pytest.raises(PasswordConfigError):
        configured_hash({HASH_ENV: "plain-text-password"})


def test_hash_password_command_prints_a_line_that_verifies():
    out = subprocess.run([sys.executable, "-m", "atlas.workbench", "hash-password", "--stdin"], cwd=ROOT,
                         input="uzun-bir-parola\n", capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith("scrypt$16384$8$1$") and verify_password("uzun-bir-parola", out)
    bad = subprocess.run([sys.executable, "-m", "atlas.workbench", "hash-password", "--stdin"], cwd=ROOT,
                         input="kisa\n", capture_output=True, text=True)
    assert bad.returncode == 2 and "at least 10" in bad.stderr and not bad.stdout


def test_failure_delay_grows_per_session_and_per_process():
    from app_support.workbench.gate import failure_delay

    assert [failure_delay(n, 0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert failure_delay(1, 10) == 2.0 and failure_delay(1, 25) == 4.0  # every ten failures of the process
    assert failure_delay(50, 0) == 30.0  # at most 30 s
