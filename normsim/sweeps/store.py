"""The sweep's output folder: results stream in as runs finish, and a rerun resumes.

Layout of an output folder::

    manifest.json        what wrote it: the experiment's identity and definition, its plan,
                         provenance -- written first, atomically
    experiment.toml      the experiment file as it was run
    conditions.parquet   one row per condition: the varied parameters
    runs/<run>.parquet   one file per finished run: its tidy table, with run_id, condition,
                         replicate and seed columns (and, in a posterior design, the draw:
                         posterior_draw, posterior_particle, drawn_<parameter>), and
                         provenance in the Parquet metadata
    events/<run>.parquet the run's event log
    .lock                held by the sweep writing to the folder (:mod:`normsim.sweeps.lock`)

Guarantees:

- **A folder is a sweep folder or untouched.** ``manifest.json`` is the first file written, by an
  atomic rename; a folder with any other content and no manifest is refused, never written to.
  The other files of the manifest (``experiment.toml``, ``conditions.parquet``) are rewritten on
  every start if missing or damaged.
- **A finished run is complete on disk.** Each run's files are written atomically (temporary
  file, then rename), events first; Parquet page checksums are on.
- **Every file has its declared schema**, empty or not (:func:`records_schema`,
  :func:`events_schema`): a run that logged no events still has text columns typed as text, so
  ``pandas.read_parquet(OUT / "events")`` or ``pyarrow.dataset`` read any folder.
- **Run files are verified** before a resume counts them (:meth:`Store.scan`): an empty,
  truncated or foreign file is redone, and readers skip it with a warning. Files in ``runs/``
  that are not named like a run are ignored.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd

from normsim.simulation import records as rec
from normsim.simulation.counterfactual import LASTING_COLUMNS, TWIN_COLUMNS
from normsim.errors import FolderError
from normsim.sweeps.design import Plan, salib_problem
from normsim.sweeps.files import write_table, write_text_atomically
from normsim.sweeps.lock import LOCK_NAME
from normsim.sweeps.posterior import DRAW, PARTICLE
from normsim.sweeps.provenance import content_hash

RUN_KEYS = ["run_id", "condition", "replicate", "seed"]
_KEY_TYPES = {"run_id": "str", "condition": "int32", "replicate": "int32", "seed": "int64"}
RUN_FILE = re.compile(r"^c\d{5,}-r\d{4,}\.parquet$")  # what plan.run_id() names
MANIFEST_KEYS = ("title", "identity", "design", "factors", "replicates", "steps", "threshold",
                 "conditions", "runs")


# -- declared schemas ------------------------------------------------------------------------

@functools.cache
def records_schema(keys: bool = False, twin: bool = False, lasting: bool = False,
                   drawn: tuple[str, ...] = ()):
    """The Parquet schema of a run's tidy table (with the run's key columns if ``keys``, the
    columns of its twin without engagement if ``twin`` and of its lasting twin if ``lasting``
    (:mod:`normsim.simulation.counterfactual`), and a posterior draw's columns ``drawn``)."""
    empty = rec.tidy(pd.DataFrame())
    if twin:
        empty = empty.assign(**{c: pd.Series(dtype="float64") for c in TWIN_COLUMNS.values()})
    if lasting:
        empty = empty.assign(**{c: pd.Series(dtype="float64") for c in LASTING_COLUMNS.values()})
    if not keys:
        return _arrow_schema(empty)
    draw = {c: (0 if c in (DRAW, PARTICLE) else 0.0) for c in drawn}
    return _arrow_schema(_with_keys(empty, {**_no_keys(), **draw}))


@functools.cache
def events_schema(keys: bool = False):
    """The Parquet schema of a run's events (with the run's key columns if ``keys``)."""
    empty = rec.tidy_events(pd.DataFrame())
    return _arrow_schema(_with_keys(empty, _no_keys()) if keys else empty)


def _no_keys() -> dict:
    return {"run_id": "", "condition": 0, "replicate": 0, "seed": 0}


def _arrow_schema(empty: pd.DataFrame):
    """Arrow types of an empty table's columns: text as text, numbers as their numpy type."""
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow as pa

    fields = []
    for name, dtype in empty.dtypes.items():
        text = pd.api.types.is_string_dtype(dtype) or dtype == object
        fields.append(pa.field(name, pa.large_string() if text else pa.from_numpy_dtype(dtype)))
    return pa.schema(fields)


def _with_keys(df: pd.DataFrame, keys: dict) -> pd.DataFrame:
    """``df`` after the run's key columns (and a posterior draw's, typed as whole numbers and
    numbers)."""
    types = {k: _KEY_TYPES.get(k, "int64" if k in (DRAW, PARTICLE) else "float64") for k in keys}
    head = pd.DataFrame({k: [v] * len(df) for k, v in keys.items()}).astype(types)
    return pd.concat([head, df.reset_index(drop=True)], axis=1)


