"""The data workbench's steps from the template to publishing, as a clerk follows them.

1. ``template_step`` — download the XLSX template (``atlas.workbench.template``);
2. ``upload_step`` — choose what to upload (indicator values or a point layer) and the file
   (CSV/XLSX, at most ``atlas.importing.limits.MAX_FILE_BYTES``);
3. ``indicator_step`` / ``layer_step`` — an indicator imported before, or a new one (the form of
   ``atlas.workbench.entry_form``); for points, the layer and its coordinate system;
4. ``check_step`` — check and stage (``atlas.workbench.stage``): the problems table in the page's
   language with its CSV, or the staged database; nothing is staged while any problem remains;
5. (the preview: ``app_support.workbench.preview``);
6. ``publish_step`` / ``publish_now`` — publish with the token taken when staging; the gate is
   checked again right before. If the served data changed meanwhile, the upload is staged again
   and the editor is asked to look at the new preview.

State kept in the session: the staged upload (``STAGED_KEY``) with the fingerprint of what it was
made from (file, choice, entry); any change of those discards it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

import atlas.config
from atlas.catalogue import Indicator, indicator_from_json
from atlas.errors import ImportRejected, MissingDataError, QueryError, WorkbenchError
from atlas.i18n import gettext, label, lazy, ngettext
from atlas.importing.limits import MAX_FILE_BYTES, mebibytes

from ..chrome.page import clear_caches, database_signature, get_connection, md_escape, query
from . import gate

STAGED_KEY = "_wb_staged"
PROBLEMS_KEY = "_wb_problems"
NOTICE_KEY = "_wb_notice"
PUBLISHED_KEY = "_wb_published"
ERROR_KEY = "_wb_error"
VALUE_TYPES = ["csv", "txt", "xlsx"]
POINT_TYPES = ["csv", "txt", "xlsx", "geojson", "json"]
FORM_TOUCHED_KEY = "_wb_form_checked"  # the form was submitted once: check it on every run from then on
ENTRY_MAX_BYTES = 256 * 1024  # an entry TOML is a few kilobytes


@dataclass(frozen=True)
class Upload:
    """What the editor chose in steps 2–3: the file and what it is for."""

    kind: str  # "values" or "points"
    file_name: str
    data: bytes
    entry: Indicator | None = None  # a new indicator's entry (values)
    expected_id: str | None = None  # the imported indicator chosen (values)
    layer_id: str | None = None  # points
    layer_entry: str | None = None  # a new layer's [[layer]] TOML (points)
    crs: str | None = None  # points; None = detect

    def fingerprint(self) -> str:
        parts = [self.kind, self.file_name, hashlib.sha256(self.data).hexdigest(), repr(self.entry),
                 str(self.expected_id), str(self.layer_id), str(self.layer_entry), str(self.crs)]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def target():
    """The served database (``ATLAS_DB``, else geodata/atlas.duckdb)."""
    return atlas.config.db_path()


# --- 1. template ------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _template(signature: str, lang: str, kind: str) -> bytes:
    from atlas.workbench.template import build_template

    cur = get_connection(signature).cursor()
    try:
        return build_template(cur, lang, kind) if kind != "values" else build_template(cur, lang)
    finally:
        cur.close()


def template_step(lang: str) -> None:
    st.subheader(gettext("1. Download the template", lang))
    st.caption(gettext("An Excel file with drop-down lists of indicators, levels, areas and periods, the help "
                       "for each column and a sheet of fictional example rows. Fill it in and upload it below.", lang))
    signature = database_signature()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    left, right = st.columns(2)
    left.download_button(gettext("Download the template (XLSX)", lang), lambda: _template(signature, lang, "values"),
                         file_name=f"izmir_atlas_template_{lang}.xlsx", key="wb_template", on_click="ignore", mime=xlsx)
    right.download_button(gettext("Template for counts by age band (XLSX)", lang),
                          lambda: _template(signature, lang, "age_bands"), file_name=f"izmir_atlas_age_bands_{lang}.xlsx",
                          key="wb_template_age_bands", on_click="ignore", mime=xlsx,
                          help=gettext("Events and population by sex and age band; the atlas computes the rates "
                                       "(the entry needs input = \"age_bands\", docs/import.md).", lang))


# --- 2. upload -------------------------------------------------------------------------------


def upload_step(lang: str) -> tuple[str, Any]:
    """The kind of upload and the uploaded file (or None)."""
    st.subheader(gettext("2. Upload your file", lang))
    kind = st.radio(gettext("What does the file hold?", lang), ["values", "points"], horizontal=True,
                    format_func=lambda k: gettext("Indicator values by area", lang) if k == "values"
                    else gettext("A point layer (places with coordinates)", lang), key="wb_kind")
    types = VALUE_TYPES if kind == "values" else POINT_TYPES
    st.caption(gettext("CSV (UTF-8 or Windows-1254; separated by comma, semicolon or tab) or XLSX, at most "
                       "{size} per file.", lang, size=mebibytes(MAX_FILE_BYTES)))
    file = st.file_uploader(gettext("File", lang), type=types, key=f"wb_file_{kind}")
    return kind, file


# --- 3. which indicator / layer ----------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _imported(signature: str) -> dict[str, Indicator]:
    from ..chrome.page import load_table

    meta = load_table(signature, "list_indicator_metadata", "{}")
    return {i: indicator_from_json(m) for i, o, m in zip(meta["indicator_id"], meta["origin"], meta["metadata_json"])
            if o == "import"}


DEFAULTS = {"scale": "100", "value_type": "proportion", "decimals": "1", "polarity": "higher_is_better",
            "levels": ["district", "mahalle"], "min_count": "5", "min_denominator": "20"}


@st.cache_data(show_spinner=False, max_entries=4)
def _choices(signature: str, lang: str) -> dict[str, list[tuple[str, str]]]:
    from atlas.workbench.entry_form import field_choices

    cur = get_connection(signature).cursor()
    try:
        return field_choices(cur, lang)
    finally:
        cur.close()


def _field_widget(field: Any, lang: str, choices: dict[str, list[tuple[str, str]]]) -> Any:
    """The widget of one form field (``atlas.workbench.entry_form.FormField``); its value as typed."""
    text = gettext(field.label, lang) + ("" if field.required else " " + gettext("(optional)", lang))
    helptext = gettext(field.help, lang) if field.help else None
    key, default = f"wb_entry_{field.key}", DEFAULTS.get(field.key)
    if field.kind in ("choice", "choices"):
        pairs = choices.get(field.key) or [(c, _choice_label(field.key, c, lang)) for c in field.choices]
        names = dict(pairs)
        options = [v for v, _ in pairs]
        if field.kind == "choices":
            return st.multiselect(text, options, default=[v for v in (default or []) if v in names], key=key,
                                  format_func=lambda v: names.get(v, v), help=helptext)
        if not field.required:
            options = ["", *options]
        index = options.index(default) if default in options else 0
        return st.selectbox(text, options, index=index, key=key, help=helptext,
                            format_func=lambda v: names.get(v, v) if v else "—")
    if field.kind == "long_text":
        return st.text_area(text, key=key, help=helptext, max_chars=2000, height=90)
    return st.text_input(text, value=str(default or ""), key=key, help=helptext, max_chars=2000)


def _choice_label(key: str, value: str, lang: str) -> str:
    from ..chrome.labels import LEVELS, POLARITIES

    table = {"levels": LEVELS, "polarity": POLARITIES}.get(key)
    return label(table, value, lang) if table and value in table else value


def new_indicator_form(lang: str) -> Indicator | None:
    """The new indicator's catalogue entry from the form, or None (its problems shown per field)."""
    from atlas.workbench.entry_form import FIELDS, entry_from_form, entry_toml

    choices = _choices(database_signature(), lang)
    titles = {f.key: gettext(f.label, lang) for f in FIELDS}
    with st.form("wb_new_indicator"):
        st.caption(gettext("The indicator's catalogue entry, as the atlas shows it: titles, definition, unit, "
                           "source, licence and method in Turkish and English.", lang))
        values = {f.key: _field_widget(f, lang, choices) for f in FIELDS}
        submitted = st.form_submit_button(gettext("Check the entry", lang))
    if not submitted and not st.session_state.get(FORM_TOUCHED_KEY):
        return None
    st.session_state[FORM_TOUCHED_KEY] = True
    cur = get_connection(database_signature()).cursor()
    try:
        indicator, problems = entry_from_form(values, cur)
    finally:
        cur.close()
    for problem in problems:
        where = titles.get(problem.field)
        st.error(md_escape(f"{where}: {problem.get(lang)}" if where else problem.get(lang)))
    if indicator is not None:
        st.success(gettext("The entry is complete: {id}.", lang, id=md_escape(indicator.id)))
        with st.expander(gettext("The entry as TOML (for python -m atlas import --entry)", lang)):
            st.code(entry_toml(indicator), language="toml")
    return indicator


