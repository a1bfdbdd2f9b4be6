"""What a sweep found, in sentences generated from its estimates: the ranking of conditions on
the experiment's outcome with sizes and how sure they are, whether each declared expectation held
(``[[expect]]`` in the experiment file, :class:`normsim.sweeps.experiment.Expectation`), small-n
warnings, and a glossary of the words the report uses.

Every sentence is computed from the tables; nothing here is written for one experiment.
"""

from __future__ import annotations

import tomllib

import numpy as np

from normsim.analysis.comparisons import levels
from normsim.analysis.labels import condition_text, outcome_label, value_text, words
from normsim.analysis.results import Results
from normsim.analysis.summaries import bounded_ci, bounds_of, mean_ci
from normsim.sweeps.experiment import flat

SMALL_N = 10  # fewer runs per condition: intervals are wide, the report says so
TOP = 3  # conditions named in the ranking

GLOSSARY = {
    "compliance": "the share of a group's occasions (encounters with civilians in which the "
                  "norm applies) that respect the norm. A relative measure on the model's own "
                  "scale: its level depends on assumed rates of occasions and temptation, so "
                  "compare conditions with each other, not with observed rates.",
    "occasion": "one encounter of a fighter with civilians in which the norm could be broken.",
    "twin": "the same run (same seed, so the same luck) with every engager removed: the "
            "counterfactual against which the engagement effect is measured.",
    "engagement effect": "compliance minus the twin's, in percentage points: what engagement "
                         "changed, net of everything that happens anyway.",
    "while engaged / five years after": "the engagement effect averaged over the weeks the "
                                        "engager engaged the group, and over the fifth year "
                                        "after it left.",
    "threshold": "a compliance level (the experiment's `threshold`) used for 'weeks to "
                 "threshold' (the first week the 13-week mean reaches it) and for 'high' runs "
                 "in scenario discovery.",
    "score-card stage": "the ICRC-style stage of integration a group holds (0 no contact, 1 "
                        "contact, 2 dialogue, 3 commitment, 4 doctrine, 5 training and sanctions, "
                        "6 integrated); a group falls back when a stage's condition lapses (e.g. "
                        "trust after the engager leaves), so the stage held at the end and the "
                        "highest stage reached are reported apart.",
    "95% interval": "where the mean over runs lies, at 95% confidence, given the spread of the "
                    "runs; kept inside what the quantity can take (a share inside 0–1).",
    "replicate / run": "one simulation of one condition with its own seed; replicates of a "
                       "condition differ only in chance.",
}


def glossary() -> list[str]:
    return ["## Words used", ""] + [f"- **{k}**: {v}" for k, v in GLOSSARY.items()] + [""]


def main_outcome(res: Results) -> str:
    """The outcome the experiment declares (its ``[design] outcome``), else final compliance."""
    declared = res.manifest.get("outcome") or "final_compliance"
    ok = declared in res.outcomes and res.outcomes[declared].notna().any()
    return declared if ok else "final_compliance"


def _pp(column: str) -> bool:
    return bounds_of(column) in ((-1.0, 1.0), (0.0, 1.0))


def fmt(column: str, m: float, lo: float, hi: float, signed: bool | None = None) -> str:
    """A mean and interval in the outcome's unit: shares and differences of shares in
    percentage points or percent, weeks as whole weeks."""
    if not np.isfinite(m):
        return "not measured"
    signed = bounds_of(column) == (-1.0, 1.0) if signed is None else signed
    if _pp(column):
        k, unit = 100.0, (" points" if signed else "%")
        main = f"{m * k:+.1f}" if signed else f"{m * k:.1f}"
        main = main.replace("-0.0", "0.0").replace("+0.0", "0.0")
        ci = "" if not np.isfinite(lo) else f" [{lo * k:.1f}, {hi * k:.1f}]"
        return f"{main}{unit}{ci}".replace("[-0.0", "[0.0").replace(", -0.0]", ", 0.0]")
    if column.startswith("weeks"):
        ci = "" if not np.isfinite(lo) else f" [{lo:.0f}, {hi:.0f}]"
        return f"{m:.0f} weeks{ci}"
    ci = "" if not np.isfinite(lo) else f" [{lo:.2f}, {hi:.2f}]"
    return f"{m:.2f}{ci}"


