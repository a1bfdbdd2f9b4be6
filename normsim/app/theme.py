"""Sizes for a projector: large type, one screen at 1280x720 with the settings drawer open.

Logical properties (``inline-start``, ``inline-end``) rather than left and right, so that a
right-to-left language (Arabic) mirrors the layout by itself.
"""

DRAWER = 360  # px: the settings drawer beside the stage (over it on narrower screens)

CSS = f"""
html, body, .v-application {{ font-size: 17px !important; }}
.nm-app {{ display: flex; height: 100vh; overflow: hidden; background: #fafafa; }}
.nm-drawer {{ width: {DRAWER}px; min-width: {DRAWER}px; height: 100vh; overflow-y: auto;
             padding: 6px 12px; background: #ffffff; border-inline-end: 2px solid #dddddd; }}
@media (max-width: 1199px) {{
  .nm-drawer {{ position: fixed; inset-block: 0; inset-inline-start: 0; z-index: 20;
               box-shadow: 0 0 24px rgba(0, 0, 0, 0.35); }}
}}
.nm-main {{ flex: 1; min-width: 0; height: 100vh; overflow-y: auto; padding: 4px 14px; }}
.nm-drawer-head {{ display: flex; align-items: center; justify-content: space-between; }}
.nm-title {{ font-size: 24px; font-weight: 700; margin: 2px 0; }}
.nm-head {{ display: flex; align-items: center; gap: 12px; }}
.nm-head .nm-tabs {{ flex: 1; min-width: 0; }}
.nm-head .v-tab {{ font-size: 18px !important; text-transform: none !important; }}
.nm-head .v-tabs-bar {{ height: 42px !important; }}
.nm-language {{ max-width: 150px; }}
.nm-bar {{ display: flex; flex-wrap: nowrap; align-items: center; gap: 10px; margin: 4px 0; }}
.nm-week {{ font-size: 25px; font-weight: 700; white-space: nowrap; min-width: 8.4em; }}
.nm-bar .v-btn:not(.v-btn-toggle .v-btn) {{ font-size: 19px !important; height: 46px !important;
  text-transform: none !important; }}
.nm-play {{ min-width: 104px !important; }}
.nm-bar .v-btn-toggle .v-btn {{ min-width: 44px !important; height: 46px !important;
  font-size: 18px !important; padding: 0 8px !important; }}
.nm-speed {{ max-width: 150px; }}
.nm-app .v-btn {{ text-transform: none !important; letter-spacing: normal !important; }}
.nm-hint {{ background: #fff6d5; border: 2px solid #E69F00; border-radius: 8px; padding: 4px 12px;
           font-size: 18px; margin-bottom: 6px; }}
.nm-card {{ background: #ffffff; border: 1px solid #d0d0d0; border-radius: 8px; padding: 6px 12px;
           margin-bottom: 8px; }}
.nm-card-title {{ font-size: 19px; font-weight: 700; margin: 0; }}
.nm-card-sub {{ font-size: 15px; color: #444444; }}
.nm-run {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px;
          align-items: start; }}
.nm-grid {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px;
           margin-top: 8px; }}
.nm-chart img {{ display: block; background: #ffffff; border: 1px solid #e0e0e0;
                border-radius: 6px; }}
.nm-readout {{ text-align: center; background: #0072B2; color: #ffffff; border-radius: 8px;
              padding: 2px 8px 6px 8px; margin-bottom: 8px; }}
.nm-readout-label {{ font-size: 17px; font-weight: 600; }}
.nm-readout-value {{ font-size: 52px; font-weight: 800; line-height: 1.05; }}
.nm-readout-sub {{ font-size: 14px; }}
.nm-ladder {{ list-style: none; padding: 0 !important; margin: 2px 0 0 0; columns: 2;
             column-gap: 8px; }}
.nm-stage {{ font-size: 15px; padding: 1px 8px; margin-bottom: 3px; border-radius: 12px;
            border: 2px solid #bbbbbb; color: #555555; break-inside: avoid; }}
.nm-stage.nm-reached {{ background: #cfe6f5; border-color: #0072B2; color: #003a5c; }}
.nm-stage.nm-current {{ background: #0072B2; border-color: #0072B2; color: #ffffff;
                       font-weight: 700; }}
.nm-stage.nm-lost {{ border-style: dashed; border-color: #D55E00; }}
.nm-norm {{ display: grid; grid-template-columns: 8.5em 1fr auto auto; align-items: center;
            gap: 6px; font-size: 15px; margin-top: 4px; }}
.nm-norm-name {{ font-weight: 700; line-height: 1.15; }}
.nm-segments {{ display: flex; gap: 2px; }}
.nm-segment {{ flex: 1; height: 14px; border: 2px solid #bbbbbb; border-radius: 3px; }}
.nm-segment.nm-reached {{ background: #cfe6f5; border-color: #0072B2; }}
.nm-segment.nm-current {{ background: #0072B2; border-color: #0072B2; }}
.nm-segment.nm-lost {{ border-style: dashed; border-color: #D55E00; }}
.nm-norm-stage {{ white-space: nowrap; }}
.nm-norm-now {{ font-weight: 700; min-width: 3em; text-align: end; }}
.nm-crowd .nm-stage {{ font-size: 14px; }}
.nm-engagers {{ border-bottom: 1px solid #e0e0e0; padding-bottom: 6px; margin-bottom: 4px; }}
.nm-engager-name {{ font-size: 15px; font-weight: 600; }}
.nm-kind-title {{ font-size: 16px; font-weight: 700; color: #0072B2; margin: 8px 0 0 0;
                 border-top: 1px solid #e0e0e0; padding-top: 4px; }}
.nm-engagers .v-input--checkbox {{ margin-top: 0 !important; }}
.nm-story-lines {{ max-height: 330px; overflow-y: auto; font-size: 16px; line-height: 1.35; }}
.nm-story-lines div {{ padding: 2px 0; border-bottom: 1px solid #eeeeee; }}
.nm-story-lines div:first-child {{ font-weight: 700; }}
.nm-story-lines {{ max-height: 150px; }}
.nm-exports {{ display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }}
.nm-exports .v-btn {{ text-transform: none !important; font-size: 15px !important; }}
.nm-keys {{ font-size: 14px; color: #444444; margin-top: 4px; }}
.nm-summary {{ border: 2px solid #009E73; }}
.nm-control {{ margin: 4px 0 0 0; }}
.nm-label {{ font-size: 15px; line-height: 1.25; }}
.nm-label .nm-h {{ font-weight: 700; color: #0072B2; }}
.nm-changed .nm-label {{ border-inline-start: 6px solid #E69F00; padding-inline-start: 6px; }}
.nm-preset .nm-label {{ border-inline-start: 6px solid #56B4E9; padding-inline-start: 6px; }}
.nm-pending .nm-label {{ text-decoration: underline dashed #D55E00; }}
.nm-row {{ display: flex; align-items: center; gap: 8px; }}
.nm-wrap {{ flex-wrap: wrap; }}
.nm-row .v-input {{ margin-top: 0 !important; padding-top: 0 !important; }}
.nm-value {{ font-size: 17px; font-weight: 700; min-width: 4em; text-align: end; }}
.nm-desc {{ font-size: 15px; line-height: 1.35; color: #333333; }}
.nm-apply {{ position: sticky; top: 0; z-index: 5; border: 2px solid #D55E00; }}
.nm-apply .v-btn {{ text-transform: none !important; }}
.nm-error {{ color: #a33a00; font-size: 16px; font-weight: 600; }}
.nm-compare-row {{ display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }}
.nm-compare-factor {{ flex: 1 1 320px; }}
.nm-compare-seeds {{ max-width: 150px; }}
.nm-compare-progress {{ font-size: 17px; font-weight: 600; }}
.nm-compare-run {{ text-transform: none !important; }}
.nm-left {{ color: #0072B2; }} .nm-right {{ color: #b36b00; }}
.v-select__selection, .v-list-item__title {{ font-size: 16px !important; }}
/* a preset's title in full (cut, "A deed of commi..." left the room guessing) */
.nm-preset-select .v-select__selection, .v-list-item__title {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; line-height: 1.25; }}
.nm-preset-select .v-select__selections {{ flex-wrap: wrap; }}
.nm-stage-title {{ font-size: 22px; font-weight: 700; margin: 2px 0 0 0; line-height: 1.2; }}
/* presenter mode: one chart, as wide as the screen's height allows, the readout beside it */
.nm-presenting .nm-run {{ grid-template-columns: minmax(0, 1fr) 300px; }}
.nm-presenting .nm-run-chart .nm-chart img {{ max-height: calc(100vh - 190px);
  object-fit: contain; }}
.nm-presenting .nm-stage-title {{ font-size: 26px; }}
.nm-veil {{ border: 3px dashed #0072B2; padding: 24px; font-size: 20px; }}
.nm-veil .nm-desc {{ font-size: 22px; }}
.nm-bar .nm-bar-extra .v-btn {{ font-size: 16px !important; height: 40px !important;
  min-width: 0 !important; padding: 0 10px !important; }}
.nm-clock-note {{ font-size: 15px; color: #444444; }}
/* printing: the stage alone, full length (the drawer was printed over the charts) */
@media print {{
  .nm-drawer, .nm-bar, .nm-head, .nm-exports, .nm-keys, .nm-hint, .nm-open-settings,
  .nm-clock-note {{ display: none !important; }}
  .nm-app, .nm-main {{ display: block; height: auto !important; overflow: visible !important; }}
  .nm-story-lines {{ max-height: none !important; overflow: visible !important; }}
  .nm-card, .nm-chart {{ break-inside: avoid; }}
  .nm-handout {{ display: block !important; margin-bottom: 8px; }}
  .nm-print, .nm-veil-toggle, .nm-chart-choice {{ display: none !important; }}
  .nm-grid .nm-chart img {{ max-width: 90%; }}
}}
.nm-handout {{ display: none; }}
.nm-handout-title {{ font-size: 22px; font-weight: 700; }}
.nm-print {{ font-size: 15px; display: block; margin-top: 4px; }}
"""
