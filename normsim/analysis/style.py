"""Words, colours and sizes shared by every figure: labels in words with units, a colour-blind-safe
palette (Okabe & Ito), and fonts large enough to read on a projector."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)  # figures are files unless a notebook chose a backend
import matplotlib.pyplot as plt  # noqa: E402

from normsim.events import markers  # noqa: E402
import normsim.simulation.model  # noqa: F401 - declares the model's event kinds

#: Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: series colours in the order they are used: the two series that matter most (the first two)
#: far apart in hue and lightness (blue, orange); yellow left out (faint on white)
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#000000", "#D55E00", "#56B4E9")
#: with the colours, a marker and a line style per series, so that a greyscale print tells them
#: apart too
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: (dotted is kept for the twins without engagement)
DASHES = ("-", "--", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (3, 1, 1, 1)),
          (0, (1, 1, 4, 1)))
MAX_SERIES = len(SERIES)  # more series than this: split into panels rather than repeat colours


def series_style(i: int) -> dict:
    """Colour, marker and line style of series ``i`` (i < :data:`MAX_SERIES`)."""
    return {"color": SERIES[i % MAX_SERIES], "marker": MARKERS[i % MAX_SERIES],
            "linestyle": DASHES[i % MAX_SERIES]}


def signed_text(value: float, digits: int = 2) -> str:
    """A signed number without a "-0.00": values that round to zero print as 0."""
    text = f"{value:+.{digits}f}"
    return f"{0:.{digits}f}" if float(text) == 0 else text

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
