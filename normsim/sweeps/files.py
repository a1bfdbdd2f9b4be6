"""Writing results so that a crash never leaves a half-written file or folder behind."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

from normsim.errors import FolderError


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    A rename within one folder is atomic: readers see the old file or the new one, never half.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; results are not
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:  # pyarrow's errors name no file
            err.filename = str(path)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: str | Path, text: str) -> Path:
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def check_replaceable(path: str | Path, own_names: Collection[str]) -> Path:
    """``path``, resolved, if :func:`write_folder_atomically` may write it; FolderError if not."""
    path = Path(path)
    target = path.resolve()
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise FolderError(f"'{path}' is the current folder or holds it; name a new folder for the "
                          "results, e.g. results/my-run.")
    if target.exists() and not target.is_dir():
        raise FolderError(f"{path} is a file, not a folder; name a new folder for the results.")
    above = next((p for p in target.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise FolderError(f"{path}: {above} is a file, not a folder; name a new folder for the "
                          "results.")
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in own_names)
        if foreign:
            raise FolderError(f"{path} exists and holds files that are not results of this kind "
                              f"({', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''}); "
                              "nothing was changed. Name a new or empty folder.")
    return target


def write_folder_atomically(path: str | Path, write: Callable[[Path], list[Path]],
                            own_names: Collection[str]) -> list[Path]:
    """Call ``write(tmp)`` to fill a temporary folder beside ``path``, then rename it into place.

    Readers see no folder, the old one or the new one, never a mix. An existing ``path`` is
    replaced only when it is empty or holds nothing but files named in ``own_names`` (an earlier
    result of the same kind); the current folder and those above it are never replaced.
    Returns the written files, at their final place.
    """
    path = Path(path)
    target = check_replaceable(path, own_names)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        written = write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes folders private; results are not
        if target.exists():  # swap: the old folder moves aside, then goes
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [path / p.relative_to(tmp) for p in written]


def write_table(df, path: str | Path, metadata: dict | None = None, schema=None) -> Path:
    """Write a DataFrame to Parquet atomically, with ``metadata`` (JSON) in the schema.

    ``schema`` (a ``pyarrow.Schema``): the file's declared column types, whatever the rows (an
    empty table keeps its text columns as text); columns that do not fit it are an error.
    """
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    if metadata is not None:
        meta = dict(table.schema.metadata or {})
        meta[b"normsim"] = json.dumps(metadata, default=str).encode()
        table = table.replace_schema_metadata(meta)
    return write_atomically(path, lambda tmp: pq.write_table(table, tmp, write_page_checksum=True))


def table_metadata(path: str | Path) -> dict:
    """The normsim metadata stored in a Parquet file by :func:`write_table` ({} if none)."""
    # deferred: pyarrow is heavy; only a Parquet file needs it
    import pyarrow.parquet as pq

    raw = (pq.read_schema(path).metadata or {}).get(b"normsim")
    return json.loads(raw) if raw else {}