# -- the folder ------------------------------------------------------------------------------

class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.runs_dir, self.events_dir = self.out / "runs", self.out / "events"

    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    def manifest(self) -> dict:
        """The folder's manifest; :class:`FolderError` if there is none or it is damaged."""
        if not self.manifest_path.is_file():
            raise FolderError(f"{self.out} is not a sweep output folder (it has no manifest.json); "
                              "run 'normsim sweep EXPERIMENT --out FOLDER' first.")
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise FolderError(f"{self.manifest_path} is damaged and cannot be read ({err}); "
                              "nothing was changed. Restore it from a copy, or start over in a "
                              "new --out folder.") from None
        missing = [k for k in MANIFEST_KEYS if not isinstance(data, dict) or k not in data]
        if missing:
            raise FolderError(f"{self.manifest_path} is damaged: it lacks {', '.join(missing)}; "
                              "nothing was changed. Restore it from a copy, or start over in a "
                              "new --out folder.")
        return data

    def is_unused(self) -> bool:
        """True if the folder does not exist or holds nothing but leftovers of a start that was
        stopped before its manifest was written (the lock, temporary files)."""
        if not self.out.exists():
            return True
        return self.out.is_dir() and all(_leftover(p) for p in self.out.iterdir())

    def check(self, plan: Plan) -> dict | None:
        """The folder's manifest if it belongs to ``plan``'s experiment, None if the folder is
        unused; :class:`FolderError` (nothing changed) otherwise."""
        if self.out.exists() and not self.out.is_dir():
            raise FolderError(f"{self.out} is a file, not a folder; nothing was changed. Choose "
                              "an empty or new --out folder.")
        if not self.manifest_path.exists():
            if self.is_unused():
                return None
            raise FolderError(f"{self.out} exists and is not a sweep output folder; nothing was "
                              "changed. Choose an empty or new --out folder.")
        old = self.manifest()
        if old["identity"] != plan.identity:
            raise FolderError(
                f"{self.out} holds results of another experiment ('{old['title']}', "
                f"{old['design']}, {old['steps']} weeks); {_differences(old, plan)}. Nothing was "
                "changed. Use another --out folder, or delete this one to start over.")
        return old

    def prepare(self, plan: Plan, experiment_text: str, provenance: dict) -> dict:
        """Claim the folder for this experiment (the manifest first), or check it already belongs
        to it and restore any missing part. Call with the folder's lock held.

        A folder written by another experiment (or the same file with other steps, factors or
        seeds) is refused and left untouched. More replicates than before is the same experiment;
        fewer keeps the manifest at the larger number. Returns the manifest.
        """
        old = self.check(plan)
        exp = plan.experiment
        replicates = max(exp.replicates, old["replicates"] if old else 0)
        seeds = plan.seeds if not old or len(old.get("seeds", ())) <= len(plan.seeds) else old["seeds"]
        manifest = {
            "title": exp.title, "question": exp.question, "identity": plan.identity,
            "definition": definition(plan),
            "design": exp.design.kind, "factors": plan.factor_names, "fixed": exp.fixed,
            "scenario": exp.scenario, "replicates": replicates, "steps": exp.steps,
            "record_every": exp.record_every, "root_seed": exp.root_seed,
            "threshold": exp.threshold, "outcome": exp.design.outcome,
            "conditions": len(plan.conditions), "runs": len(plan.conditions) * replicates,
            "seeds": list(seeds), "provenance": provenance,
            "bounds": (salib_problem(exp)["bounds"] if plan.samples is not None else None),
            "posterior": _posterior(plan),
        }
        self.out.mkdir(parents=True, exist_ok=True)
        if old is None or replicates > old["replicates"]:
            write_text_atomically(self.manifest_path, json.dumps(manifest, indent=2, default=str) + "\n")
            write_text_atomically(self.out / "experiment.toml", experiment_text)
        else:
            manifest = old
        if not _readable(self.out / "conditions.parquet"):
            write_table(plan.conditions.reset_index(), self.out / "conditions.parquet", manifest)
        if plan.samples is not None and not _readable(self.out / "samples.parquet"):
            write_table(pd.DataFrame(plan.samples, columns=plan.factor_names),
                        self.out / "samples.parquet", manifest)
        if not (self.out / "experiment.toml").is_file():
            write_text_atomically(self.out / "experiment.toml", experiment_text)
        self.runs_dir.mkdir(exist_ok=True)
        self.events_dir.mkdir(exist_ok=True)
        return manifest

    def scan(self, identity: str | None = None) -> tuple[set[str], dict[str, str]]:
        """The runs complete on disk, and the damaged ones ({run_id: what is wrong}).

        A run is complete when its run file and its events file both open as Parquet, with rows,
        and were written for this run (and, given ``identity``, for this experiment). Files not
        named like a run are not looked at.
        """
        done, damaged = set(), {}
        if not self.runs_dir.is_dir():
            return done, damaged
        for path in sorted(self.runs_dir.iterdir()):
            if not RUN_FILE.match(path.name):
                continue
            problem = (_verify(path, identity, rows=True)
                       or _verify(self.events_dir / path.name, identity, rows=False))
            if problem:
                damaged[path.stem] = problem
            else:
                done.add(path.stem)
        return done, damaged

    def done(self) -> set[str]:
        """The runs whose results are complete on disk."""
        return self.scan()[0]

    def remove_damaged(self, damaged) -> None:
        """Delete the files of damaged runs, so that they are run again."""
        for run in damaged:
            (self.runs_dir / f"{run}.parquet").unlink(missing_ok=True)
            (self.events_dir / f"{run}.parquet").unlink(missing_ok=True)

    def remove_partial_files(self) -> int:
        """Delete temporary files a killed sweep left behind; return how many. Call with the
        folder's lock held (another sweep's files in flight would look the same)."""
        stale = [p for d in (self.out, self.runs_dir, self.events_dir) if d.is_dir()
                 for p in d.glob(".*.tmp")]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def write_run(self, meta: dict, records: pd.DataFrame, events: pd.DataFrame,
                  provenance: dict) -> None:
        keys = {k: meta[k] for k in RUN_KEYS}
        info = {**provenance, **keys}
        drawn = meta.get("drawn", {})
        write_table(_with_keys(events, keys), self.events_dir / f"{meta['run_id']}.parquet", info,
                    schema=events_schema(keys=True))
        write_table(_with_keys(records, {**keys, **drawn}),
                    self.runs_dir / f"{meta['run_id']}.parquet", {**info, **drawn},
                    schema=records_schema(keys=True, twin=has_twin(records.columns),
                                          lasting=has_lasting(records.columns),
                                          drawn=tuple(drawn)))


