"""A corpus of bad inputs, of every kind a user can give: scenario files, --set, the options of
'run' and 'sweep', experiment files, sweep folders (foreign, edited, damaged, locked), the
readers' options, Dask addresses, and the Python API's arguments. ``tests/test_bad_input.py``
walks it.

Each case says what must be named in the one message it gets ({d} stands for the case's own
folder). Expected words are written here by hand, from the schema's ranges and the documented
wording, never taken from the code's output.
"""

from __future__ import annotations

import json
import math

import numpy as np

import normsim
from bad_input_cases import (BIG_SEED, GOOD_EXPERIMENT, MAX_SEED, SMALL, TINY,
                             Case, _api_keyword, _bad_value, _damage, _experiment_api,
                             _hold_the_lock, _save_to, _sweep_with, _toml, api_case, exp_case,
                             experiment, folder_case, reader_case, run_case, scenario_case)
from normsim.settings.scenario import PARAMETERS

EXPERIMENTS = [
    exp_case("exp-not-utf8", ["not UTF-8"], GOOD_EXPERIMENT.encode() + b'\n# caf\xe9\n'),
    exp_case("exp-malformed", ["malformed TOML"], GOOD_EXPERIMENT + "\n[factors\n"),
    exp_case("exp-no-title", ["title", "Field required"], experiment(title="")),
    exp_case("exp-no-question", ["question", "Field required"], experiment(question="")),
    exp_case("exp-no-factors-table", ["factors", "Field required"],
             'title = "t"\nquestion = "q"\n'),
    exp_case("exp-empty-factors", ["at least one factor"], experiment(factors="")),
    exp_case("exp-run-steps-factor", ["factors.run.steps", "steps = N at the top"],
             experiment(factors='"run.steps" = { values = [10, 20] }')),
    exp_case("exp-run-seed-factor", ["factors.run.seed", "root_seed"],
             experiment(factors='"run.seed" = { values = [1, 2] }')),
    exp_case("exp-run-steps-fixed", ["fixed.run.steps", "steps = N at the top"],
             experiment(fixed='"run.steps" = 30')),
    exp_case("exp-run-seed-fixed", ["fixed.run.seed", "root_seed"],
             experiment(fixed='"run.seed" = 4')),
    exp_case("exp-record-every-factor", ["factors.run.record_every", "record_every = N"],
             experiment(factors='"run.record_every" = { values = [1, 2] }')),
    exp_case("exp-record-every-fixed", ["fixed.record_every", "record_every = N"],
             experiment(fixed="record_every = 2")),
    exp_case("exp-outcome-nonsense", ["design.outcome", "'nonsense'", "final_compliance"],
             experiment(tail='[design]\noutcome = "nonsense"')),
    exp_case("exp-design-kind", ["design.kind", "'grid'", "factorial"],
             experiment(tail='[design]\nkind = "grid"')),
    exp_case("exp-design-samples-0", ["design.samples", "= 0"],
             experiment(tail='[design]\nsamples = 0')),
    exp_case("exp-design-levels-1", ["design.levels", "= 1"],
             experiment(tail='[design]\nkind = "morris"\nlevels = 1',
                        factors='"dialogue.principled" = { min = 0.0, max = 1.0 }')),
    exp_case("exp-design-not-table", ["design", "5"], experiment(top="design = 5")),
    exp_case("exp-dotted-and-flat", ["factors.dialogue_principled", "factors.dialogue.principled",
                                     "same parameter"],
             experiment(factors='"dialogue.principled" = { values = [0.0, 1.0] }\n'
                                'dialogue_principled = { values = [0.5] }')),
    exp_case("exp-factor-and-fixed", ["fixed.group.fighters", "factors.group.fighters",
                                      "same parameter"],
             experiment(factors='"group.fighters" = { values = [10, 20] }')),
    exp_case("exp-unknown-factor", ["factors.group.nope", "not a model parameter"],
             experiment(factors='"group.nope" = { values = [1, 2] }')),
    exp_case("exp-misspelt-factor", ["factors.group.centralisaton", "did you mean group.centralisation"],
             experiment(factors='"group.centralisaton" = { values = [0.1, 0.2] }')),
    exp_case("exp-unknown-fixed", ["fixed.persuader.charm", "not a model parameter"],
             experiment(fixed='"persuader.charm" = 1')),
    exp_case("exp-section-as-factor", ["factors.group", "group is a section"],
             experiment(factors="group = { values = [1, 2] }")),
    exp_case("exp-unquoted-bad-value", ["group.insecurity = 7", "a number from 0 to 1"],
             experiment(factors="group.insecurity = { values = [0.5, 7] }")),
    exp_case("exp-empty-values", ["factors.group.insecurity", "values is empty"],
             experiment(factors='"group.insecurity" = { values = [] }')),
    exp_case("exp-empty-range", ["factors.group.insecurity", "empty range", "0.5"],
             experiment(factors='"group.insecurity" = { min = 0.5, max = 0.5 }',
                        tail='[design]\nkind = "lhs"')),
    exp_case("exp-inverted-range", ["factors.group.insecurity", "empty range", "0.9"],
             experiment(factors='"group.insecurity" = { min = 0.9, max = 0.1 }',
                        tail='[design]\nkind = "lhs"')),
    exp_case("exp-factor-nothing", ["factors.group.insecurity", "give values"],
             experiment(factors='"group.insecurity" = { }')),
    exp_case("exp-values-in-sobol", ["factors.group.insecurity", "a sobol design needs min and max"],
             experiment(factors='"group.insecurity" = { values = [0.1, 0.9] }',
                        tail='[design]\nkind = "sobol"')),
    exp_case("exp-range-in-factorial", ["factors.group.insecurity", "a factorial design needs values"],
             experiment(factors='"group.insecurity" = { min = 0.1, max = 0.9 }')),
    exp_case("exp-range-outside", ["factors.group.insecurity", "[0.0, 2.0]", "a number from 0 to 1"],
             experiment(factors='"group.insecurity" = { min = 0.0, max = 2.0 }',
                        tail='[design]\nkind = "lhs"')),
    exp_case("exp-bool-range", ["factors.group.core_goal_incompatible", "true or false"],
             experiment(factors='"group.core_goal_incompatible" = { min = 0.0, max = 1.0 }',
                        tail='[design]\nkind = "lhs"')),
    exp_case("exp-value-out-of-range", ["factors.group.insecurity", "group.insecurity = 7",
                                        "a number from 0 to 1"],
             experiment(factors='"group.insecurity" = { values = [0.5, 7] }')),
    exp_case("exp-value-wrong-type", ["factors.group.fighters", '"x"', "a whole number"],
             experiment(factors='"group.fighters" = { values = [10, "x"] }', fixed="",
                        ).replace('"group.fighters" = 20\n', "")),
    exp_case("exp-fixed-out-of-range", ["fixed", "group.centralisation = 3",
                                        "a number from 0 to 1"],
             experiment(fixed='"group.centralisation" = 3')),
    exp_case("exp-fixed-wrong-type", ["fixed", "principled = true",
                                      "a number from 0 to 1"],
             experiment(factors='"group.insecurity" = { values = [0.1, 0.2] }',
                        fixed='"dialogue.principled" = true')),
    exp_case("exp-replicates-0", ["replicates = 0"], GOOD_EXPERIMENT.replace("replicates = 2", "replicates = 0")),
    exp_case("exp-replicates-negative", ["replicates = -1"], GOOD_EXPERIMENT.replace("replicates = 2", "replicates = -1")),
    exp_case("exp-replicates-text", ["replicates = 'many'"], GOOD_EXPERIMENT.replace("replicates = 2", 'replicates = "many"')),
    exp_case("exp-steps-0", ["steps = 0"], GOOD_EXPERIMENT.replace("steps = 10", "steps = 0")),
    exp_case("exp-steps-huge", ["steps = 100001"], GOOD_EXPERIMENT.replace("steps = 10", "steps = 100001")),
    exp_case("exp-record-every-0", ["record_every = 0"], experiment(top="record_every = 0")),
    exp_case("exp-root-seed-negative", ["root_seed = -1"], GOOD_EXPERIMENT.replace("root_seed = 3", "root_seed = -1")),
    exp_case("exp-threshold-2", ["threshold = 2"], experiment(top="threshold = 2")),
    exp_case("exp-unknown-scenario", ["scenario = 'no_such_scenario'", "no scenario file"],
             GOOD_EXPERIMENT.replace('"baseline"', '"no_such_scenario"')),
    exp_case("exp-bad-scenario-file", ["scenario = 'base.toml'", "base.toml: group.centralisation = 1.5"],
             GOOD_EXPERIMENT.replace('"baseline"', '"base.toml"'),
             more_files={"base.toml": "[group]\ncentralisation = 1.5\n"}),
    exp_case("exp-unknown-top-key", ["replicats", "Extra inputs are not permitted"],
             experiment(top="replicats = 4")),
    exp_case("exp-factorial-too-big", ["100,000,000 conditions", "1,000,000 runs"],
             experiment(factors="\n".join(f'"{k}" = {{ values = {[round(i / 99, 4) for i in range(100)]} }}'
                                          for k in ("group.insecurity", "group.aspiration",
                                                    "group.people_war", "group.centralisation")))),
    exp_case("exp-runs-over-budget", ["12 conditions", "100,000 replicates", "1,200,000 runs"],
             GOOD_EXPERIMENT.replace("replicates = 2", "replicates = 100000").replace(
                 '"dialogue.principled" = { values = [0.0, 1.0] }',
                 '"dialogue.principled" = { values = [0.0, 1.0] }\n'
                 '"group.insecurity" = { values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] }')),
    exp_case("exp-sobol-over-budget", ["600,000 conditions", "1,200,000 runs", "1,000,000 runs"],
             experiment(factors="\n".join(f'"{k}" = {{ min = 0.0, max = 1.0 }}' for k in (
                 "group.insecurity", "group.aspiration", "group.people_war", "group.wing_split")),
                 tail='[design]\nkind = "sobol"\nsamples = 100000')),
    exp_case("exp-fixed-memory", ["100 group(s) of 5,000,000 fighters", "GB", "NORMSIM_MEMORY_GB"],
             experiment(fixed='"group.count" = 100').replace('"group.fighters" = 20',
                                                              '"group.fighters" = 5000000')),
    exp_case("exp-condition-memory", ["condition 1", "group_fighters = 5000000", "GB of memory"],
             experiment(factors='"group.fighters" = { values = [20, 5000000] }',
                        fixed='"group.count" = 10').replace('"group.fighters" = 20\n', "")),
    exp_case("exp-condition-window", ["factors.environment.peace_start_week", "peace_end_week = 20",
                                      "peace_start_week = 50"],
             experiment(factors='"environment.peace_start_week" = { values = [10, 50] }',
                        fixed='"environment.peace_end_week" = 20')),
    exp_case("exp-inline-section-bad", ["group.fighters", '"many"', "a whole number"],
             experiment(fixed="").replace('"group.fighters" = 20', 'group = { fighters = "many" }')),
    exp_case("sweep-replicates-0", ["--replicates", "0"], GOOD_EXPERIMENT, "--replicates", "0",
             names_file=False),
    exp_case("sweep-replicates-huge", ["replicates = 200000 (--replicates)", "100000"],
             GOOD_EXPERIMENT, "--replicates", "200000"),
    exp_case("sweep-steps-0", ["--steps", "0"], GOOD_EXPERIMENT, "--steps", "0", names_file=False),
    exp_case("sweep-steps-huge", ["steps = 100001 (--steps)", "100000"], GOOD_EXPERIMENT,
             "--steps", "100001"),
    exp_case("sweep-samples-0", ["--samples", "0"], GOOD_EXPERIMENT, "--samples", "0",
             names_file=False),
]
for address in ("not a url", "127.0.0.1:58071x", "tcp://127.0.0.1:99999", "http://127.0.0.1:8787",
                "", "tcp://127.0.0.1", "tcp://:8786", "tcp://host name:8786"):
    EXPERIMENTS.append(exp_case(f"sweep-scheduler-{address or 'empty'}", [f"--scheduler {address!r}",
                                                                       "tcp://HOST:PORT"],
                                GOOD_EXPERIMENT, "--scheduler", address, names_file=False))
