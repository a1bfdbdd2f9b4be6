"""A calibration's report: what was fitted and blind to what, the posterior, the fitted points'
PIT, and the model beside every declared baseline on every held-out date -- no selection."""

from __future__ import annotations

import json

import pandas as pd


def _table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v)
                                       for v in row) + " |")
    return "\n".join(lines)


def _fixed(spec) -> list[str]:
    out = []
    for key, v in spec.fixed.items():
        if isinstance(v, dict):
            out.append(f"- `{key}` = {v['value']!r}: {v['source']} (dated {v['dated']})")
        else:
            out.append(f"- `{key}` = {v!r}: no source given (an assumption)")
    return out or ["- none"]


def report(spec, summary, gens, fitted, held, pit, scores, meta, sections=()) -> str:
    """The report's markdown; ``sections`` are further sections (lists of lines) the file asked
    for (model selection, transfer, conduct), put before the provenance."""
    pressed = summary.loc[summary["pressed_against"] != "", "parameter"].tolist()
    unidentified = summary.loc[~summary["identified"], "parameter"].tolist()
    gen_table = pd.DataFrame([{"generation": g.attrs["t"], "epsilon": g.attrs["epsilon"],
                               "simulations": g.attrs["simulations"]} for g in gens])
    lines = [f"# {spec.title}", ""]
    if spec.question:
        lines += [f"> {' '.join(spec.question.split())}", ""]
    lines += [
        "## What was fitted, blind to what", "",
        f"Scenario `{spec.scenario}`, week 0 = start of {spec.start_year}. **Cutoff "
        f"{spec.cutoff}**: only rows of `{spec.data.file}` dated on or before it were read for "
        f"fitting ({len(fitted)} exact counts of {spec.data.norm}, {spec.data.pledge_type}); "
        f"{len(held)} later rows were read only after fitting, to score the forecast.", "",
        _table(fitted[["as_of", "count", "kind", "source"]]), "",
        f"ABC-SMC (deterministic, `normsim.calibration.smc`): {spec.abc.population_size} "
        f"particles, {spec.abc.replicates} simulations per particle with seeds from the root "
        f"seed ({spec.root_seed}) and the particle's position; distance: the mean over "
        "replicates of the Euclidean distance of simulated/observed counts at the fitted "
        "dates. Priors: uniform, declared in the file before it ran.", "",
        "Fixed settings:", "", *_fixed(spec), "",
        "## Posterior", "", _table(summary), "",
        ("Pressed against a prior bound (widen the prior and rerun, or report it as "
         f"unidentified): {', '.join(pressed)}." if pressed else
         "No posterior presses against a prior bound."),
        ("Not identified (the 90% interval spans half the prior range or more): "
         f"{', '.join(unidentified)}." if unidentified else
         "Every 90% interval spans less than half its prior range."), "",
        _table(gen_table), "",
        "## The fitted points under the posterior predictive (PIT)", "",
        f"{spec.predictive.draws} draws, each continuing one fitted simulation (same "
        "parameters, same seed) past the cutoff. PIT near 0.5 is a fitted point at the "
        "predictive median; outside 0.1-0.9 it is outside the central 80% band.", "",
        _table(pit), "", "![forecast](signatories.png)", "",
        "## Held-out scores: the model beside the declared baselines", "",
        "Every exact held-out count, scored with `scoringrules` (CRPS of the ensemble; interval "
        "score of the central 90% interval); lower is better. Baselines declared in the file, "
        "fitted to exactly the fitted rows above. Counts dated after the forecast's horizon "
        f"({spec.predict_until}) are not scored.", "",
    ]
    if scores.empty:
        lines += ["No exact held-out count: nothing to score.", ""]
    else:
        lines += [_table(scores), "", "Mean over the held-out dates:", ""]
        mean = scores.groupby("forecaster", sort=False)[["crps", "interval_score_90"]].mean()
        lines += [_table(mean.reset_index()), ""]
        best = mean.drop(index="model")["crps"].min() if len(mean) > 1 else float("nan")
        model = mean.loc["model", "crps"]
        if best == best:
            gain = 100 * (1 - model / best)
            lines += [f"Model mean CRPS {model:.3g}; best baseline {best:.3g}: the model's is "
                      + (f"{gain:.0f}% below it" if gain >= 0 else f"{-gain:.0f}% above it")
                      + ". The aim was at least 20% below; "
                      + ("met." if gain >= 20 else "**not met** -- a finding."), ""]
    lower = held[held["kind"] != "exact"]
    if not lower.empty:
        lines += ["Lower bounds held out (not scored; a bound is no count):", "",
                  _table(lower[["as_of", "count", "kind", "source"]]), ""]
    for section in sections:
        lines += [*section, ""]
    lines += ["## Provenance", "", "```json", json.dumps(meta, indent=2, default=str), "```", ""]
    return "\n".join(lines)


def selection_section(spec, table: pd.DataFrame, sens: pd.DataFrame, observed: dict) -> list[str]:
    """Model selection: the variants' posterior probabilities and how they move with the prior."""
    share = observed["share"]
    lines = [
        "## Model selection: which variants the record favours", "",
        "Deterministic ABC-SMC for model selection (`normsim.calibration.selection`; Toni et al. "
        "2009): each particle carries a variant, proposed from the previous generation's model "
        f"probabilities (kept with probability {spec.models.stay:g}). The distance joins the "
        "counts' distance with the gap in one statistic of the event list's structure "
        f"(`{spec.models.events}`, weight {spec.models.clustering_weight:g}): among pairs of "
        "signature decisions in the same country dated by the cutoff (a collective signing "
        f"counted once), the share made within {spec.models.window_months:g} months of each "
        f"other. The record by the cutoff: {observed['decisions']} decisions in "
        f"{observed['countries']} countries, {observed['same_country_pairs']} same-country "
        f"pair(s), {observed['within_window']} within the window"
        + (f" (share {share:.2f})." if share == share else
           ": no pair, so the selection sees the counts alone."), "",
        "What the event list cannot give: it names a quarter to two fifths of the signatories "
        "(data/README.md), so no count, order or gap between its rows is used; a share over "
        "pairs survives a random thinning of the signatories, but whether the list is a random "
        "sample is an assumption (ceremonies are more often announced). In the model only "
        "emulation links signatures in one country; in the record a collective ceremony (the "
        "engager's doing) does too, which is why a ceremony counts as one decision.", "",
        _table(table), "",
        "How the answer moves with the model prior (exact: a variant's ABC likelihood does not "
        "depend on the model prior, so the probabilities are reweighted, not rerun). A Bayes "
        "factor near 1 means the record does not discriminate.", "",
        _table(sens), ""]
    return lines
