"""Figures by name, and the report of a sweep: a folder of figures and a Markdown file.

``figure(results, kind, factors)`` draws one figure of :data:`KINDS`; ``relevant_kinds``
says which fit a sweep's design; ``write_report`` writes them all with the experiment's question,
its parameters, the tables of effects with confidence intervals, sensitivity indices, discovery
rules and provenance (what ``normsim report`` does); ``save_plot`` is ``normsim plot``.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from normsim.analysis import comparisons as C
from normsim.analysis import figures as F
from normsim.analysis.brief import plot_brief
from normsim.analysis import posterior, sources
from normsim.analysis.dictionary import write_table
from normsim.analysis.discovery import discover, plot_discovery
from normsim.analysis.findings import glossary, key_findings, main_outcome
from normsim.analysis.tables import effects_section, md_table, stages_section
from normsim.analysis.labels import factor_label, outcome_label, value_text, words
from normsim.analysis.results import Results, dotted, load
from normsim.analysis.style import MAX_SERIES
from normsim.analysis.setbacks import aligned_setbacks, plot_setbacks
from normsim.sweeps.experiment import flat
from normsim.sweeps.files import write_atomically, write_text_atomically
from normsim.settings.scenario import ScenarioError
from normsim.analysis.kinds import KINDS  # every figure, by the name --kind takes

FORMATS = ("png", "svg", "pdf")


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ScenarioError(f"--kind {kind!r} is not a figure; choose one of: {', '.join(KINDS)}.")
    return kind


def figure(res: Results, kind: str, factors=(), outcome: str | None = None) -> Figure:
    """The figure ``kind`` of a sweep; ``factors`` chooses the factors to show (dotted or flat
    names): the x axis and series of ``effect``, the two axes of ``heatmap``, the rules'
    factors of ``discovery``, the series of time figures (other factors pooled). ``outcome``:
    what ``effect`` and ``heatmap`` show (a per-run outcome; default final compliance for
    ``effect``, the experiment's outcome for ``heatmap``) or ``trajectories`` draws (a recorded
    column, e.g. trust; default compliance)."""
    check_kind(kind)
    if outcome is not None and kind not in ("effect", "heatmap", "trajectories"):
        raise ScenarioError(f"--outcome applies to --kind effect, heatmap or trajectories, not "
                            f"{kind}.")
    names = [res.factor(f) for f in factors]
    title = res.manifest["title"]
    if kind in ("trajectories", "integration", "harm"):
        many = (not names and res.design == "factorial" and len(res.factors) >= 2
                and len(res.conditions) > MAX_SERIES)
        if kind == "trajectories":
            column = _time_column(res, outcome)
            if many:  # one panel per level of the first factor, a line per level of the rest
                runs = res.with_series(res.runs, res.factors[1:]).assign(
                    panel=res.with_series(res.runs, res.factors[:1])["series"])
            else:
                runs = res.with_series(res.runs, names)
            return F.plot_trajectories(runs, column, threshold=res.threshold
                                       if column == "compliance_rate" else None, title=title)
        runs = res.with_series(res.runs, res.factors[:1] if many else names)
        if many:
            title += f" (pooled over {', '.join(words(f) for f in res.factors[1:])})"
        return (F.plot_integration if kind == "integration" else F.plot_harm)(runs, title=title)
    if kind == "stages":
        return F.plot_stages(res.with_series(res.records, names), title=title)
    if kind == "effect":
        if len(names) > 2:
            raise ScenarioError("--kind effect takes one or two --factor (the x axis, then one "
                                f"line per level of the second); got {len(names)}.")
        if not names and res.design != "factorial":
            return C.plot_effects_grid(res.outcomes, res.factors, title=title)
        x, *by = names or res.factors[:2]
        column = _run_outcome(res, outcome or "final_compliance")
        return C.plot_effect(res.outcomes, x, by[0] if by else None, res.threshold, title,
                             column=column)
    if kind == "engagement":
        if not _has_twin(res):
            raise ScenarioError(f"{res.out} has no twin runs without engagement (its experiment "
                                "set counterfactual = false): no engagement effect to draw.")
        if len(names) > 2:
            raise ScenarioError("--kind engagement takes one or two --factor; got "
                                f"{len(names)}.")
        chosen = names or res.factors[:2]
        if res.design == "factorial" and not any(res.is_continuous(f) for f in chosen):
            return plot_brief(res.outcomes, chosen, title)
        x, *by = chosen
        return C.plot_engagement(res.outcomes, x, by[0] if by else None, title)
    if kind == "heatmap":
        pair = names or top_factors(res, 2)
        if len(pair) != 2:
            raise ScenarioError(f"--kind heatmap needs two factors; {_which(res, names)}.")
        column = _run_outcome(res, outcome or main_outcome(res))
        return C.plot_heatmap(res.outcomes, pair[0], pair[1], column, title=title)
    if kind == "setbacks":
        aligned = aligned_setbacks(res.records, res.events, res.record_every)
        if aligned.empty:
            raise ScenarioError(f"no setback in {res.out}: no run recorded a setback in an "
                                "integration factor (is integration.setback_rate 0?).")
        pooled = " (every condition pooled)" if len(res.conditions) > 1 else ""
        return plot_setbacks(aligned, title + pooled)
    if kind == "sensitivity":
        return C.plot_sensitivity(_sensitivity(res), title)
    found = discover(res.outcomes, names or res.factors, res.threshold)
    return plot_discovery(found, res.outcomes, title)


def _run_outcome(res: Results, name: str) -> str:
    """``name`` if the sweep's runs have that outcome with values, else a clear error."""
    if name in res.outcomes and name not in res.factors and name not in ("condition",
                                                                          "replicate"):
        if res.outcomes[name].notna().any():
            return name
        raise ScenarioError(f"--outcome {name}: no run of {res.out} measured it (an engagement "
                            "effect needs twins; time to commitment a commitment).")
    known = ", ".join(c for c in res.outcomes.columns
                      if c not in ("condition", "replicate", *res.factors))
    raise ScenarioError(f"--outcome {name!r} is not an outcome of a run; choose one of: {known}.")


