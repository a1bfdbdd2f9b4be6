"""What the competing mechanisms of issue 20 cost per run (``make bench ARGS="--only mechanisms"``).

One run of the ``engager_peace_operation`` scenario at its defaults (600 fighters, 520 weeks,
build and table included; the peace operation is the one engager kind every mechanism acts on:
it deploys, gives support that can be owned, and meets communities), timed as process time with
every mechanism off (the model as shipped), with each of the seven of ``docs/ODD.md`` section
7.17 on alone at its default sizes, and with all on. Rounds interleave the configurations, so
the machine's load falls on all of them alike; a configuration's figure is its median over
rounds, a ratio the median over rounds of that round's ratio to all off.
"""

from __future__ import annotations

import statistics
import time

from normsim.simulation.run import run_model

SCENARIO = "engager_peace_operation"
SEED = 12345
#: each mechanism's switch, as a flat parameter (docs/ODD.md section 7.17)
MECHANISMS = {"presence": {"presence_enabled": True},
              "military_value": {"military_value_enabled": True},
              "contrast": {"reciprocity_story": "contrast"},
              "habit": {"habit_enabled": True},
              "below_top": {"below_top_enabled": True},
              "splinter_causes": {"splinter_causes_enabled": True},
              "ownership": {"ownership_enabled": True}}
ALL_ON = {k: v for switch in MECHANISMS.values() for k, v in switch.items()}
ALL_ON["reciprocity_story"] = "both"  # both stories: the most the reciprocity module can do


def cpu_seconds(params: dict, steps: int | None) -> float:
    """Process time of one run, its build and its tidy table."""
    start = time.process_time()
    run_model(params, SEED, steps=steps, scenario=SCENARIO).records()
    return time.process_time() - start


def measure_mechanisms(rounds: int, steps: int | None, log) -> dict[str, float]:
    """``key: value`` figures: ``mechanism_run_cpu_s_<name>`` and ``mechanism_cost_ratio_<name>``
    for every mechanism alone and ``all_on``, and ``mechanism_run_cpu_s_off``."""
    configs = {"off": {}, **MECHANISMS, "all_on": ALL_ON}
    cpu_seconds({}, 20)  # warm: first-call costs out of the figures
    times = {name: [] for name in configs}
    for r in range(rounds):
        for name, params in configs.items():
            times[name].append(cpu_seconds(params, steps))
        log(f"   mechanisms: round {r + 1} of {rounds} done")
    kv = {"mechanism_run_cpu_s_off": statistics.median(times["off"])}
    for name in configs:
        if name == "off":
            continue
        kv[f"mechanism_run_cpu_s_{name}"] = statistics.median(times[name])
        kv[f"mechanism_cost_ratio_{name}"] = statistics.median(
            t / off for t, off in zip(times[name], times["off"]))
    return kv


def report(kv: dict[str, float], rounds: int, steps: int | None) -> None:
    """The section's table."""
    weeks = f"{steps} weeks" if steps else "520 weeks"
    print(f"10. Mechanisms (issue 20): one run of {SCENARIO} (600 fighters, {weeks}, build and "
          f"table included), CPU time, median of {rounds} interleaved rounds")
    print(f"   {'all off':<16} {kv['mechanism_run_cpu_s_off']:.3f} s")
    for name in [*MECHANISMS, "all_on"]:
        label = "all on" if name == "all_on" else name
        print(f"   {label:<16} {kv[f'mechanism_run_cpu_s_{name}']:.3f} s  "
              f"{kv[f'mechanism_cost_ratio_{name}']:.2f}x")
    print()


def section(quick: bool, log) -> dict[str, float]:
    """The ``mechanisms`` section of ``benchmarks/run.py``: measure, print, return the figures."""
    rounds, steps = (1, 52) if quick else (5, None)
    kv = measure_mechanisms(rounds, steps, log)
    report(kv, rounds, steps)
    return kv
