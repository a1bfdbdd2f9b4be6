"""The event log in words: "Week 60: the top commander publicly committed ..."

The model writes each event's ``text`` in words when it happens; this module chooses which
events a reader needs and phrases them as a timeline (for the CLI summary, the workshop app and
reports).
"""

from __future__ import annotations

import pandas as pd

from normsim import events as declared


def key_events(events: pd.DataFrame, kinds=None, first_only=None) -> pd.DataFrame:
    """Events worth telling: the kinds declared ``key`` (:mod:`normsim.events`), the top
    commander's replacements only, and just the first of each group's routine (``first_only``)
    kinds."""
    kinds = declared.key_kinds() if kinds is None else kinds
    first_only = declared.first_only_kinds() if first_only is None else first_only
    ev = events[events["kind"].isin(kinds)]
    ev = ev[(ev["kind"] != "commander replaced") | (ev["detail"] == "strategic")]
    repeat = ev["kind"].isin(first_only) & ev.duplicated(["group", "kind", "norm"])
    return ev[~repeat]


def sentences(events: pd.DataFrame, many_groups: bool | None = None) -> list[str]:
    """One sentence per event: 'Week 12 (group 0): a practical problem ... was solved together.'"""
    if many_groups is None:
        many_groups = events["group"].nunique() > 1
    out = []
    for ev in events.itertuples(index=False):
        who = f" (group {ev.group})" if many_groups and ev.group >= 0 else ""
        out.append(f"Week {ev.step}{who}: {ev.text}.")
    return out


def milestones(events: pd.DataFrame, kinds=None) -> pd.DataFrame:
    """Events to mark on a timeline (:data:`normsim.analysis.style.MILESTONES` by default): the
    top commander's replacements only, and one of each kind and week."""
    if kinds is None:
        # deferred: style loads matplotlib; a story in words needs none
        from normsim.analysis.style import MILESTONES as kinds
    shown = events[events["kind"].isin(list(kinds))
                   & ~((events["kind"] == "commander replaced") & (events["detail"] != "strategic"))]
    return shown.drop_duplicates(["step", "kind"])