for opt, value, words in (("--workers", "0", ["--workers", "0"]),
                          ("--give-up-after", "0", ["--give-up-after", "0"]),
                          ("--out", "", ["--out ''", "is empty"])):
    EXPERIMENTS.append(exp_case(f"sweep{opt}-{value or 'empty'}", words, GOOD_EXPERIMENT, opt, value,
                                names_file=False))


FOLDERS = [
    folder_case("folder-edited-steps", ["{d}/o", "another experiment", "steps: 10 -> 12"],
                text=GOOD_EXPERIMENT.replace("steps = 10", "steps = 12")),
    folder_case("folder-edited-values", ["another experiment", "factors.dialogue.principled.values",
                                         "[0.0, 0.5, 1.0]"],
                text=GOOD_EXPERIMENT.replace("[0.0, 1.0]", "[0.0, 0.5, 1.0]")),
    folder_case("folder-edited-seed", ["another experiment", "root_seed: 3 -> 4"],
                text=GOOD_EXPERIMENT.replace("root_seed = 3", "root_seed = 4")),
    folder_case("folder-edited-fixed", ["another experiment", "fixed.group.fighters: 20 -> 30"],
                text=GOOD_EXPERIMENT.replace('"group.fighters" = 20', '"group.fighters" = 30')),
    folder_case("folder-manifest-garbage", ["{d}/o/manifest.json", "damaged"],
                _damage("manifest.json", "{ not json")),
    folder_case("folder-manifest-empty", ["{d}/o/manifest.json", "damaged"], _damage("manifest.json", "")),
    folder_case("folder-manifest-list", ["{d}/o/manifest.json", "damaged", "lacks"],
                _damage("manifest.json", "[1, 2]")),
    folder_case("folder-manifest-keys", ["{d}/o/manifest.json", "lacks identity"],
                _damage("manifest.json", json.dumps({"title": "x"}))),
    folder_case("folder-manifest-binary", ["{d}/o/manifest.json", "damaged"],
                _damage("manifest.json", b"\xff\xfe\x00garbage")),
    folder_case("folder-locked", ["{d}/o"], _hold_the_lock),
    folder_case("folder-no-manifest", ["{d}/o", "not a sweep output folder"],
                _damage("manifest.json", None)),
]



