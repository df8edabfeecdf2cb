"""Streamlit glue of the data workbench (issue #18): the editor gate (``gate``), the upload → check →
stage flow (``upload``), the preview of a staged database (``preview``) and the version history with
its restore buttons (``history``). The page is ``pages/data_management.py``, registered only on an
editor instance (``ATLAS_EDITOR=1``)."""
