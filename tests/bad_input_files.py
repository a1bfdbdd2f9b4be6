"""Bad population files (through ``normsim run`` on a scenario that names them, and the
scenario's engagers against them) and bad data files (through :func:`normsim.settings.data.observed`,
which calibration and the app's observed counts read): one message each, naming the file, the
field or row, the value and what is allowed. Expected words are written by hand."""

from __future__ import annotations

from bad_input_cases import api_case, run_case

GOOD_POPULATION = """title = "bad input test"
groups = 6
countries = 2
[[type]]
key = "secessionist"
share = 0.5
fighters = { min = 10, max = 20 }
aspiration = { mean = 0.8, sd = 0.1 }
[[type]]
key = "peoples_war"
share = 0.5
fighters = 12
"""
SCENARIO = 'population = "p.toml"\n[group]\nunits_per_commander = 2\n[run]\nsteps = 3\n'


def population_case(id, words, population, scenario=SCENARIO):
    return run_case(id, ["p.toml", *words], "{d}/s.toml", "--out", "{d}/out",
                    files={"s.toml": scenario, "p.toml": population})


def _set(line: str, new: str) -> str:
    assert line in GOOD_POPULATION, line
    return GOOD_POPULATION.replace(line, new)


SPREAD = "fighters = { min = 10, max = 20 }"
POPULATIONS = [
    population_case("pop-single-text", ['fighters = "many"', "a whole number from 1 to 5000000",
                                        "or a spread"], _set(SPREAD, 'fighters = "many"')),
    population_case("pop-single-nan", ["fighters = nan", "a whole number"],
                    _set(SPREAD, "fighters = nan")),
    population_case("pop-single-list", ["fighters = [1, 2]", "a whole number"],
                    _set(SPREAD, "fighters = [1, 2]")),
    population_case("pop-single-negative", ["type 2 (peoples_war)", "fighters = -5",
                                            "from 1 to 5000000"],
                    _set("fighters = 12", "fighters = -5")),
    population_case("pop-single-fraction", ["fighters = 2.5", "a whole number"],
                    _set("fighters = 12", "fighters = 2.5")),
    population_case("pop-single-range", ["aspiration = 1.5", "a number from 0 to 1"],
                    GOOD_POPULATION + "aspiration = 1.5\n"),
    population_case("pop-single-bool-text", ['core_goal_incompatible = "yes"', "true or false"],
                    GOOD_POPULATION + 'core_goal_incompatible = "yes"\n'),
    population_case("pop-spread-negative-fighters", ["type 1 (secessionist)", "min = -10",
                                                     "outside the range of fighters"],
                    _set(SPREAD, "fighters = { min = -10, max = 20 }")),
    population_case("pop-spread-mean-outside", ["aspiration", "mean = 1.4",
                                                "a number from 0 to 1"],
                    _set("aspiration = { mean = 0.8, sd = 0.1 }",
                         "aspiration = { mean = 1.4, sd = 0.1 }")),
    population_case("pop-spread-nan", ["aspiration", "mean", "finite"],
                    _set("aspiration = { mean = 0.8, sd = 0.1 }",
                         "aspiration = { mean = nan, sd = 0.1 }")),
    population_case("pop-spread-inf-sd", ["aspiration", "sd", "finite"],
                    _set("aspiration = { mean = 0.8, sd = 0.1 }",
                         "aspiration = { mean = 0.8, sd = inf }")),
    population_case("pop-spread-negative-sd", ["aspiration", "sd"],
                    _set("aspiration = { mean = 0.8, sd = 0.1 }",
                         "aspiration = { mean = 0.8, sd = -0.1 }")),
    population_case("pop-spread-inverted", ["fighters", "min = 20.0 is above max = 10.0"],
                    _set(SPREAD, "fighters = { min = 20, max = 10 }")),
    population_case("pop-spread-half", ["fighters", "give mean (and sd) or min and max"],
                    _set(SPREAD, "fighters = { min = 10 }")),
    population_case("pop-spread-text", ["fighters", "min"],
                    _set(SPREAD, 'fighters = { min = "ten", max = 20 }')),
    population_case("pop-spread-of-switch", ["core_goal_incompatible", "true or false",
                                             "only numbers can spread"],
                    GOOD_POPULATION + "core_goal_incompatible = { mean = 0.5, sd = 0.1 }\n"),
    population_case("pop-unknown-setting", ["'charisma' is not a group setting"],
                    GOOD_POPULATION + "charisma = 0.5\n"),
    population_case("pop-count-setting", ["'count' is not a group setting a population can spread"],
                    GOOD_POPULATION + "count = 3\n"),
    population_case("pop-lifetime-negative", ["lifetime", "mean = -5", "at least 52 weeks"],
                    GOOD_POPULATION + "[emergence]\nlifetime = { mean = -5, sd = 1 }\n"),
    population_case("pop-lifetime-short-min", ["lifetime", "min = 10", "at least 52 weeks"],
                    GOOD_POPULATION + "[emergence]\nlifetime = { min = 10, max = 100 }\n"),
    population_case("pop-lifetime-too-long", ["lifetime", "mean = 100001",
                                              "100000 weeks"],
                    GOOD_POPULATION + "[emergence]\nlifetime = { mean = 100001 }\n"),
    population_case("pop-window", ["last_week = 5 is before first_week = 10"],
                    GOOD_POPULATION + "[emergence]\nfirst_week = 10\nlast_week = 5\n"),
    population_case("pop-shares", ["the types' shares add up to 0.8"],
                    GOOD_POPULATION.replace("share = 0.5\nfighters = 12", "share = 0.3\nfighters = 12")),
    population_case("pop-share-nan", ["share"], _set("share = 0.5\nfighters = 12",
                                                     "share = nan\nfighters = 12")),
    population_case("pop-type-unknown", ['"warlords"', "is not a type of group"],
                    GOOD_POPULATION.replace('key = "peoples_war"', 'key = "warlords"')),
    population_case("pop-groups-0", ["groups = 0"], GOOD_POPULATION.replace("groups = 6", "groups = 0")),
    population_case("pop-groups-text", ["groups = 'six'"],
                    GOOD_POPULATION.replace("groups = 6", 'groups = "six"')),
    population_case("pop-no-types", ["type"], 'groups = 3\n'),
    population_case("pop-malformed", ["malformed TOML"], GOOD_POPULATION + "[emergence\n"),
    population_case("pop-not-utf8", ["not UTF-8"], GOOD_POPULATION.encode() + b"# caf\xe9\n"),
    run_case("pop-missing", ["no population file at 'nowhere.toml'"], "{d}/s.toml", "--out",
             "{d}/out", files={"s.toml": SCENARIO.replace("p.toml", "nowhere.toml")}),
    population_case("pop-engager-group-over", ["s.toml", "engager 1 (dialogue)", "groups [500]",
                                               "numbered 0 to 5", "6 in population"],
                    GOOD_POPULATION,
                    SCENARIO + '[[engager]]\nkind = "dialogue"\ngroups = [0, 500]\n'),
    population_case("pop-engager-group-negative", ["engager 1 (dialogue)", "groups [-1]",
                                                   "numbered 0 to 5"],
                    GOOD_POPULATION, SCENARIO + '[[engager]]\nkind = "dialogue"\ngroups = [-1]\n'),
    run_case("pop-engager-groups-all", ["{d}/s.toml", 'groups = "all"', "a list of whole numbers",
                                        "leave groups out to engage every group"],
             "{d}/s.toml", "--out", "{d}/out", files={
                 "p.toml": GOOD_POPULATION,
                 "s.toml": SCENARIO + '[[engager]]\nkind = "dialogue"\ngroups = "all"\n'}),
]