def has_twin(columns) -> bool:
    return any(c in columns for c in TWIN_COLUMNS.values())


def has_lasting(columns) -> bool:
    return any(c in columns for c in LASTING_COLUMNS.values())


def definition(plan: Plan) -> dict:
    """What fixes a sweep's results, in plain data (its hash is ``plan.identity``)."""
    out = {**plan.experiment.model_dump(exclude={"replicates"}),
           "scenario_content": content_hash(plan.scenario.model_dump_json())}
    if plan.draws is not None:
        out["posterior_content"] = plan.draws.content
    return out


def _posterior(plan: Plan) -> dict | None:
    """What a posterior design draws from (None for other designs): the file, its content's
    hash, the parameters drawn (flat names) and those of the file left out."""
    d = plan.draws
    if d is None:
        return None
    return {"file": d.file, "content": d.content, "drawn": list(d.names), "unused": list(d.unused),
            "draws": d.n_draws, "particles": len(d.particles)}


def _differences(old: dict, plan: Plan) -> str:
    """What differs between the experiment that wrote a folder and ``plan``'s, in words."""
    if "definition" not in old:
        return "its steps, factors, fixed parameters, seeds or scenario differ"
    before, after = _flatten(old["definition"]), _flatten(json.loads(json.dumps(definition(plan))))
    changed = [f"{k}: {_short(before.get(k, '(none)'))} -> {_short(after.get(k, '(none)'))}"
               for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    if not changed:
        return "its definition differs"
    more = f"; and {len(changed) - 6} more" if len(changed) > 6 else ""
    return "what differs: " + "; ".join(changed[:6]) + more


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _short(value) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _leftover(path: Path) -> bool:
    return path.name == LOCK_NAME or (path.name.startswith(".") and path.name.endswith(".tmp"))


def _verify(path: Path, identity: str | None, rows: bool) -> str | None:
    """What is wrong with a run's Parquet file, or None if it looks complete."""
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
        info = json.loads((meta.metadata or {}).get(b"normsim", b"{}"))
    except FileNotFoundError:
        return f"{path.parent.name}/{path.name} is missing"
    except Exception:  # pyarrow raises several kinds for a file that is not Parquet
        empty = path.stat().st_size == 0
        return f"{path.parent.name}/{path.name} is " + (
            "empty" if empty else "not a complete Parquet file (cut short or overwritten)")
    if info.get("run_id") != path.stem:
        return f"{path.parent.name}/{path.name} was not written for run {path.stem}"
    if identity is not None and info.get("identity") != identity:
        return f"{path.parent.name}/{path.name} was written by another experiment"
    if rows and meta.num_rows == 0:
        return f"{path.parent.name}/{path.name} has no rows"
    return None


def _readable(path: Path) -> bool:
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow.parquet as pq
    try:
        pq.read_metadata(path)
        return True
    except Exception:  # missing, empty, truncated, garbage
        return False
