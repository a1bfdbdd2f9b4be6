"""The ``normsim`` command: a thin shell over the library (parse, call, print).

A user's mistake (a bad scenario, an unknown parameter, a folder that cannot be written: any
:class:`normsim.errors.UserError`, or an operating-system error about a file) ends with one
clear message on stderr and exit status 2, never a traceback. Ctrl-C and ``kill`` (SIGTERM) end
a command with a message and exit status 130 or 143, after it has cleaned up.
"""

from __future__ import annotations

import errno
import functools
import signal
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import click

from normsim.errors import DamagedFilesWarning, DiskFull, UserError
from normsim.settings.scenario import (ALL_SECTIONS, PARAMETERS, allowed, check_seed,
                                       check_steps, defaults, list_scenarios, load)

# Each command imports the library inside its function: its heavy parts (pandas, mesa, dask,
# matplotlib, SALib) load only for the command that runs them, so 'normsim --help' and a refused
# input answer in a fraction of the time.

USER_ERROR = 2


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: clean up, say what is saved, exit 143."""


def _terminate(signum, frame):
    raise Terminated()


def _interrupted_status(err: KeyboardInterrupt) -> int:
    return 128 + (signal.SIGTERM if isinstance(err, Terminated) else signal.SIGINT)

threshold_option = click.option(
    "--threshold", type=click.FloatRange(0, 1), default=None,
    help="Compliance level for 'weeks to threshold' (and 'high' in discovery); default: the "
         "experiment's.")


def user_errors(func):
    """Turn the library's errors about user input into a message and exit status 2; SIGTERM
    into a clean stop like Ctrl-C; the library's warnings about skipped files into a line."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
        caught: list = []
        try:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", DamagedFilesWarning)
                    return func(*args, **kwargs)
            finally:
                _show(caught)  # outside catch_warnings: the warnings it caught are shown for real
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(USER_ERROR)
        except OSError as err:
            where = f" ({err.filename})" if err.filename else ""
            click.echo(f"error: {err.strerror or err}{where}", err=True)
            sys.exit(USER_ERROR)
        except KeyboardInterrupt as err:
            click.echo("\ninterrupted; nothing half-written was left.", err=True)
            sys.exit(_interrupted_status(err))
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
    return wrapper


def _show(caught) -> None:
    shown = set()
    for w in caught:
        if issubclass(w.category, DamagedFilesWarning):
            if str(w.message) not in shown:
                click.echo(f"warning: {w.message}", err=True)
            shown.add(str(w.message))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _out_folder(out: str | None, option: str = "--out") -> Path | None:
    if out is None:
        return None
    if not out.strip():
        raise UserError(f"{option} '{out}' is empty: name a folder, e.g. {option} results/my-run.")
    return Path(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="normsim")
def main():
    """Simulate how humanitarian norms (IHL) diffuse from engagers to non-state armed groups.

    Start with 'normsim scenarios' to see the shipped situations, then
    'normsim run baseline' to simulate one and write its table and figure.
    """


@main.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=None,
              help=f"Seed of the run, {allowed('run', 'seed')} (default: the scenario's).")
@click.option("--steps", type=int, default=None,
              help=f"Weeks to simulate, {allowed('run', 'steps')} (default: the scenario's, 520 "
                   "in the baseline).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter, e.g. --set group.centralisation=0.3 (repeatable; see "
                   "'normsim parameters').")
@click.option("--out", default=None,
              help="Folder for the results (default: results/SCENARIO-seedN); replaced if it "
                   "holds an earlier run's files only.")
@click.option("--counterfactual", is_flag=True,
              help="Also run the same scenario and seed without engagement, record its compliance "
                   "beside the run's (compliance_counterfactual) and print the engagement effect.")