HEADER = "year,as_of,norm,pledge_type,unit,count,kind,source,quote\n"
ROW = "2003,2003-06,landmines,deed,groups,20,exact,S,q\n"


def data_case(id, words, text, **kw):
    args = {"norm": "mines", "start_year": 2000, **kw}

    def call(d):
        from normsim.settings.data import observed
        return observed(d / "c.csv", args.pop("norm"), args.pop("start_year"), **args)
    return api_case(id, ["c.csv", *words], call, files={"c.csv": text})


DATA = [
    data_case("data-empty", ["is empty", "header line"], ""),
    data_case("data-header-only", ["no rows"], HEADER),
    data_case("data-missing-column", ["missing column", "source"],
              HEADER.replace("source,", "") + ROW.replace("S,", "")),
    data_case("data-year-text", ["row 2", "year = 'MMIII'", "four digits"],
              HEADER + ROW.replace("2003,", "MMIII,", 1)),
    data_case("data-year-disagrees", ["row 2", "year = 2004", "as_of = 2003-06", "disagree"],
              HEADER + ROW.replace("2003,", "2004,", 1)),
    data_case("data-month-13", ["row 2", "as_of = '2003-13'", "a real date"],
              HEADER + ROW.replace("2003-06", "2003-13")),
    data_case("data-february-30", ["row 2", "as_of = '2003-02-30'", "a real date"],
              HEADER + ROW.replace("2003-06", "2003-02-30")),
    data_case("data-date-words", ["as_of = 'June 2003'"], HEADER + ROW.replace("2003-06", "June 2003")),
    data_case("data-count-text", ["row 2", "count = 'twenty'", "a whole number"],
              HEADER + ROW.replace(",20,", ",twenty,")),
    data_case("data-count-negative", ["row 2", "count = '-3'"], HEADER + ROW.replace(",20,", ",-3,")),
    data_case("data-kind", ["row 2", "kind = 'about'", "exact, lower_bound"],
              HEADER + ROW.replace("exact", "about")),
    data_case("data-no-source", ["row 2", "source is empty"], HEADER + ROW.replace(",S,", ",,")),
    data_case("data-count-0-fitted", ["row 3", "count = 0 on 2001", "cannot be fitted",
                                      "at least 1"],
              HEADER + ROW + "2001,2001,landmines,deed,groups,0,exact,S,q\n", fit_until=2007),
    data_case("data-conflict", ["rows 2 and 3", "different exact counts", "2003-06", "20 and 26"],
              HEADER + ROW + ROW.replace(",20,", ",26,").replace("groups", "deeds")),
    data_case("data-below-bound", ["row 2", "exactly 20", "below the lower bound 25", "row 3"],
              HEADER + ROW + ROW.replace(",20,", ",25,").replace("exact", "lower_bound")),
    data_case("data-filter-norm", ["norm = 'children'", "nothing to compare", "'landmines'"],
              HEADER + ROW, norm="children"),
    data_case("data-filter-pledge", ["pledge_type = 'action_plan'", "pledge types 'deed'"],
              HEADER + ROW, pledge_type="action_plan"),
    data_case("data-filter-unit", ["unit in ['signatures']", "units 'groups'"], HEADER + ROW,
              units=("signatures",)),
    data_case("data-filter-years", ["up to 2001", "nothing to compare"], HEADER + ROW, until=2001),
    data_case("data-norm-not-in-scenario", ["norm = 'mines' is not in play", "civilians"],
              HEADER + ROW, norms=["civilians"]),
    data_case("data-after-run", ["row 3", "as_of = 2019-05", "outside the run",
                                 "1 January 2000 to 1 January 2010"],
              HEADER + ROW + "2019,2019-05,landmines,deed,groups,60,exact,S,q\n", weeks=520),
    data_case("data-before-run", ["row 2", "as_of = 2003-06", "outside the run"],
              HEADER + ROW, start_year=2005, weeks=520),
]
DATA.append(api_case("data-missing", ["no data file at", "nowhere.csv", "commitments_mines.csv"],
                     lambda d: __import__("normsim.settings.data", fromlist=["observed"]).observed(
                         d / "nowhere.csv", "mines", 2000)))

#: a TOML date or time where a number belongs: shown as written, never as datetime.date(...)
from bad_input_cases import GOOD_EXPERIMENT, exp_case, scenario_case  # noqa: E402

DATES = [
    scenario_case("scen-date-for-number", ["group.fighters = 1979-05-27", "a whole number"],
                  "[group]\nfighters = 1979-05-27\n"),
    scenario_case("scen-time-for-number", ["group.insecurity = 07:32:00", "a number from 0 to 1"],
                  "[group]\ninsecurity = 07:32:00\n"),
    exp_case("exp-date-replicates", ["replicates = 1979-05-27"],
             GOOD_EXPERIMENT.replace("replicates = 2", "replicates = 1979-05-27")),
    exp_case("exp-date-fixed", ["group.fighters = 1979-05-27"],
             GOOD_EXPERIMENT.replace('"group.fighters" = 20', '"group.fighters" = 1979-05-27')),
    population_case("pop-date-groups", ["groups = 1979-05-27"],
                    GOOD_POPULATION.replace("groups = 6", "groups = 1979-05-27")),
    population_case("pop-date-setting", ["fighters = 1979-05-27", "a whole number"],
                    _set("fighters = 12", "fighters = 1979-05-27")),
]
