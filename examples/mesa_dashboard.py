"""normsim in Mesa's own dashboard (SolaraViz): controls from the schema, compliance week by week.

    pip install "normsim[mesa-viz]"          # 'make run' has installed it in .venv already
    solara run examples/mesa_dashboard.py --host 127.0.0.1

then open the address it prints. Pick the conditions in the sidebar, press Reset, then Play or
Step. ``normsim app`` is the workshop app made for audiences; this page is Mesa's generic
dashboard, for modellers who know it. As in Mesa's own examples, the model is created when the
page module loads, so every browser tab shares it.
"""

import solara.server.settings

from mesa.visualization import SolaraViz, make_plot_component

from normsim import NormDiffusionModel
from normsim.settings.ranges import mesa_user_params

solara.server.settings.telemetry.mixpanel_enable = False  # Solara reports usage unless told not to

#: the conditions offered in the sidebar (any name 'normsim parameters' lists will do), with a
#: narrower range where the schema's would make a useless slider
CONTROLS = [
    "group_age_weeks", "group_people_war", "group_contrary_practice", "group_centralisation",
    ("group_fighters", 50, 2000), "dialogue_principled", "dialogue_politicisation",
    ("dialogue_contact_interval", 1, 26), "dialogue_practical_first",
    "environment_conflict_intensity",
]
model_params = mesa_user_params(CONTROLS)
model = NormDiffusionModel(rng=1, **{name: control["value"] for name, control in model_params.items()})

page = SolaraViz(
    model,
    components=[make_plot_component("compliance_rate"),              # a model reporter of normsim
                make_plot_component(["trust", "doctrine", "acceptance_fighters"])],
    model_params=model_params,
    name="normsim: humanitarian norms and armed groups",
)
page  # noqa: B018  (solara run shows the module's 'page')