for reader in ("summarize", "report"):
    FOLDERS += [
        reader_case(f"{reader}-manifest-garbage", ["{d}/o/manifest.json", "damaged"],
                    reader, "{d}/o", setup=_damage("manifest.json", "{ not json")),
        reader_case(f"{reader}-no-manifest", ["{d}/o", "not a sweep output folder"],
                    reader, "{d}/o", setup=_damage("manifest.json", None)),
        reader_case(f"{reader}-no-conditions", ["{d}/o/conditions.parquet", "is missing",
                                                "normsim sweep"],
                    reader, "{d}/o", setup=_damage("conditions.parquet", None)),
        reader_case(f"{reader}-damaged-conditions", ["{d}/o/conditions.parquet", "is damaged"],
                    reader, "{d}/o", setup=_damage("conditions.parquet", b"PAR1 garbage")),
        reader_case(f"{reader}-no-runs", ["{d}/o", "no finished runs"], reader, "{d}/o",
                    setup=lambda d: [p.unlink() for p in (d / "o" / "runs").iterdir()] and {}),
        reader_case(f"{reader}-all-runs-damaged", ["{d}/o", "no finished runs", "damaged"],
                    reader, "{d}/o",
                    setup=lambda d: [p.write_bytes(b"x") for p in (d / "o" / "runs").iterdir()] and {}),
        reader_case(f"{reader}-missing-folder", ["{d}/nowhere", "not a sweep output folder"],
                    reader, "{d}/nowhere"),
        reader_case(f"{reader}-threshold", ["--threshold", "1.5"], reader, "{d}/o",
                    "--threshold", "1.5"),
    ]
