"""The kiosk's look: no Streamlit chrome, large type, touch targets of at least 48 px, high contrast.

``PAGE_CSS`` goes into the page (``st.html`` with only a ``<style>``, which takes no space);
``MAP_CSS`` goes into the map's own iframe (bigger zoom buttons and tooltips).
Text is black or near-black on white (contrast ≥ 12:1); the accent (#0b4f4f on white, white on it)
is above 9:1.
"""

from __future__ import annotations

SENSOR_TITLE = "app_support.kiosk.sensor.kiosk_sensor"
ACCENT = "#0b4f4f"
TOUCH_PX = 64  # buttons; never below 48

PAGE_CSS = f"""<style>
html {{ font-size: 20px; }}
body, [data-testid="stApp"] {{ background: #ffffff; color: #000000;
  user-select: none; -webkit-user-select: none; overscroll-behavior: none; touch-action: manipulation; }}
/* no Streamlit chrome: header, toolbar, main menu, deploy button, status, sidebar, footer */
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
.stDeployButton, [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"], [data-testid="stElementToolbar"],
footer, #MainMenu {{ display: none !important; }}
/* no Streamlit dialogs ("Connection error" while the server restarts): the page says it quietly */
[data-testid="stDialog"], [data-baseweb="modal"], [role="dialog"] {{ display: none !important; }}
html[data-kiosk-offline="1"] .kiosk-title::after {{ content: "  · bağlantı bekleniyor / reconnecting…";
  font-size: 1.0rem; font-weight: 600; color: #6b5300; }}
[data-testid="stAppViewContainer"] > section, [data-testid="stMain"] {{ padding: 0 !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 10px 22px 0 22px !important; max-width: none !important; }}
/* no fading while the next story is prepared */
[data-stale="true"], .stale-element, [data-testid="stElementContainer"][data-stale="true"] {{
  opacity: 1 !important; transition: none !important; }}
/* the invisible sensor takes no room */
[data-testid="stElementContainer"]:has(iframe[title="{SENSOR_TITLE}"]),
.element-container:has(iframe[title="{SENSOR_TITLE}"]) {{
  position: absolute !important; width: 0 !important; height: 0 !important; overflow: hidden !important;
  margin: 0 !important; padding: 0 !important; }}
/* touch targets */
.stButton button, [data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] {{
  min-height: {TOUCH_PX}px; min-width: {TOUCH_PX}px; padding: 8px 18px; border-radius: 12px;
  font-size: 1.15rem; font-weight: 700; line-height: 1.2; width: 100%; }}
[data-testid="stBaseButton-secondary"] {{ background: #ffffff; color: #000000; border: 2px solid #000000; }}
[data-testid="stBaseButton-secondary"]:focus:not(:active), [data-testid="stBaseButton-secondary"]:hover {{
  background: #ffffff; color: #000000; border-color: #000000; }}
[data-testid="stBaseButton-secondary"]:active {{ background: #e0eded; }}
[data-testid="stBaseButton-primary"] {{ background: {ACCENT}; color: #ffffff; border: 2px solid {ACCENT}; }}
[data-testid="stBaseButton-primary"] p, [data-testid="stBaseButton-secondary"] p {{ font-size: 1.15rem;
  white-space: normal; overflow-wrap: anywhere; }}
[data-testid="stSelectbox"] label p {{ font-size: 1.1rem; font-weight: 700; color: #000000; }}
[data-testid="stSelectbox"] [data-baseweb="select"] > div {{ min-height: {TOUCH_PX}px; font-size: 1.15rem;
  border: 2px solid #000000; border-radius: 12px; }}
[data-testid="stSelectboxVirtualDropdown"] [role="option"] {{ font-size: 1.1rem; color: #000000; }}
/* the panels */
.kiosk-title {{ font-size: 2.0rem; font-weight: 800; line-height: 1.1; margin: 0; color: #000000; }}
.kiosk-subtitle {{ font-size: 1.0rem; color: #222222; margin-top: 4px; }}
.kiosk-story {{ border-left: 10px solid {ACCENT}; padding: 4px 0 4px 18px; margin-bottom: 8px; }}
.kiosk-kicker {{ font-size: 1.0rem; font-weight: 700; color: {ACCENT}; text-transform: uppercase;
  letter-spacing: .04em; }}
.kiosk-story-title {{ font-size: 2.1rem; font-weight: 800; line-height: 1.15; margin: 6px 0 10px 0; color: #000; }}
.kiosk-caption {{ font-size: 1.45rem; line-height: 1.4; margin: 0 0 10px 0; color: #000000; }}
.kiosk-progress {{ height: 10px; background: #d9d9d9; border-radius: 5px; overflow: hidden; margin: 8px 0 4px 0; }}
.kiosk-progress > span {{ display: block; height: 100%; width: 100%; background: {ACCENT};
  transform-origin: left center; animation-name: kiosk-progress; animation-timing-function: linear;
  animation-fill-mode: both; }}
@keyframes kiosk-progress {{ from {{ transform: scaleX(0); }} to {{ transform: scaleX(1); }} }}
.kiosk-panel .atlas-legend {{ font-size: 1.1rem !important; line-height: 1.5 !important; color: #000; }}
.kiosk-panel .atlas-legend div {{ font-size: 1.0rem !important; color: #222 !important; }}
.kiosk-panel .atlas-legend span {{ color: #222 !important; }}
.kiosk-source {{ font-size: 0.85rem; color: #222222; margin-top: 10px; line-height: 1.35; }}
.kiosk-invite {{ font-size: 1.3rem; font-weight: 700; color: #000; margin: 10px 0 6px 0; line-height: 1.35; }}
.kiosk-hint {{ font-size: 1.2rem; color: #000; margin: 4px 0 8px 0; line-height: 1.35; }}
.kiosk-note {{ font-size: 1.1rem; color: #000; background: #fff3cd; border: 2px solid #8a6d00; border-radius: 10px;
  padding: 8px 12px; margin: 6px 0; }}
.kiosk-card-head h2 {{ font-size: 2.2rem; font-weight: 800; margin: 0; line-height: 1.1; color: #000; }}
.kiosk-card-sub {{ font-size: 1.1rem; color: #222; margin: 4px 0 6px 0; }}
.kiosk-card-lead {{ font-size: 1.0rem; font-weight: 700; color: {ACCENT}; text-transform: uppercase;
  letter-spacing: .04em; margin: 6px 0; }}
.kiosk-row {{ border: 2px solid #000; border-left-width: 10px; border-radius: 10px; padding: 8px 12px;
  margin: 8px 0; background: #ffffff; }}
.kiosk-row.tone-better {{ border-left-color: #1a6e1a; }}
.kiosk-row.tone-worse {{ border-left-color: #b00020; }}
.kiosk-row.tone-none {{ border-color: #777777; }}
.kiosk-row-title {{ font-size: 1.05rem; font-weight: 700; color: #000; }}
.kiosk-row-title span {{ font-weight: 400; color: #333; }}
.kiosk-row-value {{ font-size: 1.7rem; font-weight: 800; color: #000; line-height: 1.2; }}
.kiosk-row-izmir {{ font-size: 1.05rem; font-weight: 600; color: #222; }}
.kiosk-row-sentence {{ font-size: 1.1rem; color: #000; line-height: 1.35; }}
.kiosk-row-rank {{ font-size: 0.95rem; color: #222; }}
.kiosk-gap {{ font-size: 1.0rem; color: #000; border: 2px dashed #777; border-radius: 10px; padding: 8px 12px;
  margin: 8px 0; line-height: 1.35; }}
.kiosk-card-note {{ font-size: 0.95rem; color: #222; margin-top: 6px; }}
.kiosk-footer {{ font-size: 0.8rem; color: #333; margin-top: 4px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.kiosk-list-title {{ font-size: 1.3rem; font-weight: 800; color: #000; margin: 12px 0 4px 0; }}
</style>"""

MAP_CSS = f"""<style>
.leaflet-control-zoom a {{ width: 56px !important; height: 56px !important; line-height: 56px !important;
  font-size: 30px !important; color: #000 !important; }}
.leaflet-touch .leaflet-bar {{ border: 2px solid #000 !important; }}
.atlas-tooltip {{ font-size: 18px !important; width: max-content !important; max-width: 420px !important; }}
.leaflet-container {{ background: #f3f3ef; }}
.leaflet-control-attribution {{ font-size: 12px; }}
</style>"""
