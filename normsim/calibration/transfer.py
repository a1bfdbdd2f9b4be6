"""Transfer: the calibrated mine-ban posterior, not refitted, predicts the first signatures of
Geneva Call's later deeds (issue 18, item 6), and the report counts hits and misses.

The file's ``[transfer]`` section lists the deeds. For each, every posterior draw (the same
draws as the forecast: :func:`normsim.calibration.driver.draw_tasks`) runs the calibration's
scenario -- population, capacity and rates from the draw -- with one more norm in play and one
more deed engager offering it from the deed's launch. What sets each setting:

- the rates (persuasion, trust, emulation), the engager's capacity and the number of groups: the
  draw, fitted to the record up to the cutoff (the new deed's engager is given the mine deed's
  capacity: no source dated before the cutoff says how many groups Geneva Call would engage on a
  new deed);
- the launch date: the question's premise (data/README.md: the children deed launched in 2010,
  the sexual-violence deed in 2012; ``GC_DEEDS_PAGE``), not a fitted quantity;
- the norm's own settings: the model's defaults, each with its source in docs/ODD.md.

Nothing dated after the cutoff is read before the predictions are made; the observed first
signatures (``data/commitments_*.csv``: the first exact count of the deed, e.g. 2 groups on
2012-08-06; ``data/signing_events.csv``: who they were) are read only to score them.

The model has no sexual-violence norm. A deed on it is run on ``civilians`` -- the fighters'
conduct towards civilians, the nearest norm the model has -- and the report marks it a proxy.
A separate deed engager does not share the mine deed's trust: in the model a mine-ban signatory
has no head start with the new deed, where in the record the first signatories of the
sexual-violence deed were mostly mine-ban signatories. The report shows that share.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from normsim.calibration.record import period_end, read_events
from normsim.settings.data import decimal_year, read_counts


@dataclass(frozen=True)
class TransferTask:
    """One draw: the calibrated scenario with the new deed offered from ``launch_week``."""

    sim: object  # a normsim.calibration.driver.Simulator
    norm: str  # the model's norm of the new deed
    launch_week: int
    steps: int

    def scenario(self) -> dict:
        s = dict(self.sim.scenario)
        s["norms"] = [*s["norms"], self.norm] if self.norm not in s["norms"] else s["norms"]
        s["engager"] = [*s["engager"], {"kind": "deed", "norm": self.norm,
                                        "start_week": self.launch_week,
                                        "approach": "most_open", "name": f"{self.norm} deed"}]
        return s

    def __call__(self, task: dict) -> tuple[int, dict]:
        sim = replace(self.sim, scenario=self.scenario())
        model = sim.run(task["theta"], task["seed"], self.steps, task.get("overrides"))
        made = model.events()
        made = made[made["kind"] == "commitment made"]
        first_mines = made[made["norm"] == self.sim.norm].groupby("group")["step"].min()
        new = made[made["norm"] == self.norm].groupby("group")["step"].min().sort_values()
        out = {"first_week": float(new.iloc[0]) if len(new) else float("nan"),
               "weeks": new.to_numpy().tolist()}
        if len(new):
            firsts = new[new == new.iloc[0]].index
            before = [g in first_mines.index and first_mines[g] < new[g] for g in firsts]
            out["first_signers"] = len(firsts)
            out["first_signers_mine_signatories"] = float(np.mean(before))
        return task["index"], out


def observed(deed, spec) -> dict:
    """The record's first signature of ``deed``: its date and size (the first exact count in its
    counts file), and how many of the groups named then had signed the mine-ban deed before
    (from the event list; None when the list names them not)."""
    counts = read_counts(deed.data_file)
    rows = counts[(counts["norm"] == deed.data_norm) & (counts["pledge_type"] == "deed")
                  & (counts["kind"] == "exact") & (counts["unit"] == "groups")]
    rows = rows.assign(ends=rows["as_of"].map(period_end)).sort_values("ends")
    first = rows.iloc[0]
    events = read_events(spec.models.events if spec.models else "signing_events.csv")
    sig = events[(events["event"] == "signature") & (events["pledge_type"] == "deed")]
    firsts = sig[(sig["norm"] == deed.data_norm) & (sig["date"] == first["as_of"])]
    mines = sig[sig["norm"] == "landmines"]
    earlier = {same_group(g) for g in mines.loc[mines["ends"] < period_end(first["as_of"]), "group"]}
    before = [same_group(g) in earlier for g in firsts["group"]]
    return {"as_of": first["as_of"], "count": int(first["count"]), "source": first["source"],
            "week": int(round((decimal_year(first["as_of"]) - spec.start_year) * 52)),
            "named": len(firsts), "named_mine_signatories": int(sum(before))}


def same_group(name: str) -> str:
    """A group's name as the event list's rows may differ in spelling it: lower case, without
    an acronym in brackets, a leading "the" or punctuation ("Komalah - The Kurdistan
    Organization ..." and "Komalah - Kurdistan Organization ..." are one group)."""
    name = re.sub(r"\([^)]*\)", " ", str(name).lower())
    words = re.sub(r"[^a-z0-9]+", " ", name).split()
    return " ".join(w for w in words if w != "the")


def predict(deed, spec, sim, tasks, runner, tag) -> pd.DataFrame:
    """Per draw: the week of the deed's first signature, the signatories by the observed first
    signature's week and at the end of ``until``, and the share of the first signers that had
    signed the mine-ban deed before."""
    launch = spec.week_of(period_start(deed.launched))
    steps = spec.weeks(deed.until)
    rows = runner.map(TransferTask(sim, deed.norm, launch, steps), tasks, f"{tag}-transfer")
    return pd.DataFrame([{"draw": k, **{key: v for key, v in r.items() if key != "weeks"},
                          "weeks": r["weeks"]} for k, r in rows])


def period_start(text: str) -> dt.date:
    """The first day of the period a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date names."""
    end = period_end(text)
    parts = str(text).strip().split("-")
    return dt.date(end.year, 1 if len(parts) == 1 else end.month, 1 if len(parts) < 3 else end.day)


def score(deed, spec, draws: pd.DataFrame, obs: dict) -> dict:
    """The predictions beside the record: hit when the observed value lies in the draws' central
    90% (a draw with no signature by ``until`` counts as later than any date modelled)."""
    first = draws["first_week"].fillna(np.inf).to_numpy()
    by_obs = np.array([sum(w <= obs["week"] for w in ws) for ws in draws["weeks"]])
    lo_w, med_w, hi_w = np.quantile(first, [0.05, 0.5, 0.95], method="inverted_cdf")
    lo_c, med_c, hi_c = np.quantile(by_obs, [0.05, 0.5, 0.95], method="inverted_cdf")
    year = lambda w: "after " + str(deed.until) if not np.isfinite(w) else f"{spec.start_year + w / 52:.1f}"
    share = draws.get("first_signers_mine_signatories", pd.Series(dtype=float)).dropna()
    return {
        "deed": deed.name, "model_norm": deed.norm + (" (proxy)" if deed.proxy else ""),
        "launched": deed.launched, "observed_first": obs["as_of"],
        "predicted_first_median": year(med_w), "predicted_first_90": f"{year(lo_w)} - {year(hi_w)}",
        "no_signature_by_until": float(np.mean(~np.isfinite(first))),
        "first_date_hit": bool(lo_w <= obs["week"] <= hi_w),
        "observed_count_then": obs["count"], "predicted_count_then_median": float(med_c),
        "predicted_count_then_90": f"{lo_c:g} - {hi_c:g}",
        "count_hit": bool(lo_c <= obs["count"] <= hi_c),
        "observed_first_mine_signatories": (f"{obs['named_mine_signatories']} of {obs['named']} "
                                            "named" if obs["named"] else "not named"),
        "predicted_first_mine_signatory_share": float(share.mean()) if len(share) else float("nan"),
        "source": obs["source"]}
