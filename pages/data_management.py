"""Veri yönetimi / Data management (editors only): template → upload → check → preview → publish → history.

Registered only on an editor instance (``ATLAS_EDITOR=1``; ``atlas_app.py``). Nobody reaches the
upload before the gate (``app_support.workbench.gate``) names a signed-in editor.
"""

import streamlit as st

from app_support.chrome.page import current_lang, ensure_app_navigation, md_escape
from app_support.workbench import gate, preview, upload
from atlas.i18n import gettext

ensure_app_navigation()
if not gate.editor_instance():  # (never registered there; and never run even if a URL reached the file)
    st.stop()
lang = current_lang()
st.header(gettext("Data management", lang))

user = gate.gate(lang)
if user is None:
    st.stop()

left, right = st.columns([4, 1])
left.caption(gettext("Signed in as {user}.", lang, user=md_escape(user)))
if not gate.proxy_mode():
    right.button(gettext("Sign out", lang), key="wb_sign_out", on_click=gate.sign_out)

upload.template_step(lang)
choice = upload.chosen_upload(lang)  # steps 2 and 3
staged = upload.check_step(choice, lang)  # step 4
if staged is not None:
    st.subheader(gettext("5. Preview", lang))
    preview.show(staged, lang)
upload.publish_step(staged, choice, lang)  # step 6

from app_support.workbench.history import show_history  # noqa: E402 (helper "versions"; after the gate)

show_history(lang, gate.current_user())  # step 7: the versions, and restoring one
