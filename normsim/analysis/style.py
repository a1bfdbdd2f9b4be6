"""Words, colours and sizes shared by every figure: labels in words with units, a colour-blind-safe
palette (Okabe & Ito), and fonts large enough to read on a projector."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)  # figures are files unless a notebook chose a backend
import matplotlib.pyplot as plt  # noqa: E402

from normsim.events import markers  # noqa: E402

#: Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

LABELS = {
    "step": "weeks",
    "compliance_rate": "share of occasions that respect the norm",
    "compliance_counterfactual": "the same run without engagement",
    "violations": "violations per week",
    "acceptance_fighters": "fighters' acceptance of IHL (0–1)",
    "knowledge_fighters": "fighters' knowledge of IHL (0–1)",
    "acceptance_strategic": "top commander's acceptance of IHL (0–1)",
    "doctrine": "doctrine", "training": "training", "equipment": "equipment",
    "sanctions": "internal sanctions",
    "trust": "engager–group trust (0–1)",
    "instruction": "instructions to comply for what it buys (0–1)",
    "internalised_fighters": "fighters' internalised gain (0–1)",
    "community_harm": "harm to communities (0–1)",
    "community_support": "community support for the group (0–1)",
    "stage": "score-card stage",
}

def __getattr__(name):
    """``MILESTONES``: events worth marking on a timeline, with a short label -- declared with
    each event kind (:func:`normsim.events.markers`), read when asked for so that every kind
    declared by then (engagers found as plug-ins included) is there."""
    if name == "MILESTONES":
        import normsim.simulation.model  # noqa: F401 - declares the model's event kinds
        return markers()
    raise AttributeError(name)


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def apply_style() -> None:
    plt.rcParams.update({
        "font.size": 12, "axes.titlesize": 14, "axes.labelsize": 12, "legend.fontsize": 10,
        "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
        "savefig.dpi": 150, "savefig.bbox": "tight", "axes.prop_cycle": plt.cycler(color=PALETTE),
    })
