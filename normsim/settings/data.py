"""Observed counts of armed groups' commitments (``data/``), read and checked.

Every row of ``data/commitments_*.csv`` carries a count, what it counts (``unit``), whether it
is exact or a lower bound, and its source with the source's own words (``data/README.md``).
:func:`read_counts` refuses a file whose rows lack a source or whose counts are not whole
numbers, naming the file, the row, the column and the value. :func:`observed` turns the rows of
one norm, pledge type and unit into points in model weeks (week 0 is the start of ``start_year``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from normsim.settings.scenario import ScenarioError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REQUIRED = ("year", "as_of", "norm", "pledge_type", "unit", "count", "kind", "source", "quote")
KINDS = ("exact", "lower_bound")
#: the data's names for the model's norms
NORM_NAMES = {"landmines": "mines", "child_recruitment": "children",
              "sexual_violence": "civilians"}
WEEKS_PER_YEAR = 52


def _error(message: str):
    return ScenarioError(message)


def read_counts(path: str | Path) -> pd.DataFrame:
    """One commitments file, checked: every row has a source and its words, whole counts, a
    known kind, a year and a real date that agree; ScenarioError naming file, row, column and
    value otherwise."""
    path = Path(path)
    if not path.is_file() and (DATA_DIR / path).is_file():
        path = DATA_DIR / path
    if not path.is_file():
        shipped = ", ".join(sorted(p.name for p in DATA_DIR.glob("commitments_*.csv")))
        raise _error(f"no data file at '{path}', in data/ or as a path (shipped: {shipped})")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise _error(f"{path} is empty: a commitments file starts with a header line naming the "
                     f"columns {', '.join(REQUIRED)} (see data/README.md)") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise _error(f"{path}: cannot be read as CSV: {err}") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise _error(f"{path}: missing column(s) {', '.join(missing)}; a commitments file has "
                     f"the columns {', '.join(REQUIRED)} (see data/README.md)")
    if table.empty:
        raise _error(f"{path} has a header but no rows: nothing to compare the model with")
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
        if not re.fullmatch(r"\d{4}", row["year"].strip()):
            raise _error(f"{where}: year = {row['year']!r} is not allowed: expected a year of "
                         "four digits, e.g. 2007")
        as_of = row["as_of"].strip()
        if not _real_date(as_of):
            raise _error(f"{where}: as_of = {row['as_of']!r} is not allowed: expected a real "
                         "date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2004-09")
        if as_of[:4] != row["year"].strip():
            raise _error(f"{where}: year = {row['year']} and as_of = {as_of} disagree: the year "
                         "is as_of's year")
    table["as_of"] = table["as_of"].str.strip()
    table["count"] = table["count"].astype(int)
    table["year"] = table["year"].astype(int)
    return table


#: a partial date: a year, a month or a day (``2007``, ``2007-11``, ``2007-11-03``)
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def partial_date(text: str) -> tuple[int, int | None, int | None]:
    """The one reader of the data's partial dates: ``'2004-09'`` -> ``(2004, 9, None)``.
    ValueError, naming the form, when ``text`` is not a real date as YYYY, YYYY-MM or YYYY-MM-DD
    (``'2007-02-30'`` and ``'2007-13'`` are not dates)."""
    match = PARTIAL_DATE.fullmatch(str(text).strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return year, month, day


def period_end(text: str) -> date:
    """The last day of the period a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date names."""
    year, month, day = partial_date(text)
    if month is None:
        return date(year, 12, 31)
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _real_date(as_of: str) -> bool:
    try:
        partial_date(as_of)
    except ValueError:
        return False
    return True


def decimal_year(as_of: str) -> float:
    """'2004-09' -> 2004.71 (mid-month); '2007' -> 2007.5 (mid-year)."""
    year, month, day = partial_date(as_of)
    if month is None:
        return year + 0.5
    if day is None:
        return year + (month - 0.5) / 12
    return year + (month - 1) / 12 + (day - 0.5) / 365


def model_norm(norm: str) -> str:
    """The model's name of a norm named in the data's words or the model's."""
    return NORM_NAMES.get(norm, norm)