def indicator_step(lang: str) -> tuple[Indicator | None, str | None, bool]:
    """(new entry, chosen imported indicator id, ready): which indicator the values belong to."""
    st.subheader(gettext("3. Which indicator?", lang))
    imported = _imported(database_signature())
    choices = (["existing"] if imported else []) + ["new"]
    which = st.radio(gettext("The file's indicator", lang), choices, horizontal=True, key="wb_which",
                     format_func=lambda c: gettext("An indicator imported before", lang) if c == "existing"
                     else gettext("A new indicator", lang))
    if which == "existing":
        ids = sorted(imported)
        chosen = st.selectbox(gettext("Indicator", lang), ids, key="wb_indicator",
                              format_func=lambda i: f"{imported[i].title.get(lang)} ({i})")
        return None, chosen, True
    entry = entry_from_toml_upload(lang)
    if entry is None:
        entry = new_indicator_form(lang)
    return entry, None, entry is not None


def entry_from_toml_upload(lang: str) -> Indicator | None:
    """A new indicator's entry from an uploaded TOML (the file ``python -m atlas import --entry`` takes),
    checked by the catalogue's rules; None when no file is given or it has a problem (shown)."""
    import tempfile
    from pathlib import Path

    from atlas.errors import CatalogueError
    from atlas.importing.entry import load_entry

    file = st.file_uploader(gettext("Already have the entry as a TOML file? Upload it instead of filling in the "
                                    "form", lang), type=["toml"], key="wb_entry_toml")
    if file is None:
        return None
    if file.size > ENTRY_MAX_BYTES:
        st.error(gettext("The entry file is {size}; an entry is at most {limit}.", lang, size=mebibytes(file.size),
                         limit=mebibytes(ENTRY_MAX_BYTES)))
        return None
    with tempfile.TemporaryDirectory(prefix="atlas-entry-") as folder:
        path = Path(folder) / "entry.toml"
        path.write_bytes(file.getvalue())
        cur = get_connection(database_signature()).cursor()
        try:
            entry = load_entry(cur, path)
        except CatalogueError as exc:
            st.error(gettext("The entry file has a problem: {problem}", lang, problem=md_escape(exc.in_language(lang))))
            return None
        finally:
            cur.close()
    st.success(gettext("The entry is complete: {id}.", lang, id=md_escape(entry.id)))
    return entry


