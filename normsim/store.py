"""The sweep's output folder: results stream in as runs finish, and a rerun resumes.

Layout of an output folder::

    manifest.json        what wrote it: the experiment's identity, its plan, provenance
    experiment.toml      the experiment file as it was run
    conditions.parquet   one row per condition: the varied parameters
    runs/<run>.parquet   one file per finished run: its tidy table, with run_id, condition,
                         replicate and seed columns, and provenance in the Parquet metadata
    events/<run>.parquet the run's event log

Each run's files are written atomically (temporary file, then rename), events first, so a file
in ``runs/`` means the run is complete, whenever the sweep is killed. Readers skip the hidden
temporary files, so ``pandas.read_parquet(OUT / "runs")`` works while a sweep is running.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from normsim.experiment import Plan, salib_problem
from normsim.files import write_table, write_text_atomically
from normsim.scenario import ScenarioError

RUN_KEYS = ["run_id", "condition", "replicate", "seed"]


class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.runs_dir, self.events_dir = self.out / "runs", self.out / "events"

    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    def manifest(self) -> dict:
        if not self.manifest_path.is_file():
            raise ScenarioError(f"{self.out} is not a sweep output folder (it has no manifest.json); "
                                "run 'normsim sweep EXPERIMENT --out FOLDER' first.")
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def prepare(self, plan: Plan, experiment_text: str, provenance: dict) -> None:
        """Claim the folder for this experiment, or check it already belongs to it.

        A folder written by another experiment (or the same file with other steps, factors or
        seeds) is refused and left untouched. More replicates than before is the same experiment.
        """
        if self.manifest_path.is_file():
            old = self.manifest()
            if old.get("identity") != plan.identity:
                raise ScenarioError(
                    f"{self.out} holds results of another experiment ('{old.get('title')}', "
                    f"{old.get('design')}, {old.get('steps')} weeks); nothing was changed. Use "
                    "another --out folder, or delete this one to start over.")
        elif self.out.exists() and any(self.out.iterdir()):
            raise ScenarioError(f"{self.out} exists and is not a sweep output folder; nothing was "
                                "changed. Choose an empty or new --out folder.")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.events_dir.mkdir(parents=True, exist_ok=True)
        exp = plan.experiment
        manifest = {
            "title": exp.title, "question": exp.question, "identity": plan.identity,
            "design": exp.design.kind, "factors": plan.factor_names, "fixed": exp.fixed,
            "scenario": exp.scenario, "replicates": exp.replicates, "steps": exp.steps,
            "record_every": exp.record_every, "root_seed": exp.root_seed,
            "threshold": exp.threshold, "outcome": exp.design.outcome,
            "conditions": len(plan.conditions), "runs": len(plan.conditions) * exp.replicates,
            "seeds": list(plan.seeds), "provenance": provenance,
            "bounds": (salib_problem(exp)["bounds"] if plan.samples is not None else None),
        }
        write_text_atomically(self.out / "experiment.toml", experiment_text)
        write_table(plan.conditions.reset_index(), self.out / "conditions.parquet", manifest)
        if plan.samples is not None:
            write_table(pd.DataFrame(plan.samples, columns=plan.factor_names),
                        self.out / "samples.parquet", manifest)
        write_text_atomically(self.manifest_path, json.dumps(manifest, indent=2, default=str) + "\n")

    def done(self) -> set[str]:
        """The runs whose results are complete on disk."""
        if not self.runs_dir.is_dir():
            return set()
        return {p.stem for p in self.runs_dir.glob("c*.parquet")}

    def remove_partial_files(self) -> int:
        """Delete temporary files a killed sweep left behind; return how many."""
        stale = [p for d in (self.runs_dir, self.events_dir) if d.is_dir()
                 for p in d.glob(".*.tmp")]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def write_run(self, meta: dict, records: pd.DataFrame, events: pd.DataFrame,
                  provenance: dict) -> None:
        keys = {k: meta[k] for k in RUN_KEYS}
        info = {**provenance, **keys}
        write_table(_with_keys(events, keys), self.events_dir / f"{meta['run_id']}.parquet", info)
        write_table(_with_keys(records, keys), self.runs_dir / f"{meta['run_id']}.parquet", info)


def _with_keys(df: pd.DataFrame, keys: dict) -> pd.DataFrame:
    head = pd.DataFrame({k: [v] * len(df) for k, v in keys.items()}).astype(
        {"condition": "int32", "replicate": "int32", "seed": "int64"})
    return pd.concat([head, df.reset_index(drop=True)], axis=1)


# -- reading -----------------------------------------------------------------------------------

def read_runs(out: str | Path) -> pd.DataFrame:
    """Every finished run's tidy table, sorted by condition, replicate, step and group."""
    store = Store(out)
    store.manifest()
    if not store.done():
        raise ScenarioError(f"{out} has no finished runs yet.")
    df = pd.read_parquet(store.runs_dir)
    return df.sort_values(["condition", "replicate", "step", "group"], kind="stable",
                          ignore_index=True)


def read_events(out: str | Path) -> pd.DataFrame:
    store = Store(out)
    store.manifest()
    files = sorted(store.events_dir.glob("c*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.read_parquet(store.events_dir).sort_values(
        ["condition", "replicate", "step"], kind="stable", ignore_index=True)


def read_conditions(out: str | Path) -> pd.DataFrame:
    """One row per condition: the varied parameters."""
    Store(out).manifest()
    return pd.read_parquet(Path(out) / "conditions.parquet").set_index("condition")


def read_samples(out: str | Path) -> pd.DataFrame | None:
    """SALib's sample matrix of a Sobol or Morris sweep (None for other designs)."""
    path = Path(out) / "samples.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def read_manifest(out: str | Path) -> dict:
    return Store(out).manifest()
