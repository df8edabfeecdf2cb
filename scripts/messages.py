"""The atlas's message catalogues (gettext, managed with Babel): extract, update, check, compile.

    .venv/bin/python scripts/messages.py extract   # pybabel extract → atlas/locale/atlas.pot
    .venv/bin/python scripts/messages.py update    # extract, then add new / drop unused messages in every .po
    .venv/bin/python scripts/messages.py check     # what tests/test_messages.py checks (exit 1 on a problem)
    .venv/bin/python scripts/messages.py compile   # .po → .mo (scripts/setup.sh runs this)
    .venv/bin/python scripts/messages.py init LANG # a new language's .po; then list LANG in atlas/locale/LINGUAS

A translator edits ``atlas/locale/<lang>/LC_MESSAGES/atlas.po`` with any PO editor (Poedit, Weblate,
Lokalize); the English text is the message id, ``{name}`` placeholders stay as they are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import write_po  # noqa: E402

from atlas.i18n import DOMAIN, LANGS, po_path  # noqa: E402
from atlas.i18n import catalogues as C  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/messages.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("extract", "update", "check", "compile"):
        sub.add_parser(name)
    init = sub.add_parser("init")
    init.add_argument("lang", help="language code, e.g. ar, ku, de")
    args = p.parse_args(argv)

    if args.cmd == "extract":
        cat = C.extract()
        print(f"messages: {sum(1 for m in cat if m.id)} messages → {C.TEMPLATE}")
    elif args.cmd == "update":
        todo = C.update(C.extract())
        for lang, n in todo.items():
            print(f"messages: {po_path(lang)}: {n} to translate")
    elif args.cmd == "check":
        problems = C.check(C.extract(), C.load_all())
        for problem in problems:
            print(f"messages: {problem}")
        print(f"messages: {len(problems)} problem(s) in {', '.join(LANGS)}")
        return 1 if problems else 0
    elif args.cmd == "compile":
        for mo in C.compile_all():
            print(f"messages: compiled {mo}")
    elif args.cmd == "init":
        path = po_path(args.lang)
        if path.exists():
            print(f"messages: {path} exists already", file=sys.stderr)
            return 1
        template = C.read(C.TEMPLATE)
        cat = Catalog(locale=args.lang, domain=DOMAIN, project=C.PROJECT, copyright_holder=C.COPYRIGHT)
        cat.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, cat, width=100)
        print(f"messages: {path} written; translate it, then add '{args.lang}' to atlas/locale/LINGUAS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
