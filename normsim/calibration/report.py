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
    lines += ["## Provenance", "",
              "To check these outputs without rerunning the calibration, simulate saved particles "
              "of each generation again with their recorded seeds: `normsim calibrate FILE --out "
              "FOLDER --check 3` (FILE the calibration file, FOLDER this report's) says whether "
              "their distances are the saved ones to the last bit.", "",
              "```json", json.dumps(meta, indent=2, default=str), "```", ""]
    return "\n".join(lines)


def selection_section(spec, table: pd.DataFrame, sens: pd.DataFrame, observed: dict,
                      narrower: pd.DataFrame | None = None) -> list[str]:
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
        "`monte_carlo_se`: the SMC's own sampling error of each probability (over the weighted "
        "particles' effective size); a variant with no particle left is improbable at that "
        "resolution, not ruled out.", "",
        "How the answer moves with the model prior (exact: a variant's ABC likelihood does not "
        "depend on the model prior, so the probabilities are reweighted, not rerun). A Bayes "
        "factor near 1 means the record does not discriminate.", "",
        _table(sens), ""]
    if narrower is not None and not narrower.empty:
        lines += ["How it moves with a sampled parameter's prior: had the prior of a parameter "
                  "that a variant switches off been only the lower or upper half of its range "
                  "(reweighted, not rerun; a wider prior would need a rerun, and a prior that "
                  "already spans the parameter's declared range cannot be widened). A feature "
                  "whose evidence swings with its parameter's prior is not established by the "
                  "record (Lindley's paradox: a wide prior on an extra parameter favours the "
                  "model without it).", "", _table(narrower), ""]
    return lines


def transfer_section(spec, table: pd.DataFrame) -> list[str]:
    """Transfer: later deeds' first signatures predicted from the posterior, hits and misses."""
    hits = int(table["first_date_hit"].sum() + table["count_hit"].sum())
    proxies = table.loc[table["model_norm"].str.endswith("(proxy)"), "deed"].tolist()
    return [
        "## Transfer: the first signatures of later deeds, predicted, not refitted", "",
        f"The same {spec.predictive.draws} posterior draws as the forecast run the scenario with "
        "one more deed engager offering the later deed's norm from its launch "
        "(`normsim.calibration.transfer`): rates, capacity (the new engager gets the mine deed's) "
        "and population from the draw; the launch date is the question's premise; the norm's "
        "settings are the model's defaults (sources in docs/ODD.md). The observed first "
        "signature is read only to score. A hit: the observed value inside the draws' central 90%.",
        "", _table(table), "",
        f"{hits} hit(s) of {2 * len(table)} predictions." + (
            f" Proxies ({', '.join(proxies)}): the model has no such norm; the nearest one is run "
            "and its prediction is about the engager's dynamics, not the norm." if proxies else ""),
        "",
        "In the model a new deed's engager starts with no trust, whoever signed the mine deed; in "
        "the record the first signatories of the sexual-violence deed had mostly signed the mine "
        "deed before (the last columns): the model has no organisation-wide trust carried from "
        "one deed to the next.",
        "UN action plans are not predicted: the mine-ban fit calibrates nothing of a peace "
        "operation (its incentives, pressure and capacity are assumptions), so a prediction "
        "would test the assumptions, not the calibration; data/signing_events.csv holds 9 "
        "action plans with armed groups (2008-2019) and 1 delisting for when one is calibrated.",
    ]


def conduct_section(spec, table: pd.DataFrame, verdict: str) -> list[str]:
    """Conduct as a held-out pattern: the signatories' conduct beside the record's words."""
    t = table.set_index("measure")
    first, later = t.loc["violation_rate_first_year", "mean"], t.loc["violation_rate_later", "mean"]
    uncommitted = t.loc["violation_rate_uncommitted", "mean"]
    fitted = spec.conduct.fitted
    how = (f"a fitted summary statistic (weight {spec.conduct.weight:g}: a simulation's distance "
           "joins the counts' with how far its complying share falls short of the majority)"
           if fitted else "a held-out pattern (not fitted)")
    return [
        f"## Conduct of the signatories: {how}", "",
        "The record (to the cutoff): signatories \"by and large complied\" (Geneva Call, "
        "Progress Report 2000-2007); \"all signatories to the deeds of commitment have met their "
        "monitoring obligations\" (seed 001). Read, before measuring, as: a signatory complies "
        f"when its compliance at occasions while committed is at least "
        f"{spec.conduct.complying_threshold:g}; \"by and large\" means more than "
        f"{spec.conduct.majority:g} of the signatories do. Measured on the "
        f"{spec.predictive.draws} posterior draws run to the cutoff "
        "(`normsim.calibration.conduct`): mean over draws with its 95% interval, and the draws' "
        "5-95% range.", "", _table(table), "",
        f"**Verdict:** {verdict}.", "",
        "Which mechanism produces it: the signature is the top commander's decision "
        "(`rules/leadership.py`); only with `leadership.commitment_orders` switched on (off by "
        "default) does it order the chain of command to comply while it stands (a unit's "
        "log-odds of violating then fall by `fighters.order_effect` times the chain's "
        "transmission). Beyond any order a mine is laid or not by each tactical commander "
        "(`rules/policies.py`), who weighs the norm's military cost against his own acceptance "
        "and knowledge and the norm's sanctions and equipment factors, which rise only as the "
        "integration cycle (doctrine, training, sanctions, equipment) moves after signature. "
        "Measured here: signatories violate at "
        f"{first:.2f} of their occasions in their first year after signing and {later:.2f} "
        f"after it, against {uncommitted:.2f} among groups not committed. Lapses come when a new top "
        "commander does not stand by the commitment (the `lapses_at_succession` share). No "
        "default was tuned to this check." + (
            " Because the file fits it, agreement here is what the fit was asked for, not a "
            "test: it says which parameter values the record's words on conduct allow."
            if fitted else ""),
        "Monitoring obligations: not represented. A deed's engager monitors every signatory and "
        "no signatory can refuse, so the model meets \"all signatories have met their monitoring "
        "obligations\" by construction; `reported_share` is the share the engager reported for "
        "a violation, which the record does not count.",
    ]