def _time_column(res: Results, name: str | None) -> str:
    """A recorded column to draw over time (default compliance)."""
    if name is None:
        return "compliance_rate"
    numeric = [c for c in res.runs.select_dtypes(["number", "bool"]).columns
               if c not in ("condition", "replicate", "step")]
    if name not in numeric:
        raise ScenarioError(f"--outcome {name!r} is not a recorded column to draw over time; "
                            f"choose one of: {', '.join(sorted(numeric))}.")
    return name


def _has_twin(res: Results) -> bool:
    return "engagement_effect" in res.outcomes and res.outcomes["engagement_effect"].notna().any()


def _which(res: Results, names) -> str:
    if names:
        return f"--factor was given {len(names)} time(s)"
    return f"this sweep varies {len(res.factors)}: {', '.join(words(f) for f in res.factors)}"


def _sensitivity(res: Results) -> pd.DataFrame:
    if res.design not in ("sobol", "morris"):
        raise ScenarioError(f"--kind sensitivity needs a sobol or morris design; {res.out} has a "
                            f"{res.design} design (try --kind effect or discovery).")
    if res.sensitivity is None:
        raise ScenarioError(f"sensitivity indices need every sample point: {res.finished} of "
                            f"{res.planned} runs of {res.out} are finished; finish the sweep "
                            "(rerun the same 'normsim sweep' command to resume).")
    return res.sensitivity


def relevant_kinds(res: Results) -> list[str]:
    """The figures that fit this sweep's design and data; the brief figure (engagement) first
    where the runs have twins."""
    kinds = ["engagement"] if _has_twin(res) else []
    kinds += ["trajectories", "effect"]
    if len(res.factors) >= 2:
        kinds.append("heatmap")
    kinds += ["integration"]
    if len(res.events) and (res.events["kind"] == "setback").any():
        kinds.append("setbacks")
    kinds += ["stages", "harm"]
    if res.design in ("sobol", "morris") and res.sensitivity is not None:
        kinds.append("sensitivity")
    high = res.outcomes["final_compliance"].dropna() >= res.threshold
    if high.any() and not high.all():
        kinds.append("discovery")
    return kinds


def save_plot(out, kind: str, factors=(), fmt: str | None = None, target=None,
              threshold: float | None = None, outcome: str | None = None) -> Path:
    """Draw one figure of the sweep in ``out`` and save it (what ``normsim plot`` does)."""
    check_kind(kind)
    if fmt is not None and fmt not in FORMATS:
        raise ScenarioError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    if target is not None:
        target = Path(target)
        suffix = target.suffix.lstrip(".").lower()
        if suffix in FORMATS and fmt and suffix != fmt:
            raise ScenarioError(f"--out {target} ends in .{suffix} but --format is {fmt}.")
        if suffix and suffix not in FORMATS:
            raise ScenarioError(f"--out {target}: .{suffix} is not a figure format; name a file "
                                f"ending in one of: {', '.join('.' + f for f in FORMATS)}.")
        if not suffix:
            target = target.with_name(target.name + f".{fmt or 'png'}")
    res = load(out, threshold)
    target = target or Path(out) / "figures" / f"{kind}.{fmt or 'png'}"
    return _save(figure(res, kind, factors, outcome), target)


