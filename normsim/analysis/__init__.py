"""Analysis of model output: summaries, figures and reports (data flows one way into here).

    >>> from normsim.analysis import load, figure, write_report
    >>> res = load("results/h4")                 # every table of a sweep folder, in pandas
    >>> fig = figure(res, "effect")              # a matplotlib Figure; fig.savefig("h4.png")
    >>> write_report("results/h4", "results/h4/report")   # figures and report.md

Names are imported on first use, so importing one module (the single-run figure, the narrative)
stays light.
"""

from importlib import import_module

_LAZY = {"load": "results", "Results": "results", "figure": "report", "KINDS": "report",
         "relevant_kinds": "report", "write_report": "report", "save_plot": "report",
         "discover": "discovery", "rule_stats": "discovery"}


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(f"normsim.analysis.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'normsim.analysis' has no attribute {name!r}")


__all__ = list(_LAZY)