FOLDERS += [
    reader_case("plot-kind-nonsense", ["--kind 'nonsense'", "trajectories"], "plot", "{d}/o",
                "--kind", "nonsense"),
    reader_case("plot-out-jpg2", ["x.jpg2", ".jpg2 is not a figure format", ".png, .svg, .pdf"],
                "plot", "{d}/o", "--kind", "trajectories", "--out", "{d}/x.jpg2"),
    reader_case("plot-out-txt", ["notes.txt", ".txt is not a figure format"],
                "plot", "{d}/o", "--kind", "effect", "--out", "{d}/notes.txt"),
    reader_case("plot-format-clash", ["x.png", "--format is svg"], "plot", "{d}/o", "--kind",
                "trajectories", "--out", "{d}/x.png", "--format", "svg"),
    reader_case("plot-format-jpg", ["--format", "'jpg'"], "plot", "{d}/o", "--kind",
                "trajectories", "--format", "jpg"),
    reader_case("plot-factor-unknown", ["'group.nope' is not a factor", "{d}/o"], "plot", "{d}/o",
                "--kind", "effect", "--factor", "group.nope"),
    reader_case("plot-heatmap-one-factor", ["--kind heatmap needs two factors"], "plot", "{d}/o",
                "--kind", "heatmap"),
    reader_case("plot-sensitivity-factorial", ["--kind sensitivity", "factorial design"],
                "plot", "{d}/o", "--kind", "sensitivity"),
    reader_case("plot-effect-three-factors", ["--kind effect takes one or two --factor"], "plot",
                "{d}/o", "--kind", "effect", *["--factor", "dialogue.principled"] * 3),
    reader_case("plot-no-kind", ["--kind"], "plot", "{d}/o"),
    reader_case("plot-threshold", ["--threshold", "-0.5"], "plot", "{d}/o", "--kind",
                "trajectories", "--threshold", "-0.5"),
    reader_case("plot-broken-manifest", ["{d}/o/manifest.json", "damaged"], "plot", "{d}/o",
                "--kind", "trajectories", setup=_damage("manifest.json", "nope")),
    reader_case("report-out-is-file", ["{d}/o/manifest.json"], "report", "{d}/o", "--out",
                "{d}/o/manifest.json"),
]


