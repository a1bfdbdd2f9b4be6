"""Reading a sweep's folder (:mod:`normsim.sweeps.store`): the tables of its finished runs, their
events, its conditions, its SALib samples and its manifest, each with its declared schema.

Damaged run files are skipped with a :class:`~normsim.errors.DamagedFilesWarning` that says how
to redo them; a missing or damaged part of the manifest is a :class:`~normsim.errors.FolderError`
that says how to restore it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from normsim.errors import DamagedFilesWarning, FolderError
from normsim.sweeps.posterior import DRAW, DRAWN, PARTICLE
from normsim.sweeps.store import Store, has_lasting, has_twin, events_schema, records_schema


def read_runs(out: str | Path) -> pd.DataFrame:
    """Every finished run's tidy table, sorted by condition, replicate, step and group.

    Damaged run files are skipped with a :class:`DamagedFilesWarning`; files not named like a run
    are ignored."""
    runs = _complete_runs(out)
    if not runs:
        raise FolderError(f"{out} has no finished runs yet; run (or resume) the sweep with "
                          "'normsim sweep EXPERIMENT --out FOLDER'.")
    folder = Store(out).runs_dir
    df = _read_tables(folder, runs, _runs_schema(folder, runs))
    if df.empty:
        raise FolderError(f"{out} has no readable runs: every run file is damaged; rerun the sweep "
                          "with 'normsim sweep EXPERIMENT --out FOLDER' to redo them.")
    return df.sort_values(["condition", "replicate", "step", "group"], kind="stable",
                          ignore_index=True)


def read_events(out: str | Path) -> pd.DataFrame:
    """The event logs of every finished run (the declared columns even if none logged any)."""
    df = _read_tables(Store(out).events_dir, _complete_runs(out), events_schema(keys=True))
    return df.sort_values(["condition", "replicate", "step"], kind="stable", ignore_index=True)


def read_conditions(out: str | Path) -> pd.DataFrame:
    """One row per condition: the varied parameters."""
    Store(out).manifest()
    return _read_part(Path(out) / "conditions.parquet").set_index("condition")


def read_samples(out: str | Path) -> pd.DataFrame | None:
    """SALib's sample matrix of a Sobol or Morris sweep (None for other designs)."""
    if Store(out).manifest().get("bounds") is None:
        return None
    return _read_part(Path(out) / "samples.parquet")


def read_manifest(out: str | Path) -> dict:
    return Store(out).manifest()


def _complete_runs(out) -> list[str]:
    store = Store(out)
    done, damaged = store.scan(store.manifest()["identity"])
    if damaged:
        shown = "; ".join(list(damaged.values())[:3]) + ("; ..." if len(damaged) > 3 else "")
        warnings.warn(DamagedFilesWarning(
            f"{out}: skipped {len(damaged)} damaged run(s) ({shown}); rerun the same 'normsim "
            "sweep' command to redo them"), stacklevel=3)
    return sorted(done)


def _read_tables(folder: Path, runs: list[str], schema) -> pd.DataFrame:
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables, unreadable = [], []
    for run in runs:
        try:
            tables.append(pq.read_table(folder / f"{run}.parquet", schema=schema))
        except Exception as err:  # damaged inside (a checksum fails): skip it, say so
            unreadable.append(f"{folder.name}/{run}.parquet ({_first_line(err)})")
    if unreadable:
        warnings.warn(DamagedFilesWarning(
            f"{folder.parent}: skipped {len(unreadable)} unreadable file(s): "
            + "; ".join(unreadable[:3]) + "; rerun the same 'normsim sweep' command after "
            "deleting them to redo those runs"), stacklevel=3)
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table.to_pandas()


def _read_part(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        problem = "is missing"
    except Exception as err:  # damaged
        problem = f"is damaged ({_first_line(err)})"
    raise FolderError(f"{path} {problem}: the sweep was stopped while starting, or the file was "
                      "changed. Rerun the same 'normsim sweep' command on this folder to restore "
                      "it (finished runs are kept).")


def _runs_schema(folder: Path, runs: list[str]):
    """The schema of a sweep's run files: with the twin's columns, the lasting twin's and a
    posterior draw's if they carry them (all do or none: one setting of the experiment)."""
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow.parquet as pq

    for run in runs:
        try:
            names = pq.read_schema(folder / f"{run}.parquet").names
        except Exception:  # damaged: the next one tells; _read_tables reports the damage
            continue
        drawn = tuple(n for n in names if n in (DRAW, PARTICLE) or n.startswith(DRAWN))
        return records_schema(keys=True, twin=has_twin(names), lasting=has_lasting(names),
                              drawn=drawn)
    return records_schema(keys=True)


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:120]
