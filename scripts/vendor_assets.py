"""Copy the front-end files folium maps need from node_modules/ into static/vendor/.

    .venv/bin/python scripts/vendor_assets.py [--check]

``npm ci`` installs the packages pinned in package.json / package-lock.json; this script copies
the files that app_support/chrome/offline_map.py points folium at, with the images and fonts their CSS
refers to and each package's licence, into ``static/vendor/<package>/``. Two small files have no
npm package and are generated: Bootstrap 3's glyphicon rules (cut from bootstrap 3.4.1, since
Bootstrap 3.0's separate ``bootstrap-glyphicons.css`` that folium links is not published there)
and folium's ``leaflet.awesome.rotate`` rules (``.fa-rotate-1`` ... ``.fa-rotate-359``).

The new tree is built beside the old one and swapped in at the end, then checked: every file
offline_map.py refers to exists and every ``url(...)`` in the copied CSS resolves to a file.
``static/vendor/.stamp`` records the package-lock.json and script checksums (scripts/setup.sh
compares it to decide whether to run this again). ``--check`` only runs the checks.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app_support.chrome.offline_map import VENDOR_DIR, vendored_files  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
STAMP_NAME = ".stamp"

# (source under node_modules/, destination under static/vendor/); directories are copied whole.
COPIES: list[tuple[str, str]] = [
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("jquery/dist/jquery.min.js", "jquery/jquery.min.js"),
    ("jquery/LICENSE.txt", "jquery/LICENSE.txt"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("bootstrap3/fonts", "bootstrap3-glyphicons/fonts"),
    ("bootstrap3/LICENSE", "bootstrap3-glyphicons/LICENSE"),
    ("@fortawesome/fontawesome-free/css/all.min.css", "fontawesome-free/css/all.min.css"),
    ("@fortawesome/fontawesome-free/webfonts", "fontawesome-free/webfonts"),
    ("@fortawesome/fontawesome-free/LICENSE.txt", "fontawesome-free/LICENSE.txt"),
    ("drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js",
     "leaflet.awesome-markers/leaflet.awesome-markers.js"),
    ("drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css",
     "leaflet.awesome-markers/leaflet.awesome-markers.css"),
    ("drmonty-leaflet-awesome-markers/css/images", "leaflet.awesome-markers/images"),
]
GLYPHICONS_SOURCE = "bootstrap3/dist/css/bootstrap.css"
GLYPHICONS_DEST = "bootstrap3-glyphicons/css/bootstrap-glyphicons.css"
ROTATE_DEST = "folium/leaflet.awesome.rotate.min.css"

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class VendorError(RuntimeError):
    pass


def stamp_text() -> str:
    """What ``.stamp`` holds: checksums of the lock file and of this script."""
    lock = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    script = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return f"package-lock.json {lock}\nvendor_assets.py {script}\n"


def glyphicons_css(bootstrap3_css: str) -> str:
    """The ``@font-face`` and ``.glyphicon*`` rules of Bootstrap 3's CSS, nothing else."""
    start = bootstrap3_css.find('@font-face {\n  font-family: "Glyphicons Halflings";')
    if start < 0:
        raise VendorError(f"no Glyphicons @font-face in node_modules/{GLYPHICONS_SOURCE}")
    rules, pos = [], start
    while True:
        end = bootstrap3_css.find("}", pos)
        rule = bootstrap3_css[pos:end + 1]
        if pos != start and not rule.startswith(".glyphicon"):
            break
        rules.append(rule)
        pos = end + 1
        while bootstrap3_css[pos:pos + 1] in ("\n", " "):
            pos += 1
    glyphs = sum(1 for r in rules if re.match(r"\.glyphicon-[a-z0-9-]+:before", r))
    if glyphs < 200:
        raise VendorError(f"only {glyphs} glyphicon rules found in node_modules/{GLYPHICONS_SOURCE}")
    return ("/* Bootstrap 3.4.1 glyphicons only (MIT, see ../LICENSE): the @font-face and .glyphicon*"
            " rules of dist/css/bootstrap.css. */\n" + "\n".join(rules) + "\n")


def rotate_css() -> str:
    """folium's leaflet.awesome.rotate CSS: ``.fa-rotate-N`` for N = 1..359 degrees."""
    return "".join(
        f".fa-rotate-{n}{{-ms-transform:rotate({n}deg);-webkit-transform:rotate({n}deg);"
        f"transform:rotate({n}deg)}}" for n in range(1, 360)) + "\n"


def build(dest: Path) -> None:
    missing = [src for src, _ in COPIES if not (NODE_MODULES / src).exists()]
    if not (NODE_MODULES / GLYPHICONS_SOURCE).is_file():
        missing.append(GLYPHICONS_SOURCE)
    if missing:
        raise VendorError("missing in node_modules/ (run scripts/setup.sh, which runs `npm ci`): "
                          + ", ".join(missing))
    for src, rel in COPIES:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if (NODE_MODULES / src).is_dir():
            shutil.copytree(NODE_MODULES / src, target)
        else:
            shutil.copyfile(NODE_MODULES / src, target)
    for rel, text in [
        (GLYPHICONS_DEST, glyphicons_css((NODE_MODULES / GLYPHICONS_SOURCE).read_text("utf-8"))),
        (ROTATE_DEST, rotate_css()),
    ]:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, "utf-8")


def problems(vendor: Path) -> list[str]:
    """Files offline_map.py refers to that are missing, and CSS ``url()``s that resolve to nothing."""
    found = [f"missing: static/vendor/{rel}" for rel in vendored_files() if not (vendor / rel).is_file()]
    for css in sorted(vendor.rglob("*.css")):
        for _, ref in CSS_URL.findall(css.read_text("utf-8", errors="replace")):
            if ref.startswith(("data:", "#")):
                continue
            if re.match(r"^[a-z]+:|^//", ref):
                found.append(f"{css.relative_to(vendor)} refers to another host: {ref}")
                continue
            path = ref.split("?")[0].split("#")[0]
            if not (css.parent / path).is_file():
                found.append(f"{css.relative_to(vendor)} refers to missing {ref}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check static/vendor")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            tmp = VENDOR_DIR.with_name(".vendor.tmp")
            old = VENDOR_DIR.with_name(".vendor.old")
            for d in (tmp, old):
                shutil.rmtree(d, ignore_errors=True)
            build(tmp)
            (tmp / STAMP_NAME).write_text(stamp_text(), "utf-8")
            if VENDOR_DIR.exists():
                VENDOR_DIR.rename(old)
            tmp.rename(VENDOR_DIR)
            shutil.rmtree(old, ignore_errors=True)
        found = problems(VENDOR_DIR)
        if found:
            raise VendorError("static/vendor is incomplete:\n  " + "\n  ".join(found))
    except VendorError as exc:
        print(f"vendor_assets: ERROR: {exc}", file=sys.stderr)
        return 1
    files = [p for p in VENDOR_DIR.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"vendor_assets: static/vendor {'checked' if args.check else 'written'}: "
          f"{len(files)} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
