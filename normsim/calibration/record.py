"""The dated record a calibration may see: counts and events up to its cutoff, and how complete
the event list is against the published totals.

Blindness rests on one rule, applied here and nowhere else: a row is *known at the cutoff* when
the whole period its date names has ended by then (``2007-11`` ends on 30 November 2007,
``2007`` on 31 December 2007: :func:`normsim.settings.data.period_end`, beside the one reader of
the data's partial dates). :func:`known_counts` keeps only such rows of a counts file, so a
calibration never reads anything dated later; ``tests/test_calibration_blind.py`` changes every
later row and checks that the posterior stays the same to the last digit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from normsim.settings.data import DATA_DIR, NORM_NAMES, decimal_year, period_end, read_counts

EVENTS_FILE = "signing_events.csv"
EVENT_COLUMNS = ("date", "date_precision", "event", "norm", "pledge_type", "group", "country",
                 "n_groups", "collective", "source", "locator", "quote", "note")


def known_counts(path: str | Path, norm: str, start_year: int, cutoff: date,
                 pledge_type: str = "deed", units=("groups", "deeds")) -> pd.DataFrame:
    """The exact and lower-bound counts of one norm dated (``as_of``) on or before ``cutoff``, as
    ``week, year, as_of, count, kind, source`` -- what a calibration with that cutoff may fit."""
    table = _select(read_counts(path), norm, pledge_type, units)
    table = table[table["as_of"].map(period_end) <= cutoff]
    return _points(table, start_year)


def later_counts(path: str | Path, norm: str, start_year: int, cutoff: date,
                 pledge_type: str = "deed", units=("groups", "deeds")) -> pd.DataFrame:
    """The counts dated after ``cutoff``: the held-out targets (read only after fitting)."""
    table = _select(read_counts(path), norm, pledge_type, units)
    table = table[table["as_of"].map(period_end) > cutoff]
    return _points(table, start_year)


def _select(table: pd.DataFrame, norm: str, pledge_type: str, units) -> pd.DataFrame:
    wanted = {norm} | {k for k, v in NORM_NAMES.items() if v == norm}
    return table[table["norm"].isin(wanted) & (table["pledge_type"] == pledge_type)
                 & table["unit"].isin(units)]


def _points(table: pd.DataFrame, start_year: int) -> pd.DataFrame:
    years = table["as_of"].map(decimal_year).astype(float)
    return pd.DataFrame({"week": ((years - start_year) * 52).round().astype(int),
                         "year": years, "as_of": table["as_of"], "count": table["count"],
                         "kind": table["kind"], "source": table["source"]}).reset_index(drop=True)


def read_events(path: str | Path = EVENTS_FILE) -> pd.DataFrame:
    """``data/signing_events.csv``: one row per dated signature, delisting or relisting."""
    path = Path(path)
    if not path.is_file() and (DATA_DIR / path).is_file():
        path = DATA_DIR / path
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["ends"] = table["date"].map(period_end)
    table["n"] = pd.to_numeric(table["n_groups"], errors="coerce")
    return table


def completeness(norm: str = "landmines", pledge_type: str = "deed",
                 counts_file: str = "commitments_mines.csv",
                 events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per published total of ``norm`` signatories: how many signatures the event list names by
    that date (rows of unknown size counted apart), and the share of the total they make."""
    events = read_events() if events is None else events
    sig = events[(events["norm"] == norm) & (events["pledge_type"] == pledge_type)
                 & (events["event"] == "signature")]
    totals = _select(read_counts(counts_file), norm, pledge_type, ("groups", "deeds"))
    rows = []
    for t in totals.itertuples():
        by = sig[sig["ends"] <= period_end(t.as_of)]
        named = int(by["n"].sum())
        rows.append({"as_of": t.as_of, "published_total": int(t.count), "unit": t.unit,
                     "kind": t.kind, "source": t.source, "events_listed": named,
                     "rows_of_unknown_size": int(by["n"].isna().sum()),
                     "share_listed": round(named / t.count, 2)})
    return pd.DataFrame(rows)