def _save(fig: Figure, path: Path) -> Path:
    fmt = path.suffix.lstrip(".")
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format=fmt))


# -- the report --------------------------------------------------------------------------------

def write_report(out, folder=None, threshold: float | None = None) -> Path:
    """Write every relevant figure (PNG) and ``report.md`` to ``folder`` (default OUT/report);
    return the path of the report. It opens with its key findings and, where the runs have
    twins, the brief figure; then the design, where the values come from, the figures, the
    tables (each described in ``columns.md``), for a posterior design what is calibrated and
    the probabilities over the posterior (:mod:`normsim.analysis.posterior`), the analyses
    that fit the design (and one
    sentence for each that does not), a glossary and provenance."""
    res = load(out, threshold)
    folder = Path(folder) if folder is not None else Path(out) / "report"
    m = res.manifest
    lines = [f"# {m['title']}", "", "> " + " ".join(m["question"].split()), ""]
    kinds = relevant_kinds(res)
    for stale in set(KINDS) - set(kinds):  # from an earlier report in the same folder
        (folder / f"{stale}.png").unlink(missing_ok=True)
    lead = kinds[:1] if kinds and kinds[0] == "engagement" else []
    lines += key_findings(res)
    for kind in lead:
        lines += _figure(res, kind, folder)
    lines += _design(res) + _parameters(res) + sources.section(res.manifest, res.conditions)
    lines += ["## Figures", ""]
    for kind in kinds[len(lead):]:
        lines += _figure(res, kind, folder)
    lines += effects_section(res, folder) + stages_section(res, folder)
    if posterior.is_posterior_design(res):  # findings as probabilities over the posterior
        lines += posterior.section(res, dict.fromkeys([main_outcome(res), "retention"]),
                                   lambda name, table: write_table(folder, name, table))
    lines += _sensitivity_section(res, folder)
    lines += _discovery_section(res, folder) + glossary() + _provenance(res)
    return write_text_atomically(folder / "report.md", "\n".join(lines) + "\n")


def _figure(res: Results, kind: str, folder: Path) -> list[str]:
    by = _split_by(res)
    fig = figure(res, kind, by if kind in ("trajectories", "integration", "harm", "stages")
                 else ())
    _save(fig, folder / f"{kind}.png")
    return [f"### {kind.capitalize()}", "", KINDS[kind], "", f"![{kind}]({kind}.png)", ""]


def top_factors(res: Results, n: int) -> list[str]:
    """The ``n`` most influential factors by sensitivity index (else the first ``n``)."""
    s = res.sensitivity
    if s is None:
        return res.factors[:n]
    main = "ST" if "ST" in s else "mu_star"
    return list(s.sort_values(main, ascending=False)["parameter"].iloc[:n])


def _split_by(res: Results) -> list[str]:
    """Time figures of a Sobol or Morris sweep: split by the most influential factor."""
    return [] if res.sensitivity is None else top_factors(res, 1)


def _design(res: Results) -> list[str]:
    m = res.manifest
    rows = [("design", m["design"]), ("base scenario", m["scenario"]),
            ("conditions", m["conditions"]), ("replicates per condition", m["replicates"]),
            ("runs finished", f"{res.finished} of {res.planned}"),
            ("weeks per run", m["steps"]), ("recorded every", f"{m['record_every']} weeks"),
            ("compliance threshold", f"{res.threshold:g}"), ("root seed", m["root_seed"])]
    note = [] if res.finished == res.planned else [
        f"**The sweep is not finished** ({res.finished} of {res.planned} runs): the estimates "
        "below are provisional.", ""]
    return ["## Design", ""] + md_table(pd.DataFrame(rows, columns=["", "value"])) + note