def layer_step(lang: str) -> tuple[str | None, str | None, str | None]:
    """(layer id, entry TOML of a new layer, CRS or None) for a point file."""
    from atlas.importing.points import SUPPORTED

    st.subheader(gettext("3. Which point layer?", lang))
    try:
        origins = query("list_point_layer_origins")
        layers = sorted(str(r.layer_id) for r in origins.itertuples(index=False) if str(r.origin) == "import")
    except (MissingDataError, QueryError):
        layers = []
    layer_id = st.text_input(gettext("Layer id (letters, digits and _; e.g. pharmacies)", lang), key="wb_layer",
                             value=layers[0] if layers else "", max_chars=64).strip() or None
    if layers:
        st.caption(gettext("Layers imported before: {ids}", lang, ids=md_escape(", ".join(layers))))
    entry_file = st.file_uploader(gettext("The layer's entry (TOML; needed for a new layer)", lang), type=["toml"],
                                  key="wb_layer_entry")
    entry_text = None
    if entry_file is not None and entry_file.size > ENTRY_MAX_BYTES:
        st.error(gettext("The entry file is {size}; an entry is at most {limit}.", lang, size=mebibytes(entry_file.size),
                         limit=mebibytes(ENTRY_MAX_BYTES)))
    elif entry_file is not None:
        try:
            entry_text = entry_file.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            st.error(gettext("The entry file is not UTF-8 text.", lang))
    names = {info.code: f"{info.code} ({info.name})" for info in SUPPORTED}
    crs = st.selectbox(gettext("Coordinate system", lang), ["auto", *names], key="wb_crs",
                       format_func=lambda c: gettext("Detect from the numbers", lang) if c == "auto" else names[c])
    return layer_id, entry_text, None if crs == "auto" else crs