RUNS = [
    scenario_case("scen-unknown-key", ["group.centralisaton", "did you mean group.centralisation"],
                  "[group]\ncentralisaton = 0.3\n"),
    scenario_case("scen-unknown-section", ["[grup]", "did you mean group"], "[grup]\nfighters = 3\n"),
    scenario_case("scen-malformed", ["malformed TOML"], "[group\nfighters = 3\n"),
    scenario_case("scen-not-utf8", ["cannot be read"], b"[group]\n# \xff\xfe\nfighters = 3\n"),
    scenario_case("scen-title-number", ["title = 5", "a text in quotes"], "title = 5\n"),
    scenario_case("scen-section-number", ["group must be a table", "5"], "group = 5\n"),
    scenario_case("scen-peace-window", ["peace_end_week = 10", "peace_start_week = 50"],
                  "[environment]\npeace_start_week = 50\npeace_end_week = 10\n"),
    scenario_case("scen-persuader-window", ["end_week = 10", "start_week = 50"],
                  "[persuader]\nstart_week = 50\nend_week = 10\n"),
    scenario_case("scen-steps-0", ["run.steps = 0", "from 1 to 100000"], "[run]\nsteps = 0\n"),
    scenario_case("scen-seed-negative", ["run.seed = -1", MAX_SEED], "[run]\nseed = -1\n"),
    scenario_case("scen-seed-huge", ["run.seed", MAX_SEED], "[run]\nseed = 9223372036854775808\n"),
    scenario_case("scen-bool-for-number", ["engager 1 (dialogue): reputation = true", "a number from 0 to 1"],
                  "[persuader]\nreputation = true\n"),
    scenario_case("scen-text-for-int", ["group.fighters", '"many"', "a whole number"],
                  '[group]\nfighters = "many"\n'),
    scenario_case("scen-float-for-int", ["group.fighters = 2.5", "a whole number"],
                  "[group]\nfighters = 2.5\n"),
    scenario_case("scen-table-for-field", ["group.fighters", "a table"],
                  "[group.fighters]\nn = 3\n"),
    scenario_case("scen-array-for-number", ["group.insecurity = [0.1, 0.2]", "a number from 0 to 1"],
                  "[group]\ninsecurity = [0.1, 0.2]\n"),
    scenario_case("scen-two-problems", ["2 problems", "group.insecurity", "reputation = -1.0"],
                  "[group]\ninsecurity = 2.0\n[persuader]\nreputation = -1.0\n"),
    scenario_case("scen-memory-fighters", ["100 group(s) of 5,000,000 fighters", "GB of memory",
                                           "group.fighters"],
                  "[group]\ncount = 100\nfighters = 5000000\n"),
    scenario_case("scen-memory-commanders", ["10,000,100,001 commanders each", "GB of memory",
                                             "units_per_commander"],
                  "[group]\noperational_commanders = 100000\nunits_per_commander = 100000\n"),
    scenario_case("scen-records-memory", ["100,000 weeks", "GB of memory", "record_every"],
                  "[group]\ncount = 100\nfighters = 10\n[run]\nsteps = 100000\n"),
    scenario_case("scen-time-budget", ["hours", "24 hours", "Lower steps"],
                  "[group]\ncount = 2\nfighters = 5000000\n[run]\nsteps = 100000\n"),
    run_case("scen-missing", ["no scenario file at 'no/such.toml'", "baseline"], "no/such.toml"),
    run_case("scen-directory", ["no scenario file at '{d}/sub'"], "{d}/sub",
             setup=lambda d: (d / "sub").mkdir() or {}),
    run_case("set-no-equals", ["--set", "group.centralisation", "expected KEY=VALUE"], "baseline",
             "--set", "group.centralisation"),
    run_case("set-no-value", ["--set", "expected KEY=VALUE"], "baseline", "--set", "group.fighters="),
    run_case("set-no-key", ["--set", "expected KEY=VALUE"], "baseline", "--set", "=5"),
    run_case("set-unknown", ["'group.nope' is not a parameter"], "baseline", "--set", "group.nope=1"),
    run_case("set-section", ["'group' is not a parameter", "group is a section"], "baseline",
             "--set", "group=5"),
    run_case("set-inline-table-range", ["group.fighters = 5000001", "from 1 to 5000000"],
             "baseline", "--set", "group={fighters=5000001}"),
    run_case("set-inline-table-unknown", ["group.nope", "not a parameter"], "baseline",
             "--set", "group={nope=1}"),
    run_case("set-text-for-number", ["group.centralisation", '"abc"', "a number from 0 to 1"],
             "baseline", "--set", "group.centralisation=abc"),
    run_case("set-array", ["group.fighters = [1, 2]", "a whole number"], "baseline",
             "--set", "group.fighters=[1,2]"),
    run_case("set-title-number", ["title = 5", "a text in quotes"], "baseline", "--set", "title=5"),
    run_case("set-run-steps", ["run.steps = 0"], "baseline", "--set", "run.steps=0"),
    run_case("set-memory", ["100 group(s) of 5,000,000 fighters", "GB of memory"], "baseline",
             "--set", "group.count=100", "--set", "group.fighters=5000000"),
    run_case("set-commanders", ["commanders each", "GB of memory"], "baseline",
             "--set", "group.operational_commanders=100000",
             "--set", "group.units_per_commander=100000"),
    run_case("opt-seed-negative", ["--seed = -1", MAX_SEED], "baseline", "--seed", "-1", *SMALL),
    run_case("opt-seed-huge", [f"--seed = {BIG_SEED}", MAX_SEED], "baseline", "--seed",
             str(BIG_SEED), *SMALL),
    run_case("opt-seed-just-over", ["--seed = 9223372036854775808", MAX_SEED], "baseline",
             "--seed", "9223372036854775808", *SMALL),
    run_case("opt-seed-text", ["--seed", "'abc'"], "baseline", "--seed", "abc"),
    run_case("opt-seed-float", ["--seed", "'1.5'"], "baseline", "--seed", "1.5"),
    run_case("opt-steps-0", ["--steps = 0", "from 1 to 100000"], "baseline", "--steps", "0"),
    run_case("opt-steps-negative", ["--steps = -5", "from 1 to 100000"], "baseline", "--steps", "-5"),
    run_case("opt-steps-over", ["--steps = 100001", "from 1 to 100000"], "baseline", "--steps", "100001"),
    run_case("opt-steps-huge", ["--steps = 10000000", "from 1 to 100000"], "baseline",
             "--steps", "10000000"),
    run_case("opt-steps-float", ["--steps", "'2.5'"], "baseline", "--steps", "2.5"),
    run_case("opt-out-empty", ["--out ''", "is empty"], "baseline", "--out", ""),
    run_case("opt-out-blank", ["--out ' '", "is empty"], "baseline", "--out", " "),
    run_case("opt-out-file", ["{d}/f", "is a file"], "baseline", "--steps", "3", *SMALL,
             "--out", "{d}/f", files={"f": "a file of mine\n"}),
    run_case("opt-out-foreign-folder", ["{d}/mine", "notes.txt", "nothing was changed"], "baseline",
             "--steps", "3", *SMALL, "--out", "{d}/mine", files={"mine/notes.txt": "keep me\n"}),
    run_case("opt-out-current-folder", ["'.'", "current folder"], "baseline", "--steps", "3",
             *SMALL, "--out", "."),
    run_case("opt-out-parent-folder", ["'..'", "current folder or holds it"], "baseline",
             "--steps", "3", *SMALL, "--out", ".."),
    run_case("opt-out-under-file", ["{d}/f"], "baseline", "--steps", "3", *SMALL, "--out",
             "{d}/f/sub", files={"f": "a file\n"}),
    run_case("opt-unknown", ["--nope"], "baseline", "--nope", "1"),
    run_case("opt-missing-scenario", ["SCENARIO"],),
]


