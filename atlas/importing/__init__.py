"""Importing the city's own data: ``python -m atlas import FILE [--entry ENTRY.toml] [--db PATH]``.

A file (CSV or XLSX, see ``docs/import.md`` and ``examples/import_template.csv``) holds the
values of ONE indicator, one row per area and period. The import runs in three steps:

0. **limits** (``limits``): file size, rows, columns, cell length and, for XLSX, the unpacked size
   and XML elements of the workbook, checked before the expensive work (``docs/import.md``,
   "Limits"); any error while reading a file is an ``ImportRejected``, never a traceback;
1. **read and parse** (``parse_file``): encoding (UTF-8, UTF-8 with BOM, Windows-1254),
   separator (``,`` ``;`` or tab), decimal mark, header names (English or Turkish), numbers,
   levels, periods and the checks that need nothing but the row itself;
2. **check** against the indicator (``check_rows``: periods, levels, negatives, numerator ≤
   denominator, CI around the value, disclosure rule, Wilson CI) and the database (indicator
   known or given with ``--entry``; areas matched with ``atlas.names``; duplicates);
3. **write** everything in one transaction, or nothing: every problem found in steps 1–2 is
   collected and raised together as one ``ImportRejected`` with row numbers as the user sees
   them (the header is row 1).

Overwrite policy: an indicator the build made from the catalogue (origin 'catalogue') is never
changed by an import. Re-importing an imported indicator (origin 'import') replaces ALL its
values (every level) for each period present in the file; other periods are kept.

Modules, in the order of the steps: ``limits`` (the limits), ``columns`` (column names and header aliases), ``read``
(decoding, CSV sniffing, XLSX), ``header`` (which column is which), ``numbers`` (decimal mark),
``rows`` (typed rows), ``entry`` (the ``--entry`` TOML), ``indicator`` (which indicator),
``check`` (against the indicator), ``areas`` (area codes and duplicates), ``province`` (the İzmir
value of each period, computed from the file's areas where it can be, so every view can compare
with İzmir), ``plan`` (all checks, the report), ``write`` (the transaction and ``import_file``);
``problems`` collects problems. Count data by age band (an entry with ``input = "age_bands"``,
issue #19) take their own path from ``import_file``: ``age_entry`` (the entry's keys), ``age_rows``
(rows and age bands checked), ``age_family`` (cells, İzmir's reference, the statistics, disclosure)
and ``age_import`` (the family of indicators planned and written). The subpackage ``points`` is ``python -m atlas import-points``: a
city's point file (CSV/XLSX/GeoJSON) as a point layer, read with the same reader and limits.
"""

from .areas import AreaResolver
from .check import CheckedValue, check_rows
from .columns import COLUMNS, HEADER_ALIASES
from .entry import load_entry
from .numbers import detect_decimal_mark, parse_number
from .plan import ImportPlan, ImportReport, plan_import
from .rows import ParsedFile, ParsedRow, parse_file, parse_period
from .write import import_file, write_plan

__all__ = ["ImportReport", "import_file", "parse_file", "check_rows", "load_entry", "ParsedFile", "ParsedRow",
           "HEADER_ALIASES", "COLUMNS", "parse_number", "detect_decimal_mark", "parse_period", "AreaResolver",
           "CheckedValue", "ImportPlan", "plan_import", "write_plan"]