# --- 4. check and stage ----------------------------------------------------------------------


def current_staged(fingerprint: str | None):
    """The session's staged upload when it was made from ``fingerprint``; otherwise it is discarded."""
    from atlas.workbench.stage import discard

    held = st.session_state.get(STAGED_KEY)
    if held is not None and held[0] != fingerprint:
        discard(held[1])
        st.session_state.pop(STAGED_KEY, None)
        return None
    return held[1] if held is not None else None


def _stage(upload: Upload, user: str):
    from atlas.workbench import stage

    if upload.kind == "points":
        return stage.stage_points(upload.data, upload.file_name, upload.layer_id or "", upload.layer_entry, target(),
                                  user=user, crs=upload.crs)
    staged = stage.stage_import(upload.data, upload.file_name, upload.entry, target(), user=user)
    if upload.expected_id is not None and staged.report.indicator_id != upload.expected_id:
        stage.discard(staged)
        raise ImportRejected(upload.file_name, [lazy.gettext(
            "the file's indicator_id is {found}, but you chose {chosen}; choose the file's indicator or fix the file",
            found=staged.report.indicator_id[:40], chosen=upload.expected_id)])
    return staged


def check_and_stage(upload: Upload, lang: str):
    """Check the upload and stage it; the Staged, or None with the problems kept for ``problems_step``."""
    user = gate.require_user()
    # DuckDB hands this process the instance it already has open for the served path: reopen the app's
    # connection on the file served now, so the check and the comparison read that file, not an older one
    try:
        get_connection(database_signature())
    except MissingDataError as exc:
        st.session_state[ERROR_KEY] = exc.in_language(lang)
        return None
    current_staged(None)  # any earlier staging of this session goes
    st.session_state.pop(PROBLEMS_KEY, None)
    st.session_state.pop(PUBLISHED_KEY, None)
    try:
        staged = _stage(upload, user)
    except ImportRejected as exc:
        st.session_state[PROBLEMS_KEY] = (upload.fingerprint(), upload.file_name, exc)
        return None
    except WorkbenchError as exc:  # no served database to copy, or one being written
        st.session_state[ERROR_KEY] = exc.in_language(lang)
        return None
    st.session_state[STAGED_KEY] = (upload.fingerprint(), staged)
    return staged


def _signed_in_only(action, *args) -> None:
    """A button's action; when the gate says nobody is signed in any more, nothing happens but a notice."""
    lang = args[-1]
    try:
        action(*args)
    except PermissionError:
        st.session_state[ERROR_KEY] = gettext("You are not signed in as an editor any more; nothing was changed. "
                                              "Sign in again.", lang)


def _error_notice() -> None:
    message = st.session_state.pop(ERROR_KEY, None)
    if message:
        st.error(md_escape(message))


def problems_step(upload: Upload | None, lang: str) -> bool:
    """Show the problems of the last check of this upload; True when there are any."""
    held = st.session_state.get(PROBLEMS_KEY)
    if held is None or upload is None or held[0] != upload.fingerprint():
        return False
    _, file_name, rejected = held
    from atlas.workbench.report import problems_csv, problems_table

    df = problems_table(rejected, lang)
    st.error(ngettext("The file was not accepted: {n} problem. Nothing was staged or published. Fix it and "
                      "upload the file again.",
                      "The file was not accepted: {n} problems. Nothing was staged or published. Fix them and "
                      "upload the file again.", len(df), lang))
    st.dataframe(df, hide_index=True, placeholder="—")
    st.download_button(gettext("Download the problems (CSV)", lang), problems_csv(df),
                       file_name="problems.csv", mime="text/csv", key="wb_problems_csv", on_click="ignore")
    return True


