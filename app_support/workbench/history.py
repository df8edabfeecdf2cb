"""The version history of the data workbench and its restore button (issue #18).

``show_history(lang, user)`` draws the published versions (newest first: when, who, the file, its
checksum, what changed, whether its file is still kept) and, for a signed-in editor, one step to
restore an earlier kept version: choose it (``wb_restore_version``), press ``wb_restore``, then
confirm (``wb_restore_confirm``) or cancel (``wb_restore_cancel``). The gate is asked again right
before the restore (``gate.require_user``): a session that only claims a user restores nothing.
The restore is refused when the data changed after the list was drawn (``versions.StaleData``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import atlas.config
from atlas.errors import WorkbenchError
from atlas.i18n import gettext, ngettext, pgettext
from atlas.workbench import versions

from ..chrome.page import md_escape
from . import gate

CONFIRM_KEY = "_wb_restore_pending"  # {"version": id, "token": served token when it was chosen}
DONE_KEY = "_wb_restore_done"  # (restored id, new id) shown once after the rerun
SELECT_KEY = "wb_restore_version"
IZMIR = ZoneInfo("Europe/Istanbul")


def local_time(published_at: str) -> str:
    """``2026-12-03T05:40:00Z`` as İzmir's time, ``2026-12-03 08:40``; the text itself when it is not ISO."""
    try:
        moment = datetime.strptime(published_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=ZoneInfo("UTC"))
    except ValueError:
        return published_at[:40]
    return moment.astimezone(IZMIR).strftime("%Y-%m-%d %H:%M")


def action_label(action: str, lang: str) -> str:
    if action == "publish":
        return pgettext("version action", "published", lang)
    if action == "rollback":
        return pgettext("version action", "restored", lang)
    if action == "initial":
        return pgettext("version action", "starting point", lang)
    return action[:40]


