"""The production layout (issue #21): stack file, nginx configuration, trusted user header, publish.

Without nginx these check the generated text; with nginx (scripts/setup.sh --prod installs it) the
configuration is checked with ``nginx -t -c`` and nginx is run on 127.0.0.1 high ports in front of
small echo servers standing in for the replicas: what reaches a replica, which headers a browser
gets, the editor's sign-in and its rate limit. The full stack with Streamlit and Chromium is
tests/browser/test_prod_stack.py.
"""

from __future__ import annotations

import http.client
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import warnings
from base64 import b64encode
from pathlib import Path

import pytest

from atlas.deploy import local, nginx, publish, stack, systemd, trust
from atlas.deploy.stack import DeployError

HAS_NGINX = nginx.nginx_binary() is not None and shutil.which("openssl") is not None
needs_nginx = pytest.mark.skipif(not HAS_NGINX, reason="nginx not installed (scripts/setup.sh --prod)")
SECRET = "s" * 40


def _free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


# --- stack file ----------------------------------------------------------------------------------

def test_stack_file_loads_with_three_groups():
    st = stack.load()
    assert [g.role for g in st.groups] == ["public", "kiosk", "editor"]
    assert st.group("public").path == "/" and st.group("editor").base_url_path == "editor"
    moved = st.with_first_ports(9000).with_groups(public=3)
    assert moved.group("public").instances() == ("public-9000", "public-9001", "public-9002")
    assert moved.group("kiosk").ports == (9100,)


@pytest.mark.parametrize("edit, message", [
    (("[proxy]", "[proxy]\nextra = 1"), "unknown key 'extra'"),
    (('sign_in_rate = "10r/m"', 'sign_in_rate = "10; evil"'), "sign_in_rate"),
    (('server_name = "_"', 'server_name = "a b"'), "server_name"),
    (("[groups.kiosk]\nreplicas = 1\nfirst_port = 8601", "[groups.kiosk]\nreplicas = 1\nfirst_port = 8502"),
     "port 8502 of groups.kiosk is also groups.public"),
    (('auth = "basic"', 'auth = "ldap"'), "editor.auth"),
])
def test_stack_file_refuses_bad_values(tmp_path, edit, message):
    text = stack.STACK_FILE.read_text(encoding="utf-8")
    assert edit[0] in text
    bad = tmp_path / "stack.toml"
    bad.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    with pytest.raises(DeployError, match=message):
        stack.load(bad)


def test_replica_commands_per_role():
    argv, env = stack.replica_command("public", 8501, python="py")
    assert argv[:4] == ["py", "-m", "app_support.server.serve", "atlas_app.py"]
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert "--server.baseUrlPath" not in argv and env == {}
    argv, env = stack.replica_command("kiosk", 8601, python="py", secret_file="/x")
    assert argv[argv.index("--server.baseUrlPath") + 1] == "kiosk"
    assert env == {"ATLAS_KIOSK": "1", "ATLAS_WARMUP": ""}  # no secret: the kiosk trusts no user header
    argv, env = stack.replica_command("editor", 8701, python="py", secret_file="/x")
    assert argv[argv.index("--server.baseUrlPath") + 1] == "editor"
    assert env == {"ATLAS_EDITOR": "1", "ATLAS_PROXY_SECRET_FILE": "/x"}
    assert stack.parse_instance("editor-8701") == ("editor", 8701)
    with pytest.raises(DeployError, match="ROLE-PORT"):
        stack.parse_instance("admin-8701")


# --- the trusted user header ----------------------------------------------------------------------

GOOD = {"X-Atlas-User": "ayse.yilmaz@izmir.bel.tr", "X-Atlas-Proxy-Secret": SECRET}


