"""Exceptions the atlas raises on purpose.

Every message says what was wrong, which value, and what is allowed, so that the
CLI and the pages can show it as it is.
"""


class AtlasError(Exception):
    """Base class: an error the atlas explains itself.

    Raised with a message of the catalogues (``atlas.i18n.lazy``), it reads in any language of the
    atlas (``in_language``); ``str(exc)`` is English, for the command line and the logs.
    """

    def in_language(self, lang: str) -> str:
        """The error in ``lang`` when it carries a catalogue message, else as raised (English)."""
        first = self.args[0] if len(self.args) == 1 else None
        get = getattr(first, "get", None)
        return get(lang) if callable(get) and not isinstance(first, (str, dict)) else str(self)


class MissingDataError(AtlasError):
    """A source file or the database is not where the atlas looks for it."""


class OutdatedDatabaseError(MissingDataError):
    """The database was made by another version of the atlas (its schema differs); rebuild it."""


class CatalogueError(AtlasError):
    """An indicator catalogue entry is malformed (file and key are named)."""


class QueryError(AtlasError):
    """A query file is missing or called with the wrong parameters."""


class BuildError(AtlasError):
    """The database build could not finish; the previous database is untouched."""


class ImportRejected(AtlasError):
    """A user import was rejected; nothing was written.

    ``problems`` holds one human-readable line per problem, row-numbered (English, as the command line
    shows them). ``summary`` and the problems may be catalogue messages (``atlas.i18n.lazy``): then
    ``items`` keeps each problem as (row, message) — row 0 for the file as a whole — and ``listed`` the
    lines as listed, so that ``in_language(lang)`` and the workbench's report read in any language.
    """

    def __init__(self, summary: object, problems: list[str], *, items: list[tuple[int, object]] | None = None,
                 listed: list[object] | None = None):
        self.summary = summary
        self.problems = [str(p) for p in problems]
        self.items = list(items) if items is not None else [(0, p) for p in self.problems]
        self.listed = list(listed) if listed is not None else list(self.problems)
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{summary}\n{body}" if body else str(summary))

    def __reduce__(self):  # pickles (a cache, a worker process) with its messages, not just its text
        return (self.__class__, (self.summary, self.problems), {"items": self.items, "listed": self.listed})

    def in_language(self, lang: str) -> str:
        def text(value: object) -> str:
            return value if isinstance(value, str) else value.get(lang)  # a catalogue message

        body = "\n".join(f"  - {text(p)}" for p in self.listed)
        return f"{text(self.summary)}\n{body}" if body else text(self.summary)


class ExportError(AtlasError):
    """A map or data export could not be made as asked (unknown indicator, period without data,
    impossible dpi, …); no file was written."""


class WorkbenchError(AtlasError):
    """The data workbench could not publish, restore or read a version as asked (which version or
    file, what is allowed); the served database and the version history are unchanged."""