def _count(summary: dict, key: str) -> int | None:
    value = summary.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def changes_text(version: versions.Version, lang: str) -> str:
    """What a version changed, in words: the restored version, the counts of the diff summary
    (``atlas.workbench.diff.Diff.summary``: rows added/changed/removed, areas that lost a value, point
    layers, the indicators), a staged point layer, or the starting point."""
    changes = version.changes or {}
    if "restored" in changes:
        return gettext("version {version} again", lang, version=str(changes["restored"])[:40])
    if changes.get("outside_workbench"):
        return gettext("replaced outside the workbench (a build or a command-line import)", lang)
    if version.action == "initial":
        return gettext("the data served before the first publish", lang)
    parts = []
    summary = changes.get("rows") if isinstance(changes.get("rows"), dict) else changes  # diff.Diff.summary()
    added, changed, removed = (_count(summary, key) for key in ("added", "changed", "removed"))
    if added is not None:
        parts.append(ngettext("{n} value added", "{n} values added", added, lang))
    if changed is not None:
        parts.append(ngettext("{n} value changed", "{n} values changed", changed, lang))
    if removed is not None:
        parts.append(ngettext("{n} value removed", "{n} values removed", removed, lang))
    lost = _count(changes, "lost_count")
    if lost:
        parts.append(ngettext("{n} area lost a value", "{n} areas lost a value", lost, lang))
    for layer in changes.get("layers") or []:
        if isinstance(layer, dict) and layer.get("layer_id"):
            counts = {k: layer.get(k) if isinstance(layer.get(k), int) else 0 for k in ("added", "changed", "removed")}
            parts.append(gettext("point layer {layer}: {added} added, {changed} changed, {removed} removed", lang,
                                 layer=str(layer["layer_id"])[:40], **counts))
    points = changes.get("points")
    if isinstance(points, dict) and points.get("layer"):
        layer = str(points["layer"])[:40]
        n = points.get("points")
        parts.append(ngettext("point layer {layer}: {n} point", "point layer {layer}: {n} points", n, lang, layer=layer)
                     if isinstance(n, int) and not isinstance(n, bool)
                     else gettext("point layer {layer}", lang, layer=layer))
    ids = []
    for item in [*(changes.get("groups") or []), *(changes.get("indicators") or [])]:
        ident = item.get("indicator_id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident not in ids:
            ids.append(ident)
    if ids:
        names = ", ".join(i[:40] for i in ids[:3]) + (" …" if len(ids) > 3 else "")
        parts.append(ngettext("indicator: {names}", "indicators: {names}", len(ids), lang, names=names))
    return "; ".join(parts) if parts else "–"


def history_frame(history: list[versions.Version], kept: set[str], serving: str | None, lang: str) -> pd.DataFrame:
    """The history table in ``lang`` (text cells: Streamlit shows them literally)."""
    yes, no = pgettext("kept on disk", "yes", lang), pgettext("kept on disk", "no", lang)
    rows = [{
        gettext("Version", lang): v.version_id + (" ◀ " + gettext("served now", lang)
                                                  if v.version_id == serving else ""),
        gettext("When (İzmir time)", lang): local_time(v.published_at),
        gettext("Who", lang): v.user or "–",
        gettext("Action", lang): action_label(v.action, lang),
        gettext("File", lang): v.file_name,
        gettext("Checksum (SHA-256)", lang): v.sha256[:12] + "…",
        gettext("What changed", lang): changes_text(v, lang),
        gettext("Kept on disk", lang): yes if v.version_id in kept else no,
    } for v in history]
    return pd.DataFrame(rows)


def _served_id(history: list[versions.Version], token: str) -> str | None:
    return next((v.version_id for v in history if v.sha256 == token), None)


def show_history(lang: str, user: str | None) -> None:
    """The history table and, for a signed-in ``user``, the restore step (see the module docstring)."""
    target = atlas.config.db_path()
    st.subheader(gettext("Published versions", lang))
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(gettext("Version {restored} is served again (recorded as {version}); every visitor sees it "
                           "from their next click.", lang, restored=done[0], version=done[1]))
    try:
        if versions.needs_recovery(target):
            versions.recover(target)
        history = versions.history(target)
        kept = versions.kept_versions(target)
        keep = versions.keep_count()
    except WorkbenchError as exc:
        st.error(exc.in_language(lang))
        return
    if not history:
        st.info(gettext("Nothing has been published from the workbench yet. The first publish also keeps the data "
                        "served until then, so that it can be restored.", lang))
        return
    token = versions.served_token(target)
    serving = _served_id(history, token)
    st.dataframe(history_frame(history, kept, serving, lang), hide_index=True, width="stretch", placeholder="—")
    st.caption(ngettext("The last {n} version is kept on disk and can be restored; the history lists every version.",
                        "The last {n} versions are kept on disk and can be restored; the history lists every "
                        "version.", keep, lang))
    if user is None:
        st.info(gettext("Sign in as an editor to restore an earlier version.", lang))
        return
    _restore_step(lang, target, history, kept, serving, token)


def _restore_step(lang: str, target, history: list[versions.Version], kept: set[str], serving: str | None,
                  token: str) -> None:
    by_id = {v.version_id: v for v in history}
    choices = [v.version_id for v in history if v.version_id in kept and v.sha256 != token]
    if not choices:
        st.caption(gettext("No earlier version is kept that differs from the data served now.", lang))
        return

    def label(version_id: str) -> str:
        v = by_id[version_id]
        return f"{version_id} · {local_time(v.published_at)} · {v.user or '–'} · {v.file_name[:60]}"

    chosen = st.selectbox(gettext("Earlier version to restore", lang), choices, format_func=label, key=SELECT_KEY)
    if st.button(gettext("Restore this version…", lang), key="wb_restore"):
        st.session_state[CONFIRM_KEY] = {"version": chosen, "token": token}
    pending = st.session_state.get(CONFIRM_KEY)
    if not isinstance(pending, dict) or pending.get("version") not in by_id:
        return
    v = by_id[pending["version"]]
    if v.user:
        st.warning(gettext("Restore {version} ({file}, published {when} by {user})? Every visitor sees that data from "
                           "their next click. The data served now stays in the history and can be restored again.",
                           lang, version=v.version_id, file=md_escape(v.file_name[:80]),
                           when=local_time(v.published_at), user=md_escape(v.user)))
    else:  # a starting point: the data served before the first publish, or replaced outside the workbench
        st.warning(gettext("Restore {version} ({file}, the data served as of {when})? Every visitor sees that data "
                           "from their next click. The data served now stays in the history and can be restored again.",
                           lang, version=v.version_id, file=md_escape(v.file_name[:80]),
                           when=local_time(v.published_at)))
    yes, cancel = st.columns(2)
    if cancel.button(gettext("Cancel", lang), key="wb_restore_cancel"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.rerun()
    if yes.button(gettext("Yes, restore {version}", lang, version=v.version_id), key="wb_restore_confirm",
                  type="primary"):
        _restore(lang, target, v.version_id, pending.get("token"))


def _restore(lang: str, target, version_id: str, token: str | None) -> None:
    try:
        editor = gate.require_user()  # the gate again, right before the change
    except PermissionError:
        st.session_state.pop(CONFIRM_KEY, None)
        st.error(gettext("You are not signed in as an editor; nothing was restored.", lang))
        return
    try:
        with st.spinner(gettext("Restoring {version}: copying and checking the file…", lang, version=version_id)):
            new = versions.rollback(version_id, target=target, user=editor, expected_token=token)
    except versions.StaleData as exc:
        st.session_state.pop(CONFIRM_KEY, None)
        st.error(exc.in_language(lang))
        st.info(gettext("The list above shows the data served now; choose again.", lang))
        return
    except WorkbenchError as exc:
        st.session_state.pop(CONFIRM_KEY, None)
        st.error(exc.in_language(lang))
        return
    st.session_state.pop(CONFIRM_KEY, None)
    st.session_state[DONE_KEY] = (version_id, new.version_id)
    st.rerun()