@pytest.mark.parametrize("headers, peer, secret, expected", [
    (GOOD, "127.0.0.1", SECRET, "ayse.yilmaz@izmir.bel.tr"),
    ({k.lower(): v for k, v in GOOD.items()}, "::1", SECRET, "ayse.yilmaz@izmir.bel.tr"),  # any case, IPv6
    (GOOD, "::ffff:127.0.0.1", SECRET, "ayse.yilmaz@izmir.bel.tr"),
    (GOOD, "10.0.0.5", SECRET, None),           # not from this machine
    (GOOD, None, SECRET, None),                 # peer unknown
    (GOOD, "127.0.0.1", None, None),            # this replica has no secret (public, kiosk)
    (GOOD, "127.0.0.1", "short", None),         # a malformed secret trusts nobody
    ({**GOOD, "X-Atlas-Proxy-Secret": "t" * 40}, "127.0.0.1", SECRET, None),   # wrong secret
    ({"X-Atlas-User": "ayse"}, "127.0.0.1", SECRET, None),                     # no secret header
    ({**GOOD, "X-Atlas-User": ""}, "127.0.0.1", SECRET, None),                 # empty name
    ({**GOOD, "X-Atlas-User": "a b"}, "127.0.0.1", SECRET, None),              # space
    ({**GOOD, "X-Atlas-User": "<script>"}, "127.0.0.1", SECRET, None),
    ({**GOOD, "X-Atlas-User": "a" * 65}, "127.0.0.1", SECRET, None),           # too long
    ({**GOOD, "X-Atlas-User": "ayşe"}, "127.0.0.1", SECRET, None),             # not ASCII
])
def test_trusted_user(headers, peer, secret, expected):
    assert trust.trusted_user(headers, peer, secret) == expected


def test_trusted_user_refuses_a_repeated_header():
    pairs = [("X-Atlas-Proxy-Secret", SECRET), ("X-Atlas-User", "ayse"), ("x-atlas-user", "admin")]
    assert trust.trusted_user(pairs, "127.0.0.1", SECRET) is None
    assert trust.trusted_user(pairs[:2], "127.0.0.1", SECRET) == "ayse"