def observed(path: str | Path, norm: str, start_year: int, pledge_type: str = "deed",
             units=("groups", "deeds"), until: int | None = None,
             since: int | None = None, *, norms=None, weeks: int | None = None,
             fit_until: int | None = None) -> pd.DataFrame:
    """Observed points of one norm (the data's or the model's name) and pledge type, as
    ``week, year, count, kind, source``; ``until``/``since`` keep years up to/from.

    Checked before anything runs, each with one message naming the file, the row and the value:
    the norm is one of the scenario's ``norms`` (when given); the filter selects at least one
    row; no two rows give different exact counts for one date (nor an exact count below a
    lower bound); with ``weeks`` (the run's length from week 0 at the start of ``start_year``),
    no date falls before the run's start or after its end; with ``fit_until``, every exact count
    fitted (up to that year) is at least 1 (a fit compares the model with it as a ratio)."""
    table = read_counts(path)
    if norms is not None and model_norm(norm) not in norms:
        raise _error(f"{path}: norm = '{norm}' is not in play in the scenario (its norms: "
                     f"{', '.join(norms)}); add '{model_norm(norm)}' to the scenario's norms, or "
                     "fit a norm it has")
    wanted = {norm, model_norm(norm)} | {k for k, v in NORM_NAMES.items() if v == norm}
    units = (units,) if isinstance(units, str) else tuple(units)
    sel = table[table["norm"].isin(wanted) & (table["pledge_type"] == pledge_type)
                & table["unit"].isin(units)]
    if until is not None:
        sel = sel[sel["year"] <= until]
    if since is not None:
        sel = sel[sel["year"] >= since]
    if sel.empty:
        years = "".join([f", from {since}" if since is not None else "",
                         f", up to {until}" if until is not None else ""])
        raise _error(f"{path}: no row has norm = '{norm}', pledge_type = '{pledge_type}' and unit "
                     f"in {list(units)}{years}: nothing to compare with. The file has norms "
                     f"{_listed(table['norm'])}, pledge types {_listed(table['pledge_type'])} "
                     f"and units {_listed(table['unit'])}")
    _check_agreement(sel, path)
    years = sel["as_of"].map(decimal_year)
    week = np.round((years - start_year) * WEEKS_PER_YEAR).astype(int)
    if weeks is not None:
        outside = sel[(week < 0) | (week > weeks)]
        if len(outside):
            i, row = next(outside.iterrows())
            end = start_year + weeks / WEEKS_PER_YEAR
            raise _error(f"{path}: row {i + 2}: as_of = {row['as_of']} is outside the run, which "
                         f"spans {_as_date(start_year)} to {_as_date(end)} ({weeks} weeks from "
                         f"the start of {start_year}); drop the row, or change start_year or the "
                         "run's length")
    if fit_until is not None:
        zero = sel[(sel["kind"] == "exact") & (sel["year"] <= fit_until) & (sel["count"] < 1)]
        if len(zero):
            i, row = next(zero.iterrows())
            raise _error(f"{path}: row {i + 2}: count = 0 on {row['as_of']} cannot be fitted: a "
                         "fit compares the model with each exact count as a ratio, so a fitted "
                         "count is at least 1; mark the row kind = lower_bound, or fit from a "
                         "later year")
    return pd.DataFrame({"week": week, "year": years, "count": sel["count"], "kind": sel["kind"],
                         "source": sel["source"]}).reset_index(drop=True)


def _check_agreement(sel: pd.DataFrame, path: Path) -> None:
    """No two rows of one date disagree: two exact counts differ, or an exact count lies below
    a lower bound."""
    for as_of, rows in sel.groupby("as_of", sort=True):
        exact = rows[rows["kind"] == "exact"]
        lower = rows[rows["kind"] == "lower_bound"]
        if exact["count"].nunique() > 1:
            a, b = exact.drop_duplicates("count").index[:2]
            raise _error(f"{path}: rows {a + 2} and {b + 2} give different exact counts for "
                         f"{as_of} ({sel.at[a, 'count']} and {sel.at[b, 'count']}): which one is "
                         "to be fitted? Keep one, or mark the other kind = lower_bound")
        if len(exact) and len(lower) and exact["count"].iloc[0] < lower["count"].max():
            a, b = exact.index[0], lower["count"].idxmax()
            raise _error(f"{path}: row {a + 2} gives exactly {sel.at[a, 'count']} for {as_of}, "
                         f"below the lower bound {sel.at[b, 'count']} of row {b + 2}")


def _listed(column: pd.Series) -> str:
    return ", ".join(f"'{v}'" for v in sorted(set(column)))


def _as_date(decimal: float) -> str:
    """A decimal year as a date in words, e.g. 2019.0 -> '1 January 2019'."""
    year = int(decimal)
    day = date(year, 1, 1) + timedelta(days=int(round((decimal - year) * 365)))
    return f"{day.day} {day:%B %Y}"