def _ranges(res: Results) -> dict:
    """Factor -> (min, max) as declared in the experiment file kept in the sweep folder."""
    try:
        data = tomllib.loads((res.out / "experiment.toml").read_text(encoding="utf-8"))
        return {flat(k): (v["min"], v["max"]) for k, v in data.get("factors", {}).items()
                if "min" in v and "max" in v}
    except (OSError, tomllib.TOMLDecodeError, TypeError, KeyError, ScenarioError):
        return {}


def _parameters(res: Results) -> list[str]:
    rows = []
    ranges = _ranges(res)
    for f in res.factors:
        values = res.conditions[f]
        if res.design == "factorial":
            shown = ", ".join(value_text(f, v) for v in pd.unique(values))
        else:
            lo, hi = ranges.get(f, (values.min(), values.max()))
            shown = f"{value_text(f, lo)} to {value_text(f, hi)} (sampled)"
        rows.append((f"`{dotted(f)}`", factor_label(f), shown))
    lines = ["## Parameters", "", "Factors (varied):", ""]
    lines += md_table(pd.DataFrame(rows, columns=["parameter", "meaning", "values"]))
    fixed = res.manifest.get("fixed") or {}
    if fixed:
        lines += ["Fixed in every run:", ""]
        lines += md_table(pd.DataFrame([(f"`{k}`", factor_label(k), v) for k, v in fixed.items()],
                                       columns=["parameter", "meaning", "value"]))
    lines += [f"All other parameters as in the base scenario `{res.manifest['scenario']}` "
              "(see `normsim parameters`).", ""]
    return lines


def _sensitivity_section(res: Results, folder: Path) -> list[str]:
    if res.design not in ("sobol", "morris"):
        return ["## Sensitivity", "", f"Not computed: Sobol and Morris indices need a sampled "
                f"design over ranges, and this one is {res.design} (its effects are compared "
                "condition by condition above).", ""]
    lines = ["## Sensitivity", ""]
    if res.sensitivity is None:
        return lines + [f"Indices need every sample point; {res.finished} of {res.planned} runs "
                        "are finished.", ""]
    s = res.sensitivity
    write_table(folder, "sensitivity", s)
    if "ST" in s:
        s = s.sort_values("ST", ascending=False)
        t = pd.DataFrame({"parameter": [words(p) for p in s["parameter"]],
                          "first order S1 ± 95%": [f"{a:.3f} ± {b:.3f}" for a, b in
                                                   zip(s["S1"], s["S1_conf"])],
                          "total order ST ± 95%": [f"{a:.3f} ± {b:.3f}" for a, b in
                                                   zip(s["ST"], s["ST_conf"])]})
    else:
        s = s.sort_values("mu_star", ascending=False)
        t = pd.DataFrame({"parameter": [words(p) for p in s["parameter"]],
                          "mu* ± 95%": [f"{a:.3f} ± {b:.3f}" for a, b in
                                        zip(s["mu_star"], s["mu_star_conf"])],
                          "sigma": [f"{v:.3f}" for v in s["sigma"]],
                          "mu": [f"{v:.3f}" for v in s["mu"]]})
    return lines + [f"Outcome: {outcome_label(s['outcome'].iloc[0])}.", ""] + md_table(t)


def _discovery_section(res: Results, folder: Path) -> list[str]:
    lines = ["## Scenario discovery", ""]
    try:
        found = discover(res.outcomes, res.factors, res.threshold)
    except ScenarioError as err:
        return lines + [str(err), ""]
    rules = found.rules.drop(columns="box")
    write_table(folder, "rules", rules)
    t = pd.DataFrame({"rule": rules["rule"], "runs": rules["runs"], "high": rules["high"],
                      "density": [f"{d:.0%}" for d in rules["density"]],
                      "coverage": [f"{c:.0%}" for c in rules["coverage"]]})
    return lines + [
        f"'High' means final compliance ≥ {res.threshold:g}: {found.high} of {found.runs} runs "
        f"({found.high / found.runs:.0%}). Rules are leaves of a decision tree of depth 3 where "
        "high runs are more common than overall. Density: share of the rule's runs that are "
        "high; coverage: share of all high runs in the rule.", ""] + md_table(t)


def _provenance(res: Results) -> list[str]:
    p = dict(res.manifest.get("provenance") or {})
    p["identity"] = res.manifest.get("identity", p.get("identity"))
    p["report written"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    rows = [(k, f"`{v}`") for k, v in p.items() if v is not None]
    return ["## Provenance", "", f"Sweep folder: `{res.out}`.", ""] + md_table(
        pd.DataFrame(rows, columns=["", "value"]))