NAMED = ("scenario", "group_type")  # factors whose values say what they are: shown alone


def _where(res: Results, condition) -> str:
    row = res.conditions.loc[condition]
    named = [f for f in res.factors if f in NAMED]
    rest = [f for f in res.factors if f not in NAMED]
    parts = [value_text(f, row[f]) for f in named]
    if rest:
        parts.append(condition_text(rest, [row[f] for f in rest]))
    return " × ".join(parts)


def ranking(res: Results, column: str) -> list[str]:
    """Sentences: the conditions with the largest and smallest mean ``column``, whether the top
    one is ahead of the next beyond their intervals, and how many intervals exclude zero."""
    eff = res.effects
    if column not in eff or eff[column].notna().sum() == 0:
        return []
    ok = eff[eff[column].notna()].sort_values(column, ascending=False)
    lo, hi = f"{column}_ci_low", f"{column}_ci_high"
    name = outcome_label(column).split(" (")[0].split(":")[0]
    top = [f"{_where(res, c)}: {fmt(column, r[column], r[lo], r[hi])}"
           for c, r in ok.head(TOP).iterrows()]
    out = [f"**Ranking.** The largest {name} came with " + "; then ".join(top) + "."]
    if len(ok) > 1:
        first, second = ok.iloc[0], ok.iloc[1]
        if np.isfinite(first[lo]) and np.isfinite(second[hi]):
            apart = first[lo] > second[hi]
            out.append("The first is ahead of the second beyond both 95% intervals." if apart else
                       "The first two cannot be told apart: their 95% intervals overlap.")
        last = ok.iloc[-1]
        if len(ok) > TOP:
            out.append(f"The smallest: {_where(res, ok.index[-1])}: "
                       f"{fmt(column, last[column], last[lo], last[hi])}.")
    if bounds_of(column) == (-1.0, 1.0):
        above, below = (ok[lo] > 0).sum(), (ok[hi] < 0).sum()
        out.append(f"Its 95% interval lies above zero in {above} of {len(ok)} conditions and "
                   f"below zero in {below}; in the other {len(ok) - above - below} it includes "
                   "zero (no effect shown).")
    return out


def after_engagement(res: Results) -> list[str]:
    """A sentence on what remained five years after engagement ended."""
    col = "engagement_effect_after"
    eff = res.effects
    if col not in eff or eff[col].notna().sum() == 0:
        return []
    ok = eff[eff[col].notna()]
    kept = ok[ok[f"{col}_ci_low"] > 0]
    gone = ok[(ok["engagement_effect_during_ci_low"] > 0) & ~(ok[f"{col}_ci_low"] > 0)] \
        if "engagement_effect_during_ci_low" in ok else ok.iloc[:0]
    text = [f"**After engagement.** Five years after the engager left, a gain remained (95% "
            f"interval above zero) in {len(kept)} of {len(ok)} conditions"]
    if len(kept):
        text[0] += ": " + "; ".join(
            f"{_where(res, c)} ({fmt(col, r[col], r[col + '_ci_low'], r[col + '_ci_high'])})"
            for c, r in kept.sort_values(col, ascending=False).head(TOP).iterrows())
    text[0] += "."
    if len(gone):
        some = "" if len(gone) <= TOP else f", the first {TOP} of them"
        text.append(f"In {len(gone)} condition(s) a gain shown while engaged (interval above "
                    f"zero) is not shown five years later{some}: "
                    + "; ".join(_where(res, c) for c in gone.index[:TOP]) + ".")
    return text