@user_errors
def run(scenario, seed, steps, overrides, out, counterfactual):
    """Run one SCENARIO (a shipped name or a TOML file) and write its results.

    Writes records.parquet and records.csv (one row per week, group and norm), events.parquet and
    events.csv, compliance.png, the resolved scenario.toml (runnable again as is) and
    provenance.json, then prints a short summary. The files appear together (written to a
    temporary folder, then renamed): a run stopped before the end leaves none.
    """
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.settings.budget import check_run
    from normsim.analysis.saved_run import check_run_folder, save_run, summary
    from normsim.simulation.run import run_model
    from normsim.settings.scenario import scenario_path

    out = _out_folder(out)
    seed = None if seed is None else check_seed(seed, "--seed")
    steps = None if steps is None else check_steps(steps, "--steps")
    settings = load(scenario, overrides)
    seed = settings.run.seed if seed is None else seed
    name = Path(scenario).stem
    out = out or Path("results") / f"{name}-seed{seed}"
    check_run_folder(out)
    check_run(settings, steps or settings.run.steps,
              f"{scenario_path(scenario)}" + (" with --set" if overrides else ""),
              twin=counterfactual)
    model = run_model(seed=seed, steps=steps, scenario=settings, counterfactual=counterfactual)
    try:
        paths = save_run(model, out, name)
    except OSError as err:
        if err.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise DiskFull(f"no space left on the device of {out}; nothing was written (the run's "
                       "temporary folder was removed). Free some space and run again.") from None
    click.echo(summary(model))
    click.echo(f"wrote {len(paths)} files to {out}/: " + ", ".join(p.name for p in paths))


@main.command()
@click.argument("experiment")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local processes (default: all cores, as many as fit in memory).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Run on an existing Dask distributed cluster instead of local processes.")
@click.option("--give-up-after", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="With --scheduler (only): stop after this long without any Dask worker "
                   "(default: 300, at most a week; a notice comes after 30). Rerun later to "
                   "resume.")
@click.option("--out", default=None,
              help="Output folder (default: results/EXPERIMENT). Rerunning on it resumes.")
@click.option("--replicates", type=click.IntRange(min=1), default=None,
              help="Replicates per condition (default: the experiment's).")
@click.option("--steps", type=click.IntRange(min=1), default=None,
              help="Weeks per run (default: the experiment's).")
@click.option("--samples", type=click.IntRange(min=1), default=None,
              help="Sample size of an LHS, Sobol or Morris design (default: the experiment's).")
@click.option("--posterior", default=None, metavar="FILE",
              help="Draw each replicate's shared parameters from this posterior.csv (written by "
                   "'normsim calibrate'); sets the file of the experiment's [posterior] table.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def sweep(experiment, workers, scheduler, give_up_after, out, replicates, steps, samples,
          posterior, quiet):
    """Run an EXPERIMENT (a name in experiments/ or a TOML file): every condition x replicate.

    Results stream to OUT/runs/ as runs finish (one Parquet file per run; read them all with
    pandas.read_parquet("OUT/runs")). Interrupt at any time: rerun the same command to resume
    where it stopped; finished runs are never lost or redone, damaged ones are redone. One sweep
    at a time writes to a folder: a second one is refused, naming the first.
    """
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.sweeps.cluster import check_address, check_give_up_after
    from normsim.sweeps.engines import local_workers, saved_runs, sweep as run_sweep
    from normsim.sweeps.experiment import load_experiment
    from normsim.sweeps.design import plan

    out = _out_folder(out)
    scheduler = None if scheduler is None else check_address(scheduler)
    check_give_up_after(give_up_after, scheduler)
    exp, text = load_experiment(experiment, replicates=replicates, steps=steps, samples=samples,
                                posterior=posterior)
    the_plan = plan(exp)
    out = out or Path("results") / Path(experiment).stem
    where = f"the Dask cluster at {scheduler}" if scheduler else \
        f"{local_workers(the_plan, workers)} local process(es)"
    click.echo(f"{exp.title}: {len(the_plan.conditions)} conditions x {exp.replicates} replicates "
               f"= {len(the_plan.runs())} runs of {exp.steps} weeks, on {where} -> {out}/")
    if the_plan.draws is not None:
        d = the_plan.draws
        click.echo(f"each replicate draws {', '.join('.'.join(PARAMETERS[n]) for n in d.names)} from "
                   f"{d.file} ({len(d.particles)} particles, by weight)"
                   + (f"; not drawn: {', '.join(d.unused)}" if d.unused else ""))
    say = functools.partial(click.echo, err=True)
    try:
        report = run_sweep(the_plan, out, text, workers=workers, scheduler=scheduler,
                           progress=not quiet, give_up_after=give_up_after, say=say)
    except KeyboardInterrupt as err:
        saved = saved_runs(the_plan, out)
        click.echo(f"\ninterrupted: {saved} of {len(the_plan.runs())} runs are saved in {out}/; "
                   "run the same command again to resume.", err=True)
        sys.exit(_interrupted_status(err))
    for note in report.notes:
        click.echo(f"note: {note}.", err=True)
    click.echo(f"done: {report.ran} runs now, {report.skipped} already there"
               + (f" ({len(report.redone)} damaged ones redone)" if report.redone else "")
               + (f", {report.removed_partials} partial files cleaned" if report.removed_partials else "")
               + f". Next: normsim summarize {out}")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@threshold_option