def test_read_secret(tmp_path, monkeypatch):
    monkeypatch.delenv(stack.SECRET_FILE_ENV, raising=False)
    assert trust.read_secret() is None
    f = tmp_path / "secret"
    local.write_private(f, SECRET + "\n")
    assert oct(f.stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv(stack.SECRET_FILE_ENV, str(f))
    assert trust.read_secret() == SECRET
    f.write_text("too short")
    with pytest.raises(DeployError, match="32–128 characters"):
        trust.read_secret()
    with pytest.raises(DeployError, match="cannot read"):
        trust.read_secret(tmp_path / "missing")


# --- generated configuration (text) ---------------------------------------------------------------

def _files(tmp_path: Path) -> nginx.SiteFiles:
    return nginx.SiteFiles(tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "editors.htpasswd", SECRET)


def test_site_config_text(tmp_path):
    text = nginx.site_config(stack.load(), _files(tmp_path))
    assert "server_tokens off;" in text
    for header in ("Content-Security-Policy", "X-Frame-Options \"SAMEORIGIN\"", "X-Content-Type-Options \"nosniff\"",
                   "Referrer-Policy", "Strict-Transport-Security"):
        assert text.count(header) == 7, header  # public, kiosk, editor, their fallbacks, refused sign-in
    assert "frame-ancestors 'self'" in text and "connect-src 'self'" in text
    # Sticky: a group upstream and one upstream per replica (public 2, kiosk 1, editor 1).
    assert text.count("least_conn;") == 3
    assert "upstream atlas_public_8502 {" in text and "    8502 atlas_public_8502;" in text
    assert text.count("error_page 502 504 = @atlas_") == 3
    # Every location and its fallback (6) passes the WebSocket upgrade.
    assert text.count("proxy_set_header Upgrade $http_upgrade;") == 6
    # The user header and the secret: real values on the editor locations only, emptied elsewhere.
    assert text.count("proxy_set_header X-Atlas-User $remote_user;") == 2
    assert text.count(f'proxy_set_header X-Atlas-Proxy-Secret "{SECRET}";') == 2
    assert text.count('proxy_set_header X-Atlas-User "";') == 4
    assert "limit_req zone=atlas_sign_in" in text and "client_max_body_size 50m;" in text
    assert "{{" not in text


def test_site_config_oidc_and_missing_groups(tmp_path):
    st = stack.load()
    st = stack.Stack(st.proxy, stack.Editor("oidc", "127.0.0.1:4180"), st.groups).with_groups(kiosk=0)
    text = nginx.site_config(st, _files(tmp_path))
    assert "auth_request /oauth2/auth;" in text and "auth_basic" not in text
    assert "proxy_set_header X-Atlas-User $atlas_user;" in text
    assert "location /kiosk/ { return 404; }" in text and "upstream atlas_kiosk" not in text
    assert "$cookie_atlas_route_kiosk" not in text


def test_render_refuses_missing_and_unused_values():
    with pytest.raises(DeployError, match="no value for the placeholder"):
        nginx.render("a {{x}}", {})
    with pytest.raises(DeployError, match="has no placeholder"):
        nginx.render("a", {"x": 1})
    with pytest.raises(DeployError, match="absolute path"):
        nginx.site_config(stack.load(), nginx.SiteFiles(Path("/a b"), Path("/k"), Path("/h"), SECRET))


def test_systemd_units(tmp_path):
    st = stack.load()
    units = systemd.units(st, root=Path("/opt/atlas"), python=Path("/opt/atlas/.venv/bin/python"),
                          db=Path("/srv/atlas/atlas.duckdb"), secret_file=Path("/etc/atlas/proxy-secret"))
    assert set(units) == {"atlas@.service", "atlas-editor@.service", "atlas.target"}
    assert "Restart=always" in units["atlas@.service"] and "Restart=always" in units["atlas-editor@.service"]
    assert "ProtectSystem=strict" in units["atlas@.service"]
    assert "ReadWritePaths" not in units["atlas@.service"]  # public and kiosk replicas cannot write
    assert "ReadWritePaths=/srv/atlas" in units["atlas-editor@.service"]
    assert "--secret-file" not in units["atlas@.service"]
    assert ("Wants=atlas@public-8501.service atlas@public-8502.service atlas@kiosk-8601.service "
            "atlas-editor@editor-8701.service nginx.service") in units["atlas.target"]
    user = systemd.units(st, root=Path("/home/u/atlas"), python=Path("/home/u/atlas/.venv/bin/python"),
                         db=Path("/home/u/atlas.duckdb"), secret_file=Path("/home/u/run/proxy-secret"),
                         user_level=True, run_dir=Path("/home/u/run"))
    assert "atlas-proxy.service" in user and "User=" not in user["atlas@.service"]
    assert "WantedBy=default.target" in user["atlas.target"]
    for text in [*units.values(), *user.values()]:
        assert "{{" not in text


# --- publish --------------------------------------------------------------------------------------

def test_publish_copies_checks_and_renames(tmp_path, tiny_db):
    served = tmp_path / "served" / "atlas.duckdb"
    served.parent.mkdir()
    served.write_bytes(b"old")
    before = served.stat().st_ino
    # The tiny database is not all of İzmir: the checks of a whole province are left out here.
    out = publish.publish(tiny_db, served, checks=frozenset({"area_parents", "value_sources", "geometry"}))
    assert served.read_bytes() == Path(tiny_db).read_bytes()
    assert served.stat().st_ino != before  # a new file: the replicas' signature changes
    assert out.bytes == served.stat().st_size
    assert sorted(p.name for p in served.parent.iterdir()) == ["atlas.duckdb"]  # no temporary file left


def test_publish_refuses_a_bad_database_and_keeps_the_served_one(tmp_path):
    served = tmp_path / "atlas.duckdb"
    served.write_bytes(b"old")
    bad = tmp_path / "new.duckdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(DeployError, match="cannot be published"):
        publish.publish(bad, served)
    assert served.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.duckdb", "new.duckdb"]
    with pytest.raises(DeployError, match="does not exist"):
        publish.publish(tmp_path / "missing.duckdb", served)


def test_publish_refuses_a_database_failing_the_checks(tmp_path, tiny_db):
    served = tmp_path / "atlas.duckdb"
    served.write_bytes(b"old")
    with pytest.raises(DeployError, match="district_count"):
        publish.publish(tiny_db, served)  # two districts: not İzmir's thirty
    assert served.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.duckdb", "tiny.duckdb"]


# --- nginx itself -----------------------------------------------------------------------------------

class _Echo(http.server.BaseHTTPRequestHandler):
    """A stand-in replica: answers every GET with its port and the request headers as JSON."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        body = json.dumps({"port": self.server.server_address[1], "path": self.path,
                           "headers": [[k, v] for k, v in self.headers.items()]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Server", "TornadoServer/6.5")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _consecutive_free_pair() -> int:
    for _ in range(50):
        (port,) = _free_ports(1)
        if port < 65535 and all(_port_free(p) for p in (port, port + 1)):
            return port
    pytest.fail("no two consecutive free ports on 127.0.0.1")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _serve_echo(port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """nginx from a generated run directory in front of echo servers (2 public, 1 kiosk, 1 editor)."""
    if not HAS_NGINX:
        pytest.skip("nginx not installed (scripts/setup.sh --prod)")
    https, http_port = _free_ports(2)
    run_dir = tmp_path_factory.mktemp("run")
    st = stack.load().with_proxy(listen_address="127.0.0.1", https_port=https, http_port=http_port)
    # Two public replicas on consecutive ports, one kiosk, one editor.
    first = _consecutive_free_pair()
    ports = [first, first + 1, *_free_ports(2)]
    st = stack.Stack(st.proxy, st.editor, (
        stack.Group("public", 2, ports[0]), stack.Group("kiosk", 1, ports[2]), stack.Group("editor", 1, ports[3])))
    run = local.prepare(st, run_dir)
    servers = {p: _serve_echo(p) for p in ports}
    proc = subprocess.Popen([nginx.nginx_binary(), "-c", str(run.nginx_conf), "-p", str(run.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"nginx did not start: {proc.communicate()[0].decode(errors='replace')}")
            time.sleep(0.1)
    try:
        yield {"https": https, "http": http_port, "run": run, "ports": ports, "servers": servers}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for s in servers.values():
            s.shutdown()
            s.server_close()


def _get(port: int, path: str, headers: dict[str, str] | None = None, tls: bool = True):
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    conn = (http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10) if tls
            else http.client.HTTPConnection("127.0.0.1", port, timeout=10))
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, resp.headers, body
    finally:
        conn.close()


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{user}:{password}".encode()).decode()}


def _sent_headers(body: bytes) -> dict[str, str]:
    return {k.lower(): v for k, v in json.loads(body)["headers"]}


@needs_nginx
def test_generated_config_passes_nginx_t(tmp_path):
    st = stack.load().with_proxy(listen_address="127.0.0.1", https_port=18443, http_port=18080)
    run = local.prepare(st, tmp_path / "run")  # runs `nginx -t -c` itself and raises if refused
    assert nginx.check(run.nginx_conf, prefix=run.root).returncode == 0
    oidc = stack.Stack(st.proxy, stack.Editor("oidc", "127.0.0.1:4180"), st.groups)
    files = nginx.SiteFiles(run.root / "tls" / "cert.pem", run.root / "tls" / "key.pem", run.htpasswd_file, SECRET)
    run.site_conf.write_text(nginx.site_config(oidc, files))
    out = nginx.check(run.nginx_conf, prefix=run.root)
    assert out.returncode == 0, out.stderr


@needs_nginx
def test_public_location_strips_client_identity_headers(proxy):
    status, headers, body = _get(proxy["https"], "/", {"X-Atlas-User": "admin", "X-Atlas-Proxy-Secret": SECRET})
    assert status == 200
    sent = _sent_headers(body)
    assert "x-atlas-user" not in sent and "x-atlas-proxy-secret" not in sent
    assert sent["x-forwarded-proto"] == "https" and sent["host"] == f"127.0.0.1:{proxy['https']}"
    status, _, body = _get(proxy["https"], "/kiosk/", {"X-Atlas-User": "admin"})
    assert status == 200 and json.loads(body)["port"] == proxy["ports"][2]
    assert "x-atlas-user" not in _sent_headers(body)


@needs_nginx
def test_security_headers_on_responses(proxy):
    status, headers, _ = _get(proxy["https"], "/")
    assert status == 200
    assert headers["Server"] == "nginx"  # no version, and not the replica's own Server header
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Set-Cookie"].startswith("atlas_route_public=") and "Secure" in headers["Set-Cookie"]
    # plain HTTP only redirects to HTTPS
    status, headers, _ = _get(proxy["http"], "/profile?x=1", tls=False)
    assert status == 301 and headers["Location"] == f"https://127.0.0.1:{proxy['https']}/profile?x=1"


@needs_nginx
def test_sticky_cookie_names_the_replica_and_follows_a_failover(proxy):
    first, second = proxy["ports"][:2]
    # No cookie: the group answers and the cookie names the replica that did.
    status, headers, body = _get(proxy["https"], "/")
    answered = json.loads(body)["port"]
    assert answered in (first, second)
    assert headers["Set-Cookie"].startswith(f"atlas_route_public={answered};")
    # A cookie naming a replica: that replica answers, and no new cookie is set.
    for port in (first, second) * 2:
        status, headers, body = _get(proxy["https"], "/", {"Cookie": f"atlas_route_public={port}"})
        assert json.loads(body)["port"] == port and "Set-Cookie" not in headers
    # An unknown value: the group answers and the cookie is corrected.
    status, headers, body = _get(proxy["https"], "/", {"Cookie": "atlas_route_public=1"})
    assert headers["Set-Cookie"].startswith(f"atlas_route_public={json.loads(body)['port']};")
    # The browser's replica is down: the other one answers, and the cookie moves there.
    proxy["servers"][second].shutdown()
    proxy["servers"][second].server_close()
    try:
        status, headers, body = _get(proxy["https"], "/", {"Cookie": f"atlas_route_public={second}"})
        assert status == 200 and json.loads(body)["port"] == first
        assert headers["Set-Cookie"].startswith(f"atlas_route_public={first};")
    finally:
        proxy["servers"][second] = _serve_echo(second)
    # Back up: a browser whose cookie names it goes there again (after fail_timeout at the latest).
    deadline = time.monotonic() + 15
    while json.loads(_get(proxy["https"], "/", {"Cookie": f"atlas_route_public={second}"})[2])["port"] != second:
        assert time.monotonic() < deadline
        time.sleep(0.5)


@needs_nginx
def test_editor_refuses_anonymous_and_passes_the_signed_in_user(proxy):
    status, headers, body = _get(proxy["https"], "/editor/", {"X-Atlas-User": "admin"})
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic realm=")
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert b"nginx/" not in body
    password = proxy["run"].editor_password
    status, _, body = _get(proxy["https"], "/editor/", {**_basic("editor", password), "X-Atlas-User": "admin"})
    assert status == 200
    sent = _sent_headers(body)
    secret = trust.read_secret(proxy["run"].secret_file)
    assert sent["x-atlas-user"] == "editor"  # the client's copy was replaced
    assert trust.trusted_user(sent, "127.0.0.1", secret) == "editor"


@needs_nginx
def test_editor_accepts_bcrypt_password_files(proxy):
    """htpasswd -B writes bcrypt ($2y$); nginx checks it with Debian's crypt() (libxcrypt)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt  # noqa: PLC0415  (deprecated, still in 3.11: only to make a bcrypt hash here)
    hashed = crypt.crypt("correct horse", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
    hashed = "$2y$" + hashed[4:]  # htpasswd's prefix
    htpasswd = proxy["run"].htpasswd_file
    original = htpasswd.read_text()
    htpasswd.write_text(original + f"ayse:{hashed}\n")
    try:
        assert _get(proxy["https"], "/editor/", _basic("ayse", "correct horse"))[0] == 200
    finally:
        htpasswd.write_text(original)


@needs_nginx
def test_request_size_limit(proxy):
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", proxy["https"], context=ctx, timeout=10)
    try:
        conn.request("POST", "/_stcore/upload_file/x", body=b"x" * (2 * 1024 * 1024))
        assert conn.getresponse().status == 413
    finally:
        conn.close()


@needs_nginx
def test_failed_sign_ins_are_rate_limited(proxy):
    """Run last of the nginx tests: it uses up the sign-in allowance of 127.0.0.1."""
    statuses = [_get(proxy["https"], "/editor/", _basic("editor", "wrong"))[0] for _ in range(25)]
    assert statuses[0] == 401
    assert 429 in statuses
    assert statuses.count(401) <= stack.load().proxy.sign_in_burst + 2
    # Only refused sign-ins are counted: the right password still gets in.
    assert _get(proxy["https"], "/editor/", _basic("editor", proxy["run"].editor_password))[0] == 200


# --- the app's side (app_support/server/identity.py) ----------------------------------------------

class _Headers:
    def __init__(self, pairs):
        self._pairs = pairs

    def keys(self):
        return list(dict.fromkeys(k.lower() for k, _ in self._pairs))

    def get_all(self, key):
        return [v for k, v in self._pairs if k.lower() == key.lower()]


def test_editor_user_glue(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from app_support.server import identity

    secret_file = tmp_path / "secret"
    local.write_private(secret_file, SECRET)
    pairs = [("X-Atlas-User", "ayse"), ("X-Atlas-Proxy-Secret", SECRET)]
    fake = SimpleNamespace(context=SimpleNamespace(headers=_Headers(pairs), ip_address=None))  # None = loopback
    monkeypatch.setattr(identity, "st", fake)
    identity._secret.cache_clear()
    monkeypatch.delenv(stack.SECRET_FILE_ENV, raising=False)
    assert identity.editor_user() is None  # a public or kiosk replica: no secret, nobody trusted
    identity._secret.cache_clear()
    monkeypatch.setenv(stack.SECRET_FILE_ENV, str(secret_file))
    assert identity.editor_user() == "ayse"
    fake.context.ip_address = "192.0.2.7"
    assert identity.editor_user() is None
    fake.context.ip_address = None
    fake.context.headers = _Headers([*pairs, ("x-atlas-user", "admin")])
    assert identity.editor_user() is None
    identity._secret.cache_clear()