def check_step(upload: Upload | None, lang: str):
    """Step 4: the check button, the problems, or the staged upload (returned)."""
    st.subheader(gettext("4. Check the file", lang))
    if upload is None:
        st.caption(gettext("Upload a file (and choose its indicator) to check it.", lang))
        return None
    # callbacks run before the script, so a click is never lost to a rerun
    st.button(gettext("Check and preview", lang), key="wb_check", type="primary", on_click=_signed_in_only,
              args=(check_and_stage, upload, lang))
    staged = current_staged(upload.fingerprint())
    _error_notice()
    if problems_step(upload, lang):
        return None
    if staged is not None:
        if staged.kind == "points":
            n = int(staged.report.points)
            text = ngettext("No problems found: {n} point in {file}. Look at the preview below, then publish.",
                            "No problems found: {n} points in {file}. Look at the preview below, then publish.",
                            n, lang, file=md_escape(upload.file_name))
        else:
            n = int(staged.report.rows)
            text = ngettext("No problems found: {n} value in {file}. Look at the preview below, then publish.",
                            "No problems found: {n} values in {file}. Look at the preview below, then publish.",
                            n, lang, file=md_escape(upload.file_name))
        st.success(text)
        notes = list(getattr(staged.report, "warnings", ()) or getattr(staged.report, "notes", ()))
        if notes:  # the importer's notes (what it computed, what it replaced); written in English by the importer
            with st.expander(ngettext("{n} note of the import", "{n} notes of the import", len(notes), lang)):
                for note in notes:
                    text = note.get(lang) if hasattr(note, "get") and not isinstance(note, str) else str(note)
                    st.caption(md_escape(text))
    return staged


# --- 6. publish --------------------------------------------------------------------------------


def publish_now(staged, upload: Upload | None, lang: str):
    """Publish ``staged`` as the signed-in editor (the gate is checked again first: PermissionError
    when nobody is signed in). On StaleData the upload is staged again and None returned."""
    from atlas.workbench.stage import publish_staged
    from atlas.workbench.versions import StaleData

    user = gate.require_user()
    try:
        version = publish_staged(staged, user=user)
    except WorkbenchError as exc:
        if not isinstance(exc, StaleData):
            st.session_state.pop(STAGED_KEY, None)
            st.session_state[ERROR_KEY] = exc.in_language(lang)
            return None
        st.session_state.pop(STAGED_KEY, None)
        st.session_state[NOTICE_KEY] = "stale"
        if upload is not None:
            check_and_stage(upload, lang)
        return None
    st.session_state.pop(STAGED_KEY, None)
    st.session_state[PUBLISHED_KEY] = version.version_id
    clear_caches()  # this session's next run reads the new file (the others notice the new signature)
    return version


def publish_step(staged, upload: Upload | None, lang: str) -> None:
    st.subheader(gettext("6. Publish", lang))
    _error_notice()
    if st.session_state.pop(NOTICE_KEY, None) == "stale":
        st.warning(gettext("The data changed since your preview (someone else published). Your file was checked "
                           "again against the new data: look at the preview again, then publish.", lang))
    published = st.session_state.get(PUBLISHED_KEY)
    if staged is None:
        if published:
            st.success(gettext("Published as version {version}. Every open page shows it on its next rerun.", lang,
                               version=md_escape(published)))
        else:
            st.caption(gettext("Check a file without problems to publish it.", lang))
        return
    st.caption(gettext("Publishing replaces the served data in one step; the previous version is kept and can be "
                       "restored from the history below.", lang))
    st.button(gettext("Publish", lang), key="wb_publish", type="primary", on_click=_signed_in_only,
              args=(publish_now, staged, upload, lang))


def chosen_upload(lang: str) -> Upload | None:
    """Steps 2 and 3: the upload with what it is for, or None until the file and the choice are complete."""
    kind, file = upload_step(lang)
    if kind == "points":
        layer_id, layer_entry, crs = layer_step(lang)
        if file is None or layer_id is None:
            return None
        return Upload("points", file.name, file.getvalue(), layer_id=layer_id, layer_entry=layer_entry, crs=crs)
    entry, expected, ready = indicator_step(lang)
    if file is None or not ready:
        return None
    return Upload("values", file.name, file.getvalue(), entry=entry, expected_id=expected)