API = [
    api_case("api-run-seed-negative", ["seed = -1", MAX_SEED], lambda d: normsim.run(TINY, seed=-1, steps=2)),
    api_case("api-run-seed-text", ['seed = "abc"', MAX_SEED], lambda d: normsim.run(TINY, seed="abc", steps=2)),
    api_case("api-run-seed-float", ["seed = 1.5", MAX_SEED], lambda d: normsim.run(TINY, seed=1.5, steps=2)),
    api_case("api-run-seed-huge", [f"seed = {2**64}", MAX_SEED], lambda d: normsim.run(TINY, seed=2**64, steps=2)),
    api_case("api-run-seed-bool", ["seed = true", MAX_SEED], lambda d: normsim.run(TINY, seed=True, steps=2)),
    api_case("api-run-seed-none", ["seed = None", MAX_SEED], lambda d: normsim.run(TINY, seed=None, steps=2)),
    api_case("api-run-steps-0", ["steps = 0", "from 1 to 100000"], lambda d: normsim.run(TINY, seed=1, steps=0)),
    api_case("api-run-steps-negative", ["steps = -5", "from 1 to 100000"], lambda d: normsim.run(TINY, steps=-5)),
    api_case("api-run-steps-float", ["steps = 2.5"], lambda d: normsim.run(TINY, steps=2.5)),
    api_case("api-run-steps-text", ['steps = "3"'], lambda d: normsim.run(TINY, steps="3")),
    api_case("api-run-steps-huge", ["steps = 100001"], lambda d: normsim.run(TINY, steps=100_001)),
    api_case("api-run-steps-numpy-float", ["steps = 3.0"], lambda d: normsim.run(TINY, steps=np.float64(3))),
    api_case("api-run-params-list", ["params = [1, 2]", "a mapping"], lambda d: normsim.run([1, 2])),
    api_case("api-run-params-text", ["params = 'group_fighters=3'", "a mapping"],
             lambda d: normsim.run("group_fighters=3")),
    api_case("api-run-unknown", ["'nope' is not a parameter"], lambda d: normsim.run({"nope": 1})),
    api_case("api-run-range", ["group.centralisation = 2.0", "a number from 0 to 1"],
             lambda d: normsim.run({"group_centralisation": 2.0})),
    api_case("api-run-nan", ["group.centralisation = nan"], lambda d: normsim.run({"group_centralisation": math.nan})),
    api_case("api-run-scenario-missing", ["no scenario file at 'no_such'"],
             lambda d: normsim.run(scenario="no_such")),
    api_case("api-run-memory", ["100 group(s) of 5,000,000 fighters", "GB of memory"],
             lambda d: normsim.run_model({"group_count": 100, "group_fighters": 5_000_000})),
    api_case("api-run-time", ["24 hours"], lambda d: normsim.run_model(
        {"group_count": 2, "group_fighters": 5_000_000}, steps=100_000)),
    api_case("api-model-seed-negative", ["rng (the seed) = -1", MAX_SEED],
             lambda d: normsim.NormDiffusionModel(rng=-1, **TINY)),
    api_case("api-model-seed-text", ['rng (the seed) = "x"'], lambda d: normsim.NormDiffusionModel(rng="x")),
    api_case("api-model-seed-float", ["rng (the seed) = 0.5"], lambda d: normsim.NormDiffusionModel(rng=0.5)),
    api_case("api-model-commanders", ["commanders each", "GB of memory"],
             lambda d: normsim.NormDiffusionModel(group_operational_commanders=100_000,
                                                  group_units_per_commander=100_000)),
    api_case("api-model-steps-0", ["steps = 0"], lambda d: normsim.NormDiffusionModel(rng=1, **TINY).run_model(0)),
    api_case("api-model-steps-negative", ["steps = -1"],
             lambda d: normsim.NormDiffusionModel(rng=1, **TINY).run_model(-1)),
    api_case("api-model-steps-text", ['steps = "5"'], lambda d: normsim.NormDiffusionModel(rng=1, **TINY).run_model("5")),
    api_case("api-model-type", ["group.fighters", '"many"'],
             lambda d: normsim.NormDiffusionModel(group_fighters="many")),
    api_case("api-load-missing", ["no scenario file at 'missing'"], lambda d: normsim.load("missing")),
    api_case("api-load-bad-set", ["--set", "expected KEY=VALUE"], lambda d: normsim.load("baseline", ["x"])),
    api_case("api-save-current-folder", ["current folder"], _save_to("")),
    api_case("api-save-generator-seed", ["save_run", "rng=42"], lambda d: __import__(
        "normsim.analysis.saved_run", fromlist=["save_run"]).save_run(
        normsim.NormDiffusionModel(rng=np.random.default_rng(1), **TINY), d / "out")),
    api_case("api-save-foreign", ["notes.txt", "nothing was changed"], _save_to("{d}/mine"),
             files={"mine/notes.txt": "keep\n"}),
    api_case("api-experiment-not-utf8", ["api.toml", "not UTF-8"], _experiment_api(),
             files={"api.toml": GOOD_EXPERIMENT.encode("utf-16")}),
    api_case("api-experiment-too-big", ["1,000,000 runs"], _experiment_api(), files={
        "api.toml": GOOD_EXPERIMENT.replace("replicates = 2", "replicates = 100000").replace(
            "[0.0, 1.0]", str([i / 20 for i in range(21)]))}),
    api_case("api-experiment-outcome", ["design.outcome", "not an outcome"], _experiment_api(),
             files={"api.toml": experiment(tail='[design]\noutcome = "final"')}),
    api_case("api-sweep-scheduler", ["--scheduler 'not a url'"],
             _experiment_api(_sweep_with("not a url")), files={"api.toml": GOOD_EXPERIMENT}),
    api_case("api-sweep-scheduler-port", ["--scheduler 'tcp://127.0.0.1:0'"],
             _experiment_api(_sweep_with("tcp://127.0.0.1:0")), files={"api.toml": GOOD_EXPERIMENT}),
]