def expectations(res: Results) -> list[tuple[str, str, str]]:
    """Each declared expectation: (what it says, the estimate, held / reversed / not shown).

    The estimate is the mean paired difference of the outcome between the highest and the
    lowest level of the factor, runs paired by replicate (same seed) and the other factors'
    levels, with its 95% t-interval."""
    try:
        data = tomllib.loads((res.out / "experiment.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    rows = []
    for e in data.get("expect", []):
        factor, column = flat(e["factor"]), e.get("outcome", "final_compliance")
        if factor not in res.factors or column not in res.outcomes:
            continue
        lv = levels(res.outcomes, factor)["level"]
        others = [f for f in res.factors if f != factor]
        keys = ["replicate", *others]
        low = res.outcomes[lv == lv.min()][[*keys, column]]
        high = res.outcomes[lv == lv.max()][[*keys, column]]
        pairs = low.merge(high, on=keys, suffixes=("_low", "_high"))
        diff = pairs[f"{column}_high"] - pairs[f"{column}_low"]
        m, lo, hi, n = mean_ci(diff)
        sign = 1 if e["direction"] == "rises" else -1
        if not np.isfinite(lo):
            verdict = "not testable (fewer than two pairs of runs)"
        elif sign * lo > 0 or sign * hi < 0:
            verdict = "held" if (sign * m) > 0 else "reversed"
        else:
            verdict = "not shown (the interval includes no difference)"
        first, last = (value_text(factor, v) for v in (res.outcomes.loc[lv == lv.min(), factor]
                                                      .iloc[0], res.outcomes.loc[
                                                          lv == lv.max(), factor].iloc[0]))
        estimate = (f"{outcome_label(column).split(' (')[0]} at {words(factor)} {last} minus at "
                    f"{first}: {fmt(column, m, lo, hi, signed=True)} ({n} paired runs)")
        rows.append((e.get("says", ""), estimate, verdict))
    return rows


def small_n(res: Results) -> list[str]:
    n = res.effects["replicates"]
    if n.min() >= SMALL_N:  # one condition with few runs has wide intervals
        return []
    runs = f"{n.min()}" if n.min() == n.max() else f"{n.min()} to {n.max()}"
    return [f"**Few runs.** {runs} runs per condition: intervals are wide, a "
            "ranking of conditions whose intervals overlap is not established, and a finding "
            "that a difference is 'not shown' is not evidence that there is none. Rerun with "
            f"more replicates (`normsim sweep ... --replicates {max(SMALL_N, 2 * n.max())}`)."]


def key_findings(res: Results) -> list[str]:
    """The report's opening section: the findings paragraph and the expectations table."""
    column = main_outcome(res)
    lines = ["## Key findings", ""]
    if res.design == "factorial":
        paras = [ranking(res, column), after_engagement(res)]
    else:
        paras = [_sampled(res, column)]
    paras.append(small_n(res))
    for para in paras:
        lines += [" ".join(para), ""] if para else []
    exp = expectations(res)
    if exp:
        lines += ["Expectations stated by the experiment, checked:", "",
                  "| expectation | estimate [95% CI] | verdict |", "|---|---|---|"]
        lines += [f"| {s} | {e} | **{v}** |" for s, e, v in exp] + [""]
    return lines


def _sampled(res: Results, column: str) -> list[str]:
    out = []
    per = res.outcomes[column].dropna()
    if len(per):
        q = per.quantile([0.05, 0.5, 0.95])
        out.append(f"Over the {len(per)} sampled runs, the median "
                   f"{outcome_label(column).split(' (')[0]} is {fmt(column, q[0.5], np.nan, np.nan)}"
                   f"; 90% of runs lie within {fmt(column, q[0.05], np.nan, np.nan)} to "
                   f"{fmt(column, q[0.95], np.nan, np.nan)}.")
    s = res.sensitivity
    if s is not None and len(s):
        main = "ST" if "ST" in s else "mu_star"
        s = s.sort_values(main, ascending=False)
        conf = f"{main}_conf"
        top = "; then ".join(f"{words(p)} ({main} {v:.2f} ± {c:.2f})" for p, v, c in
                             zip(s["parameter"].head(TOP), s[main].head(TOP), s[conf].head(TOP)))
        out.append(f"The outcome {s['outcome'].iloc[0].replace('_', ' ')} depends most on {top}.")
    return out


__all__ = ["key_findings", "glossary", "expectations", "ranking", "GLOSSARY", "main_outcome",
           "bounded_ci"]
