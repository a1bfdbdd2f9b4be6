"""Who engages the group, and on which norms: the engagers of the run, to add or take away.

A card at the top of the engagers' settings: the scenario's engagers (one row each, with its
kind and, for a deed, its norm), a way to add one of any registered kind (a deed with the norm
it commits to), and the norms in play. Changing them changes what the run is made of, so at
week 0 the run starts again with them; later they wait for "restart with these settings". The
session (:meth:`~normsim.app.session.Session.add_engager` ...) checks them with the library.
"""

from __future__ import annotations

import solara

from normsim.engagers import KINDS
from normsim.rules.norms import NORMS

v = solara.v


def describe(t, table: dict) -> str:
    """One engager in words: its kind, and the norm of a deed or the norms it is limited to."""
    words = t.engager_kind(table["kind"])
    norms = [table["norm"]] if table.get("norm") else table.get("norms") or []
    if norms:
        words += " — " + t._("on {norms}").format(norms=", ".join(t.norm_name(n) for n in norms))
    return words


@solara.component
def EngagerEditor(t, session, on_change, version: int = 0):
    """The engagers of the draft, with buttons to remove each, a kind (and a deed's norm) to
    add, and the norms in play."""
    kind = solara.use_reactive(next(iter(KINDS)))
    deed_norm = solara.use_reactive(session.norms[0])
    with v.Html(tag="div", class_="nm-engagers", attributes={
            "role": "group", "aria-label": t._("Who engages the group")}):
        v.Html(tag="div", class_="nm-card-sub", children=[t._("Who engages the group")])
        if not session.engagers:
            v.Html(tag="div", class_="nm-desc nm-no-engager", children=[
                t._("No one: the group is left alone (the control).")])
        for i, table in enumerate(session.engagers):
            with v.Html(tag="div", class_=f"nm-row nm-engager nm-engager-{table['kind']}"):
                v.Html(tag="div", class_="nm-engager-name", style_="flex: 1",
                       children=[f"{i + 1}. {describe(t, table)}"])
                solara.Button(t._("Remove"), text=True, small=True,
                              on_click=lambda i=i: on_change(lambda: session.remove_engager(i)),
                              classes=[f"nm-remove-engager-{i}"],
                              attributes={"aria-label": t._("Remove engager {n}: {what}").format(
                                  n=i + 1, what=describe(t, table))})
        with v.Html(tag="div", class_="nm-row nm-wrap nm-add mt-3"):
            v.Select(items=[{"text": t.engager_kind(k), "value": k} for k in KINDS],
                     v_model=kind.value, on_v_model=kind.set, label=t._("Engager to add"),
                     hide_details=True, dense=True, class_="nm-add-kind",
                     style_="flex: 1 1 200px")
            if kind.value == "deed":
                v.Select(items=[{"text": t.norm_name(n), "value": n} for n in NORMS],
                         v_model=deed_norm.value, on_v_model=deed_norm.set,
                         label=t._("Norm of the deed"), hide_details=True, dense=True,
                         class_="nm-add-norm", style_="flex: 1 1 120px")
            solara.Button(t._("Add"), outlined=True, small=True, classes=["nm-add-engager"],
                          on_click=lambda: on_change(lambda: session.add_engager(
                              kind.value, deed_norm.value if kind.value == "deed" else None)))
        in_play = ", ".join(t.norm_name(n) for n in session.norms)
        v.Html(tag="div", class_="nm-card-sub mt-1 nm-norms-in-play", children=[
            t._("Norms in play (the first is the one reported): {norms}").format(norms=in_play)])
        with v.Html(tag="div", class_="nm-row nm-wrap"):
            for norm in NORMS:
                v.Checkbox(label=t.norm_name(norm), v_model=norm in session.norms,
                           on_v_model=lambda on, n=norm: on_change(
                               lambda: session.set_norm(n, bool(on))),
                           hide_details=True, dense=True, class_=f"nm-in-play-{norm} mr-3")
