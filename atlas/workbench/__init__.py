"""The data workbench (issue #18): the city's own data loaded, checked, previewed and published from
the browser, by an editor only. Core code, no Streamlit; the page and its glue are
``pages/data_management.py`` and ``app_support/workbench/``.

Modules:

* ``template`` — the XLSX template (drop-down lists, column help in Turkish and English, fictional
  example rows) with the columns ``python -m atlas import`` reads; ``python -m atlas template``;
* ``report`` — an import's problems as a table in the reader's language, and as a formula-safe CSV;
* ``entry_form`` — the new-indicator form: its fields, the catalogue entry made from them (checked
  by the catalogue's own rules) and that entry as the TOML ``python -m atlas import --entry`` takes;
* ``diff`` — what a staged database changes against the published one;
* ``stage`` — an upload checked (the importer's dry run) and staged into a private copy;
* ``versions`` — publish, history, rollback (atomic swap under a lock, the last N versions kept);
* ``password`` — the single-machine editor password (``python -m atlas.workbench hash-password``).
"""