SCHEMA = []
#: a scenario with an engager of each kind, for the parameters of that kind's section
KIND_SCENARIO = {"engager": "baseline", "dialogue": "baseline", "deed": "engager_deed",
                 "peace_operation": "engager_peace_operation"}
for i, (flat, (section, name)) in enumerate(PARAMETERS.items()):
    value, shown, allowed = _bad_value(section, name)
    engager = section in KIND_SCENARIO  # in an [[engager]] table: named there without its section
    base = KIND_SCENARIO.get(section, "baseline")
    words = ((f"{name} = {shown}" if engager else f"{section}.{name} = {shown}"), allowed)
    if section == "group" and name == "type":  # a type's message lists the types
        words = ("type = 'nope'" if i % 4 else 'type = "nope"', "is not a type of group")
    door = i % 4
    if door == 0:
        table = (f'[[engager]]\nkind = "{base if section != "engager" else "dialogue"}"\n'
                 if engager else f"[{section}]\n")
        kind = {"engager_deed": "deed", "engager_peace_operation": "peace_operation"}.get(
            base, "dialogue")
        table = f'[[engager]]\nkind = "{kind}"\n' if engager else table
        SCHEMA.append(scenario_case(f"schema-file-{section}.{name}", words,
                                    f"{table}{name} = {_toml(value)}\n"))
    elif door == 1:
        SCHEMA.append(run_case(f"schema-set-{section}.{name}", ("--set", *words), base,
                               "--set", f"{section}.{name}={_toml(value)}", "--out", "{d}/out"))
    elif door == 2:
        SCHEMA.append(api_case(f"schema-api-{flat}", words, _api_keyword(flat, value, base)))
    else:
        factor = ('"group.insecurity" = { values = [0.1, 0.2] }' if engager or section == "group"
                  else '"dialogue.principled" = { values = [0.0, 1.0] }')
        text = experiment(factors=factor, fixed=f'"{section}.{name}" = {_toml(value)}')
        text = text.replace('scenario = "baseline"', f'scenario = "{base}"')
        base_line = next((line for line in text.splitlines()[:12]
                          if line.startswith(f'"{section}.{name}" =')), None)
        if base_line:  # set in the base experiment already: TOML allows a key once
            text = text.replace(base_line + "\n", "", 1)
        SCHEMA.append(exp_case(f"schema-fixed-{section}.{name}", ("fixed", *words), text))

from bad_input_adapters import ADAPTERS, GIVE_UP  # noqa: E402  (the adapters' arguments)
from bad_input_files import DATA, DATES, POPULATIONS  # noqa: E402  (population and data files)
from bad_input_posterior import POSTERIORS  # noqa: E402  (posterior designs)

CORPUS: list[Case] = EXPERIMENTS + FOLDERS + RUNS + API + SCHEMA + ADAPTERS + GIVE_UP + POPULATIONS + DATA + DATES + POSTERIORS
BY_ID = {c.id: c for c in CORPUS}
assert len(BY_ID) == len(CORPUS), [k for k in BY_ID if [c.id for c in CORPUS].count(k) > 1]

