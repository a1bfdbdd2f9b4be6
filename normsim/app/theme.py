"""Sizes for a projector: large type, large buttons, a fixed control panel on the left."""

CSS = """
html, body, .v-application { font-size: 19px !important; }
.nm-app { display: flex; height: 100vh; overflow: hidden; background: #fafafa; }
.nm-panel { width: 470px; min-width: 470px; height: 100vh; overflow-y: auto; padding: 12px 14px;
            background: #ffffff; border-right: 2px solid #dddddd; }
.nm-main { flex: 1; height: 100vh; overflow-y: auto; padding: 10px 18px; }
.nm-title { font-size: 28px; font-weight: 700; line-height: 1.2; margin: 4px 0 8px 0; }
.nm-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 14px; margin-bottom: 8px; }
.nm-week { font-size: 32px; font-weight: 700; min-width: 6.6em; }
.nm-big { font-size: 24px; }
.nm-bar .v-btn { font-size: 21px !important; height: 52px !important; min-width: 120px !important;
                 text-transform: none !important; }
.nm-bar .v-btn-toggle .v-btn { min-width: 64px !important; }
.nm-card { background: #ffffff; border: 1px solid #d0d0d0; border-radius: 8px; padding: 8px 12px;
           margin-bottom: 12px; }
.nm-card-title { font-size: 22px; font-weight: 700; }
.nm-card-sub { font-size: 16px; color: #444444; margin-bottom: 4px; }
.nm-control { margin: 6px 0 2px 0; }
.nm-label { font-size: 17px; line-height: 1.25; }
.nm-label .nm-h { font-weight: 700; color: #0072B2; }
.nm-changed .nm-label { border-left: 6px solid #E69F00; padding-left: 6px; }
.nm-preset .nm-label { border-left: 6px solid #56B4E9; padding-left: 6px; }
.nm-row { display: flex; align-items: center; gap: 10px; }
.nm-row .v-input { margin-top: 0 !important; padding-top: 0 !important; }
.nm-value { font-size: 20px; font-weight: 700; min-width: 4.2em; text-align: right; }
.nm-desc { font-size: 16px; line-height: 1.35; color: #333333; }
.nm-stages { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 10px 0; }
.nm-stage { font-size: 17px; padding: 6px 12px; border-radius: 18px; border: 2px solid #999999;
            color: #555555; background: #ffffff; }
.nm-stage.nm-reached { background: #cfe6f5; border-color: #0072B2; color: #003a5c; }
.nm-stage.nm-current { background: #0072B2; border-color: #0072B2; color: #ffffff;
                      font-weight: 700; }
.nm-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.nm-grid img { width: 100%; height: auto; }
@media (max-width: 1699px) { .nm-app:not(.nm-wide) .nm-run-grid { grid-template-columns: 1fr; } }
@media (max-width: 1099px) { .nm-run-grid { grid-template-columns: 1fr; } }
.nm-bar .nm-compare-grid { grid-template-columns: 3fr 2fr; }
.nm-compare-grid .nm-story { max-height: 190px; font-size: 17px; }
.nm-compare-grid .nm-stage { font-size: 15px; padding: 4px 9px; }
.nm-toggle-panel { font-size: 17px !important; min-width: 0 !important; }
.nm-story { max-height: 330px; overflow-y: auto; font-size: 18px; line-height: 1.4; }
.nm-story div { padding: 3px 0; border-bottom: 1px solid #eeeeee; }
.nm-story div:first-child { font-weight: 700; }
.nm-error { color: #a33a00; font-size: 17px; font-weight: 600; }
.nm-left { color: #0072B2; } .nm-right { color: #b36b00; }
.v-select__selection, .v-list-item__title { font-size: 18px !important; }
.v-input--switch label, .v-label { font-size: 17px !important; }
"""