@user_errors
def summarize(out, threshold):
    """Estimates from a sweep folder OUT: per condition the final compliance with a 95% CI, the
    weeks to reach a threshold and the final score-card stage; SALib indices for Sobol and
    Morris designs. Writes the tables as CSV to OUT/summary/."""
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.analysis.summaries import describe, summarize as estimates, write_summary
    from normsim.sweeps.readers import read_manifest

    manifest = read_manifest(out)
    threshold = manifest["threshold"] if threshold is None else threshold
    tables = estimates(out, threshold)
    click.echo(describe(manifest, tables, threshold))
    paths = write_summary(out, tables)
    click.echo(f"\nwrote {', '.join(p.name for p in paths)} to {out / 'summary'}/")


def _plot_kinds() -> str:
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.analysis.kinds import KINDS

    return ", ".join(KINDS)


PLOT_KINDS = _plot_kinds()


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--kind", required=True, metavar="KIND", help=f"The figure: {PLOT_KINDS}.")
@click.option("--factor", "factors", multiple=True, metavar="NAME",
              help="A factor to show (repeatable; e.g. dialogue.principled): the x axis then the "
                   "series of 'effect', the axes of 'heatmap', the series of time figures.")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default=None,
              help="File format (default: from --out, else png).")
@click.option("--out", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: OUT/figures/KIND.png).")
@click.option("--outcome", default=None, metavar="NAME",
              help="What to show: for effect and heatmap an outcome of a run (e.g. "
                   "engagement_effect, weeks_to_commitment); for trajectories a recorded column "
                   "(e.g. trust, doctrine).")
@threshold_option
@user_errors
def plot(out, kind, factors, fmt, target, outcome, threshold):
    """Draw one figure of the sweep in folder OUT (written by 'normsim sweep')."""
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.analysis.report import save_plot

    path = save_plot(out, kind, factors, fmt, target, threshold, outcome)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the report (default: OUT/report).")
@threshold_option
@user_errors
def report(out, folder, threshold):
    """Write every figure that fits the sweep in OUT, and report.md: the question, parameters,
    effects with 95% CIs, sensitivity indices, discovery rules and provenance."""
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.analysis.report import write_report

    path = write_report(out, folder, threshold)
    figures = sorted(p.name for p in path.parent.glob("*.png"))
    click.echo(f"wrote {path} with {len(figures)} figures: {', '.join(figures)}")


@main.command()
def scenarios():
    """List the shipped scenarios (in scenarios/) with their descriptions.

    Run one with 'normsim run NAME'; copy one to start a scenario of your own.
    """
    for name, title, description, _ in list_scenarios():
        click.echo(click.style(name, bold=True) + f" — {title}")
        click.echo(textwrap.indent(textwrap.fill(" ".join(description.split()), 92), "    "))
        click.echo()


@main.command()
@click.argument("section", required=False, type=click.Choice(list(ALL_SECTIONS)))
def parameters(section):
    """List every model parameter: name, default, allowed values and meaning.

    SECTION is a table of a scenario file ([group], [environment] ...) or an engager kind
    ([[engager]] kind = "dialogue" ...; its keywords set every engager of the kind).
    """
    values = defaults()
    for flat, (sec, field) in PARAMETERS.items():
        if section and sec != section:
            continue
        info = ALL_SECTIONS[sec].model_fields[field]
        click.echo(click.style(f"{sec}.{field}", bold=True)
                   + f" (keyword {flat}) = {values[flat]!r}; {allowed(sec, field)}")
        click.echo(textwrap.indent(textwrap.fill(info.description, 92), "    "))


