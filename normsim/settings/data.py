"""Observed counts of armed groups' commitments (``data/``), read and checked.

Every row of ``data/commitments_*.csv`` carries a count, what it counts (``unit``), whether it
is exact or a lower bound, and its source with the source's own words (``data/README.md``).
:func:`read_counts` refuses a file whose rows lack a source or whose counts are not whole
numbers, naming the file, the row, the column and the value. :func:`observed` turns the rows of
one norm, pledge type and unit into points in model weeks (week 0 is the start of ``start_year``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REQUIRED = ("year", "as_of", "norm", "pledge_type", "unit", "count", "kind", "source", "quote")
KINDS = ("exact", "lower_bound")
#: the data's names for the model's norms
NORM_NAMES = {"landmines": "mines", "child_recruitment": "children",
              "sexual_violence": "civilians"}
WEEKS_PER_YEAR = 52


def _error(message: str):
    from normsim.settings.scenario import ScenarioError
    return ScenarioError(message)


def read_counts(path: str | Path) -> pd.DataFrame:
    """One commitments file, checked: every row has a source and its words, whole counts, a
    known kind and a date; ScenarioError naming file, row, column and value otherwise."""
    path = Path(path)
    if not path.is_file() and (DATA_DIR / path).is_file():
        path = DATA_DIR / path
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise _error(f"{path}: cannot be read as CSV: {err}") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise _error(f"{path}: missing column(s) {', '.join(missing)}; a commitments file has "
                     f"the columns {', '.join(REQUIRED)} (see data/README.md)")
    for i, row in table.iterrows():
        where = f"{path}: row {i + 2}"  # the header is line 1
        for column in ("source", "quote"):
            if not row[column].strip():
                raise _error(f"{where}: {column} is empty; every number needs its source and "
                             "the source's words")
        if not re.fullmatch(r"\d+", row["count"].strip()):
            raise _error(f"{where}: count = {row['count']!r} is not allowed: expected a whole "
                         "number")
        if row["kind"] not in KINDS:
            raise _error(f"{where}: kind = {row['kind']!r} is not allowed: expected one of "
                         f"{', '.join(KINDS)}")
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["as_of"].strip()):
            raise _error(f"{where}: as_of = {row['as_of']!r} is not allowed: expected YYYY, "
                         "YYYY-MM or YYYY-MM-DD")
    table["count"] = table["count"].astype(int)
    table["year"] = table["year"].astype(int)
    return table


def decimal_year(as_of: str) -> float:
    """'2004-09' -> 2004.71 (mid-month); '2007' -> 2007.5 (mid-year)."""
    parts = [int(p) for p in as_of.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 0.5) / 365


def observed(path: str | Path, norm: str, start_year: int, pledge_type: str = "deed",
             units=("groups", "deeds"), until: int | None = None,
             since: int | None = None) -> pd.DataFrame:
    """Observed points of one norm (the data's or the model's name) and pledge type, as
    ``week, year, count, kind, source``; ``until``/``since`` keep years up to/from."""
    table = read_counts(path)
    names = {k: v for k, v in NORM_NAMES.items()}
    wanted = {norm} | {k for k, v in names.items() if v == norm}
    sel = table[table["norm"].isin(wanted) & (table["pledge_type"] == pledge_type)
                & table["unit"].isin(units)]
    if until is not None:
        sel = sel[sel["year"] <= until]
    if since is not None:
        sel = sel[sel["year"] >= since]
    years = sel["as_of"].map(decimal_year)
    return pd.DataFrame({"week": np.round((years - start_year) * WEEKS_PER_YEAR).astype(int),
                         "year": years, "count": sel["count"], "kind": sel["kind"],
                         "source": sel["source"]}).reset_index(drop=True)
