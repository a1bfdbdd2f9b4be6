"""The dated event list (``data/signing_events.csv``) and its sources, checked as data: every
row carries a source that ``data/sources.csv`` defines, a locator and the source's words; its
date and precision agree; every source key a note names exists; and the yearly table in
``data/README.md`` says what the list holds."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from normsim.calibration.record import read_events
from normsim.settings.data import DATA_DIR

EVENTS = ("signature", "delisting", "relisting")
NORMS = ("landmines", "child_recruitment", "sexual_violence")
PLEDGES = ("deed", "un_action_plan")
PRECISION = {4: "year", 7: "month", 10: "day"}  # length of YYYY, YYYY-MM, YYYY-MM-DD
KEY = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # source keys: UPPER_CASE with '_'


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return read_events()


@pytest.fixture(scope="module")
def source_keys() -> set[str]:
    sources = pd.read_csv(DATA_DIR / "sources.csv", dtype=str, keep_default_na=False)
    assert sources["key"].is_unique, sources["key"][sources["key"].duplicated()].tolist()
    return set(sources["key"])


def row_problems(row, source_keys: set[str]) -> list[str]:
    """What is wrong with one event row, in words (empty when nothing is)."""
    problems = []
    if row["source"] not in source_keys:
        problems.append(f"source {row['source']!r} is not a key of sources.csv")
    for column in ("group", "country", "locator", "quote"):
        if not row[column].strip():
            problems.append(f"{column} is empty")
    if PRECISION.get(len(row["date"])) != row["date_precision"]:
        problems.append(f"date {row['date']!r} does not have precision {row['date_precision']!r}")
    for column, allowed in (("event", EVENTS), ("norm", NORMS), ("pledge_type", PLEDGES)):
        if row[column] not in allowed:
            problems.append(f"{column} {row[column]!r} is not one of {allowed}")
    if row["n_groups"] and not (row["n_groups"].isdigit() and int(row["n_groups"]) >= 1):
        problems.append(f"n_groups {row['n_groups']!r} is not a whole number of groups")
    problems += [f"the note names {key!r}, not a key of sources.csv"
                 for key in KEY.findall(row["note"]) if key not in source_keys]
    return problems


def test_every_event_row_is_sourced_dated_and_named(events, source_keys):
    bad = {f"row {i + 2}": p for i, row in events.iterrows() if (p := row_problems(row, source_keys))}
    assert not bad, bad


def test_the_row_check_sees_an_unsourced_row(events, source_keys):
    row = events.iloc[0].copy()
    row["source"], row["quote"], row["note"] = "NO_SUCH_SOURCE", " ", "see ALSO_MISSING"
    row["date"], row["date_precision"] = "2002-11", "day"
    problems = row_problems(row, source_keys)
    assert len(problems) == 4, problems


def test_the_readme_yearly_table_counts_what_the_list_holds(events):
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    mines = events[(events["norm"] == "landmines") & (events["pledge_type"] == "deed")
                   & (events["event"] == "signature")]
    per_year = mines.groupby(mines["ends"].map(lambda d: d.year))["n"].sum()
    running = 0
    for year in range(2000, 2018):
        listed = int(per_year.get(year, 0))
        running += listed
        assert f"| {year} | {listed} | {running} |" in text, (year, listed, running)