@main.command()
@click.argument("calibration")
@click.option("--out", default=None,
              help="Output folder (default: results/CALIBRATION). Rerunning on it resumes.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local processes for the particles (default: all cores).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Run the particles on an existing Dask distributed cluster.")
@click.option("--check", "check", type=click.IntRange(min=1), default=None, metavar="N",
              help="Do not calibrate: simulate N saved particles of each generation in OUT again "
                   "with their recorded seeds and say whether their distances are the saved ones "
                   "(a referee's check of committed outputs, in minutes instead of hours).")
@user_errors
def calibrate(calibration, out, workers, scheduler, check):
    """Fit a CALIBRATION file's parameters to the counts dated up to its cutoff by a
    deterministic ABC-SMC, forecast the later counts and score them beside declared baselines.

    Writes OUT/posterior.csv, OUT/forecast.csv (quantiles and draws), OUT/pit.csv,
    OUT/scores.csv and OUT/report.md. OUT/generations/ holds each finished generation: rerun
    the same command to resume (the result is the same as an uninterrupted run's).

    With --check N nothing is fitted or written: N particles of each generation saved in OUT
    are simulated again and their distances compared with the saved ones, to the last bit.
    """
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.calibration import load_calibration
    from normsim.calibration.driver import default_workers
    from normsim.calibration.outputs import calibrate as run_calibration

    out = _out_folder(out)  # as 'run' and 'sweep' check theirs, before any work
    spec, text = load_calibration(calibration)
    out = out or Path("results") / Path(calibration).stem
    if check is not None:
        _check_calibration(spec, text, out, check, workers, scheduler)
        return
    click.echo(f"{spec.title}: {len(spec.parameters)} parameters, {spec.abc.generations} "
               f"generations of {spec.abc.population_size} particles -> {out}/")
    report = run_calibration(spec, text, out, workers=workers or default_workers(),
                             scheduler=scheduler, log=click.echo)
    click.echo(f"wrote {report}")


def _check_calibration(spec, text, out, per_generation, workers, scheduler) -> None:
    """``calibrate --check``: print each particle simulated again; exit 1 if one differs."""
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.calibration.audit import check
    from normsim.calibration.driver import default_workers

    click.echo(f"checking {out}/ against {spec.title}: {per_generation} particle(s) of each saved "
               "generation simulated again with their recorded seeds")
    table, problems = check(spec, text, out, per_generation=per_generation,
                            workers=workers or default_workers(), scheduler=scheduler,
                            log=click.echo)
    for row in table.itertuples():
        variant = f" (variant {row.variant})" if row.variant else ""
        click.echo(f"  generation {row.generation}, particle {row.index}{variant}: saved distance "
                   f"{row.saved_distance!r}, recomputed {row.recomputed_distance!r} -> "
                   + ("same" if row.equal else "DIFFERENT"))
    for problem in problems:
        click.echo(f"  inconsistent: {problem}")
    same = int(table["equal"].sum())
    click.echo(f"{same} of {len(table)} particles reproduced to the last bit; "
               f"{len(problems)} inconsistencies between the saved tables")
    if same < len(table) or problems:
        click.echo(f"{out} is not what this code computes from this file (see above).", err=True)
        sys.exit(1)


@main.command()
def engagers():
    """List the kinds of engager, with what each does, the norms it handles, and its events.

    Name one in a scenario with an [[engager]] table: kind = "dialogue" (see 'normsim
    parameters KIND' for its settings).
    """
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.engagers import KINDS

    for kind, cls in KINDS.items():
        click.echo(click.style(kind, bold=True) + f" — {cls.summary}")
        click.echo(f"    norms it handles: {', '.join(cls.handles)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this computer only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Port to listen on.")
@click.option("--preset", default="baseline", show_default=True,
              help="Scenario the page opens on (see 'normsim scenarios').")
@user_errors
def app(host, port, preset):
    """Start the workshop app in the browser: presets, controls, live charts, the story.

    Works with no internet; each browser tab gets its own run. Stop it with Ctrl+C.
    """
    # deferred: the library's heavy parts load only for the command that runs them
    from normsim.app import serve

    serve(host=host, port=port, preset=preset)


if __name__ == "__main__":
    main()
