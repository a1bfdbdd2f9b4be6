#!/usr/bin/env python
"""normsim speed benchmarks (``make bench``): a table, then one ``key: value`` line per figure.

Sections (``--only`` takes these names, comma-separated):

  step        fighter-steps per second of a full model step (every agent kind, records at the
              default period) at 10^3 ... 10^6 fighters, one group, units of ~50 fighters
  peer        the fighter update alone against the same rule written as a per-agent Mesa model
              (``benchmarks/mesa_baseline.py``), the world above the fighters held fixed, at
              10^4 and 10^5
  scaling     per-fighter cost of a full step at 10^6 relative to 10^4 (linear = 1)
  memory      peak memory per fighter and build time, each size in a fresh subprocess
  sweeps      runs per minute of ``normsim sweep`` on 1 and 2 local workers and on a 2-worker Dask
              cluster on 127.0.0.1 (child processes, all CPUs); peak memory at few and many runs
  record      share of a full step spent in ``model.collect()`` (data collection)
  run         CPU time of one default run (600 fighters, 520 weeks, build and table included),
              alone and with its twin; and per run in a batch of 32 such runs (the batch engine)
  population  wall time of one run of 200 groups of 300 fighters for 1,040 weeks on one core
              (issue 11's target: 20 s), build, weekly records and table included, in a fresh
              subprocess; its peak memory
  calibration simulations per minute of the shipped calibration (``mine_ban`` to 2007) on two
              forked workers with every CPU
  mechanisms  CPU time of one run with the competing mechanisms all off, each on alone and all on,
              and the ratios to all off (``benchmarks/mechanisms.py``)

``--against REF`` measures ``run`` and ``calibration`` side by side with commit REF's code
(interleaved rounds, each in a child process; see ``benchmarks/whole_runs.py``).

The machine is noisy: every figure is a median over repeats, and every ratio is taken between
measurements made side by side (interleaved rounds) in the same run, then its median over rounds.
The process is pinned to one CPU (``--no-pin`` to keep the affinity it has).

``--quick`` runs small sizes (a smoke test, a few seconds). ``--profile`` runs pyinstrument (if
installed) and a statement-level timer on a full model step at ``--fighters`` (10^5) fighters in
one group, or, with ``--groups G``, on ``G`` groups of ``--fighters`` each at the default group
settings (``--groups 200 --fighters 300``: the population run).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: no hidden thread pools

import argparse
import ast
import gc
import inspect
import json
import math
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import mesa  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks import mechanisms as mechanism_costs, mesa_baseline  # noqa: E402
from benchmarks.sweeps import EXPERIMENT as SWEEP_EXPERIMENT, measure_sweeps  # noqa: E402
from benchmarks.whole_runs import (ROOT as TREE, measure_batch, measure_calibration,  # noqa: E402
                                   measure_runs, previous_tree)
from normsim.simulation.model import NormDiffusionModel  # noqa: E402

SECTIONS = ("step", "peer", "scaling", "memory", "sweeps", "record", "run", "population",
            "calibration", "mechanisms")
#: issue 19's table: key, target, whether more is better
TARGETS = [("sweep_steady_runs_per_min_1", 500, True), ("sweep_steady_runs_per_min_2", 900, True),
           ("default_run_cpu_s", 0.2, False), ("twin_cost_ratio", 1.2, False),
           ("calibration_sims_per_min_2", 1000, True), ("fighter_steps_per_s_1e5", 15e6, True),
           ("population_run_s_200x1040", 5, False), ("ratio_vs_mesa_1e5", 134, True)]
FIGHTERS_PER_UNIT = 50
OPERATIONAL = 3
SEED = 12345


def label(n: int) -> str:
    """10000 -> '1e4' (the suffix of the machine-readable keys)."""
    e = round(math.log10(n))
    return f"1e{e}" if 10 ** e == n else str(n)


def model_params(n: int) -> dict:
    """One group of ``n`` fighters; units scaled to keep ~50 fighters each."""
    return {"group_fighters": n, "group_operational_commanders": OPERATIONAL,
            "group_units_per_commander": max(1, round(n / (FIGHTERS_PER_UNIT * OPERATIONAL)))}


def build_model(n: int) -> NormDiffusionModel:
    return NormDiffusionModel(rng=SEED, **model_params(n))


def med(values) -> float:
    return float(statistics.median(values)) if values else math.nan


def fmt_rate(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


# -- 1, 3, 6: full model steps, with collect() timed separately ------------------------------------
def measure_steps(sizes, rounds, target_s, out, log):
    """Interleaved rounds over every size: in each round, each model runs a few steps."""
    models, rec, steps_per_round = {}, {}, {}
    for n in sizes:
        t0 = time.perf_counter()
        model = build_model(n)
        out[f"build_inprocess_s_{label(n)}"] = time.perf_counter() - t0
        times: list[float] = []
        original = model.collect

        def timed_record(original=original, times=times):
            t = time.perf_counter()
            original()
            times.append(time.perf_counter() - t)

        model.collect = timed_record  # model.step() calls self.collect(): now timed
        rec[n] = times
        warm = []
        for _ in range(3):
            t = time.perf_counter()
            model.step()
            warm.append(time.perf_counter() - t)
        steps_per_round[n] = max(2, min(200, round(target_s / min(warm))))
        models[n] = model
        log(f"  built {n:>9,} fighters in {out[f'build_inprocess_s_{label(n)}']:.2f} s, "
            f"{steps_per_round[n]} steps per round")

    step_t = defaultdict(list)  # every timed step
    rec_t = defaultdict(list)  # collect() time within it (0 when it did not record)
    round_median = defaultdict(list)  # per round, per size
    for _ in range(rounds):
        for n in sizes:
            model, mine = models[n], []
            for _ in range(steps_per_round[n]):
                before = len(rec[n])
                t = time.perf_counter()
                model.step()
                dt = time.perf_counter() - t
                mine.append(dt)
                step_t[n].append(dt)
                rec_t[n].append(rec[n][-1] if len(rec[n]) > before else 0.0)
            round_median[n].append(med(mine))

    results = {}
    for n in sizes:
        m = models[n]
        results[n] = {
            "units": m.fighters.n_units, "agents": len(m.agents), "step_s": med(step_t[n]),
            "record_s": med(rec_t[n]),
            "record_share": med([r / s for r, s in zip(rec_t[n], step_t[n])]),
            "steps": len(step_t[n]), "round_median": round_median[n],
            "record_every": m.record_every,
        }
        results[n]["rate"] = n / results[n]["step_s"]
    models.clear()
    gc.collect()
    return results


def scaling_ratio(results, small, big) -> float:
    """Median over rounds of (per-fighter step cost at big) / (per-fighter cost at small)."""
    a, b = results[small]["round_median"], results[big]["round_median"]
    return med([(tb / big) / (ta / small) for ta, tb in zip(a, b)])


# -- 2: the fighter update against the per-agent Mesa peer ---------------------------------------
def measure_peer(sizes, rounds, target_s, log):
    """Interleaved rounds: array fighter updates, then the per-agent Mesa step, then array updates
    again (a sandwich, so that both halves see the caches the peer leaves behind), and full
    normsim model steps the same way; ratios are taken per round."""
    results = {}
    for n in sizes:
        world, cc, fc = mesa_baseline.build(n, seed=SEED)  # one group, mid-run
        t0 = time.perf_counter()
        peer = mesa_baseline.PerAgentFighterModel(world, cc, fc, rng=SEED)  # same initial state
        peer_build = time.perf_counter() - t0
        full = build_model(n)
        rng = np.random.default_rng(SEED)
        week = lambda: mesa_baseline.cohort_week(world, fc, rng)  # noqa: E731

        def timed(fn, k):
            out = []
            for _ in range(k):
                t = time.perf_counter()
                fn()
                out.append(time.perf_counter() - t)
            return out

        warm = {name: min(timed(fn, 2)) for name, fn in
                (("peer", peer.step), ("week", week), ("full", full.step))}
        k_peer = max(1, round(target_s / warm["peer"]))
        k_week = max(2, round(target_s / warm["week"] / 2))  # per half of the sandwich
        k_full = max(2, round(target_s / warm["full"] / 2))
        log(f"  peer {n:>9,} fighters: per-agent model built in {peer_build:.2f} s; {rounds} rounds "
            f"of {k_peer} per-agent, 2x{k_week} array and 2x{k_full} full-model steps")
        c_all, p_all, f_all, ratios, full_ratios = [], [], [], [], []
        for _ in range(rounds):
            ct, ft = timed(week, k_week), timed(full.step, k_full)
            pt = timed(peer.step, k_peer)
            ct += timed(week, k_week)
            ft += timed(full.step, k_full)
            c_all += ct
            p_all += pt
            f_all += ft
            ratios.append(med(pt) / med(ct))
            full_ratios.append(med(pt) / med(ft))
        results[n] = {"cohort_rate": n / med(c_all), "mesa_rate": n / med(p_all),
                      "full_rate": n / med(f_all), "ratio": med(ratios),
                      "full_ratio": med(full_ratios), "mesa_build_s": peer_build,
                      "mesa_steps": len(p_all), "cohort_steps": len(c_all)}
        del peer, world, cc, fc, full
        gc.collect()
    return results


# -- 4: memory and build time in a fresh subprocess ------------------------------------------------
_MEMORY_PROBE = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[2])
import numpy, mesa
import normsim.simulation.model
from benchmarks.run import build_model

def status(key):  # this process's own figures, in MiB (ru_maxrss would include the parent's
    with open("/proc/self/status") as f:  # peak: it survives the vfork + exec of subprocess)
        return next(int(l.split()[1]) for l in f if l.startswith(key + ":")) / 1024

n = int(sys.argv[1])
gc.collect()
try:  # reset the peak (VmHWM) to the current resident set, so the import's transients drop out
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = status("VmRSS")
except OSError:
    base = status("VmHWM")
t = time.perf_counter()
m = build_model(n)
build_s = time.perf_counter() - t
built_rss, built_peak = status("VmRSS"), status("VmHWM")
for _ in range(3):
    m.step()
print(json.dumps({"baseline_mb": base, "build_s": build_s, "built_rss_mb": built_rss,
                  "built_peak_mb": built_peak, "peak_mb": status("VmHWM"),
                  "rss_mb": status("VmRSS")}))
"""


def measure_memory(sizes, log):
    results = {}
    for n in sizes:
        proc = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(n), str(ROOT)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"memory probe at {n} fighters failed:\n{proc.stderr}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["bytes_per_fighter"] = (r["peak_mb"] - r["baseline_mb"]) * 2**20 / n
        r["resident_bytes_per_fighter"] = (r["rss_mb"] - r["baseline_mb"]) * 2**20 / n
        results[n] = r
        log(f"  memory {n:>9,} fighters: peak {r['peak_mb']:.0f} MiB, build {r['build_s']:.2f} s")
    return results


# -- 8: a population of groups on one core (7, whole runs: benchmarks/whole_runs.py) ---------------
_POPULATION_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
from normsim.simulation.model import NormDiffusionModel

groups, fighters, weeks = (int(x) for x in sys.argv[1:4])
t0, c0 = time.perf_counter(), time.process_time()
m = NormDiffusionModel(rng=int(sys.argv[5]), group_count=groups, group_fighters=fighters,
                       record_every=1)
t1 = time.perf_counter()
m.run_model(weeks)
t2 = time.perf_counter()
table = m.records()
t3, c3 = time.perf_counter(), time.process_time()
with open("/proc/self/status") as f:
    peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
print(json.dumps({"build_s": t1 - t0, "steps_s": t2 - t1, "table_s": t3 - t2, "total_s": t3 - t0,
                  "cpu_s": c3 - c0, "rows": len(table), "peak_mb": peak}))
"""


def measure_population(groups: int, fighters: int, weeks: int, log) -> dict:
    """One run of ``groups`` groups of ``fighters`` for ``weeks`` weeks, records every week (the
    default), in a fresh subprocess on the CPU this process is pinned to."""
    proc = subprocess.run([sys.executable, "-c", _POPULATION_PROBE, str(groups), str(fighters),
                           str(weeks), str(ROOT), str(SEED)], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"population run failed:\n{proc.stderr}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    r.update(groups=groups, fighters=fighters, weeks=weeks)
    log(f"  population {groups} x {fighters} fighters, {weeks} weeks: {r['total_s']:.1f} s")
    return r


# -- the profile ------------------------------------------------------------------------------------
class StatementTimer:
    """Wall time per statement of a few functions (``sys.monitoring`` LINE events, Python 3.12).

    Time is inclusive (a statement that calls another timed function includes it), and C calls
    (numpy) are charged to the statement that makes them, which a sampling profiler cannot split.
    """

    def __init__(self, funcs):
        self.funcs = {f.__code__: f for f in funcs}
        self.statement = {code: self._statements(f) for code, f in self.funcs.items()}
        self.time = defaultdict(float)  # (code, statement line) -> seconds
        self.calls = defaultdict(float)  # code -> inclusive seconds
        self.stack: list[list] = []  # [code, statement line, start]
        self.last = 0.0

    @staticmethod
    def _statements(func) -> dict[int, int]:
        lines, first = inspect.getsourcelines(func)
        tree = ast.parse(textwrap.dedent("".join(lines)))
        fn = tree.body[0]
        mapping = {}
        for node in ast.walk(fn):  # breadth first: inner statements overwrite outer ones
            if isinstance(node, ast.stmt) and node is not fn:
                for ln in range(node.lineno, node.end_lineno + 1):
                    mapping[ln + first - 1] = node.lineno + first - 1
        return mapping

    def _charge(self, now):
        dt = now - self.last
        for frame in self.stack:
            if frame[1] is not None:
                self.time[(frame[0], frame[1])] += dt
        self.last = now

    def _on_start(self, code, offset):
        self._charge(time.perf_counter())
        self.stack.append([code, None, self.last])

    def _on_line(self, code, line):
        self._charge(time.perf_counter())
        if self.stack and self.stack[-1][0] is code:
            self.stack[-1][1] = self.statement[code].get(line, line)

    def _on_return(self, code, offset, retval):
        self._charge(time.perf_counter())
        if self.stack and self.stack[-1][0] is code:
            frame = self.stack.pop()
            self.calls[code] += self.last - frame[2]

    def __enter__(self):
        mon, ev = sys.monitoring, sys.monitoring.events
        self.tool = mon.PROFILER_ID
        mon.use_tool_id(self.tool, "normsim-bench")
        mon.register_callback(self.tool, ev.PY_START, self._on_start)
        mon.register_callback(self.tool, ev.LINE, self._on_line)
        mon.register_callback(self.tool, ev.PY_RETURN, self._on_return)
        for code in self.funcs:
            mon.set_local_events(self.tool, code, ev.PY_START | ev.LINE | ev.PY_RETURN)
        return self

    def __exit__(self, *exc):
        mon = sys.monitoring
        for code in self.funcs:
            mon.set_local_events(self.tool, code, 0)
        for event in (mon.events.PY_START, mon.events.LINE, mon.events.PY_RETURN):
            mon.register_callback(self.tool, event, None)
        mon.free_tool_id(self.tool)

    def report(self, steps: int, step_s: float, min_share=0.003, what="the step") -> str:
        out = []
        for code, func in self.funcs.items():
            total = self.calls[code] / steps
            out.append(f"\n{func.__qualname__} ({Path(code.co_filename).name}:{code.co_firstlineno})"
                       f": {total * 1e3:.3f} ms per call, {total / step_s:.1%} of {what}")
            src = dict(enumerate(inspect.getsourcelines(func)[0], inspect.getsourcelines(func)[1]))
            rows = sorted((line, t) for (c, line), t in self.time.items() if c is code)
            for line, t in rows:
                per = t / steps
                if per / step_s < min_share:
                    continue
                text = src.get(line, "").strip()
                out.append(f"  {line:4d}  {per * 1e3:8.3f} ms  {per / step_s:6.1%}  {text[:80]}")
        return "\n".join(out)


def profile(n: int, steps: int | None, groups: int = 1) -> None:
    from normsim.world import integration
    from normsim.rules import leadership
    from normsim.simulation import records
    from normsim.world.commanders import CommanderCohort
    from normsim.world.fighters import FighterCohort
    from normsim.world.people import settle

    if groups > 1:
        params = {"group_count": groups, "group_fighters": n}
        build = lambda: NormDiffusionModel(rng=SEED, **params)  # noqa: E731
        n *= groups
    else:
        params = model_params(n)
        build = lambda: build_model(n)  # noqa: E731
    print(f"profile: full model step at {n:,} fighters ({params})")
    with StatementTimer([NormDiffusionModel.__init__]) as timer:
        t = time.perf_counter()
        model = build()
        build_s = time.perf_counter() - t
    print(f"  build {build_s:.2f} s; where it goes (statements over 1% of the build):")
    print(textwrap.indent(timer.report(1, build_s, min_share=0.01, what="the build").strip(), "  "))
    for _ in range(3):
        model.step()
    t = time.perf_counter()
    model.step()
    one = time.perf_counter() - t
    steps = steps or max(5, min(500, round(3.0 / one)))

    t = time.perf_counter()
    for _ in range(steps):
        model.step()
    step_s = (time.perf_counter() - t) / steps
    print(f"  {steps} steps, {step_s * 1e3:.2f} ms per step, {n / step_s / 1e6:.2f} M fighter-steps/s")

    try:
        from pyinstrument import Profiler
    except ImportError:
        print("\npyinstrument is not installed (.venv/bin/pip install pyinstrument); "
              "skipping the call tree")
    else:
        prof = Profiler(interval=0.0002)
        prof.start()
        for _ in range(steps):
            model.step()
        prof.stop()
        print(prof.output_text(unicode=False, color=False, show_all=False))

    funcs = [NormDiffusionModel.step, NormDiffusionModel._signals, NormDiffusionModel._observe,
             NormDiffusionModel._replace_commanders, NormDiffusionModel.collect,
             leadership.week, integration.week, CommanderCohort.update, FighterCohort.week,
             FighterCohort.odds, FighterCohort.violation_chance, FighterCohort._turn_over, settle,
             records.week_state, records.Collector.add_week]
    with StatementTimer(funcs) as timer:
        t = time.perf_counter()
        for _ in range(steps):
            model.step()
        timed = (time.perf_counter() - t) / steps
    print("(each statement pays the timer's own cost, a few microseconds: trust these shares at "
          "10^5 fighters and more; at small sizes read the call tree above)")
    print(f"statement times (wall, inclusive, {steps} steps, {timed * 1e3:.2f} ms per step with "
          f"the timer on; statements under {0.3:.1f}% not shown):")
    print(timer.report(steps, timed))


# -- the table ----------------------------------------------------------------------------------------
def machine_info() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Python {platform.python_version()}, numpy {np.__version__}, mesa {mesa.__version__}; "
            f"{cpu}, {os.cpu_count()} CPUs, load {load}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke test of a few seconds")
    ap.add_argument("--only", default="", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    ap.add_argument("--profile", action="store_true", help="profile a full model step instead")
    ap.add_argument("--fighters", type=float, default=1e5,
                    help="fighters (per group with --groups) for --profile (1e5)")
    ap.add_argument("--groups", type=int, default=1,
                    help="groups for --profile (default group settings when more than 1)")
    ap.add_argument("--steps", type=int, default=None, help="steps for --profile (about 3 s' worth)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    ap.add_argument("--against", default=None, metavar="REF",
                    help="measure the run and calibration sections side by side with commit REF")
    args = ap.parse_args(argv)
    started = time.perf_counter()

    pinned = "not pinned"
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        cpu = max(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        pinned = f"pinned to CPU {cpu}"

    if args.profile:
        print(f"{machine_info()}; {pinned}")
        profile(int(args.fighters), args.steps, args.groups)
        return 0

    only = [s.strip() for s in args.only.split(",") if s.strip()] or list(SECTIONS)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")

    if args.quick:
        step_sizes, peer_sizes, mem_sizes = [10**3, 10**4], [10**3, 10**4], [10**4]
        scale_pair, record_size = (10**3, 10**4), 10**4
        rounds, peer_rounds, target = 3, 2, 0.03
        run_repeats, run_steps, population = 1, 52, (20, 300, 52)
    else:
        step_sizes, peer_sizes, mem_sizes = [10**3, 10**4, 10**5, 10**6], [10**4, 10**5], [10**5, 10**6]
        scale_pair, record_size = (10**4, 10**6), 10**5
        rounds, peer_rounds, target = 7, 7, 0.3
        run_repeats, run_steps, population = 5, None, (200, 300, 1040)

    need_steps = set()
    if "step" in only:
        need_steps |= set(step_sizes)
    if "scaling" in only:
        need_steps |= set(scale_pair)
    if "record" in only:
        need_steps.add(record_size)

    print(f"normsim speed benchmarks{' (quick)' if args.quick else ''}: {machine_info()}; {pinned}")
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    kv: dict[str, float] = {}
    steps = measure_steps(sorted(need_steps), rounds, target, kv, log) if need_steps else {}
    peer = measure_peer(peer_sizes, peer_rounds, target, log) if "peer" in only else {}
    memory = measure_memory(mem_sizes, log) if "memory" in only else {}
    sweeps = measure_sweeps(2 if args.quick else 50, log) if "sweeps" in only else {}
    trees = {"current": TREE, **({"previous": previous_tree(args.against)} if args.against else {})}
    default_run = (measure_runs(trees, run_repeats, run_steps, SEED, log) if "run" in only
                   else {})
    batched = (measure_batch(8 if args.quick else 32, 1 if args.quick else 3, run_steps, SEED, log)
               if "run" in only else {})
    calibration = (measure_calibration(trees, 2 if args.quick else 12, 1 if args.quick else 2, log)
                   if "calibration" in only else {})
    pop = measure_population(*population, log) if "population" in only else {}

    print()
    if "step" in only:
        r0 = steps[step_sizes[0]]
        print(f"1. Model step: full step (every agent kind; records every {r0['record_every']} "
              f"week, the default), one group, units of ~{FIGHTERS_PER_UNIT} fighters; "
              "medians over steps")
        print(f"   {'fighters':>10}  {'units':>6}  {'agents':>9}  {'build s':>7}  {'step ms':>9}  "
              f"{'fighter-steps/s':>15}  {'steps':>5}")
        for n in step_sizes:
            r = steps[n]
            print(f"   {n:>10,}  {r['units']:>6,}  {r['agents']:>9,}  "
                  f"{kv[f'build_inprocess_s_{label(n)}']:>7.2f}  {r['step_s'] * 1e3:>9.3f}  "
                  f"{fmt_rate(r['rate']):>15}  {r['steps']:>5}")
            kv[f"fighter_steps_per_s_{label(n)}"] = r["rate"]
            kv[f"step_ms_{label(n)}"] = r["step_s"] * 1e3
        print()
    if "peer" in only:
        print("2. Against the peer: the fighter update alone, the world above the fighters (groups' "
              "state, the week's signals, commanders' emphasis, community pressure) held fixed and "
              "identical")
        print("   (normsim: FighterCohort.week, arrays; peer: each fighter a mesa.Agent with its "
              "own step, shuffle_do; benchmarks/mesa_baseline.py)")
        print(f"   {'fighters':>10}  {'normsim update':>14}  {'per-agent Mesa':>14}  {'ratio':>6}  "
              f"{'normsim full step':>17}  {'ratio':>6}  {'peer build s':>12}")
        for n in peer_sizes:
            r = peer[n]
            print(f"   {n:>10,}  {fmt_rate(r['cohort_rate']):>14}  {fmt_rate(r['mesa_rate']):>14}  "
                  f"{r['ratio']:>5.1f}x  {fmt_rate(r['full_rate']):>17}  {r['full_ratio']:>5.1f}x  "
                  f"{r['mesa_build_s']:>12.2f}")
            kv[f"fighter_update_steps_per_s_{label(n)}"] = r["cohort_rate"]
            kv[f"mesa_fighter_steps_per_s_{label(n)}"] = r["mesa_rate"]
            kv[f"ratio_vs_mesa_{label(n)}"] = r["ratio"]
            kv[f"full_step_fighter_steps_per_s_in_peer_rounds_{label(n)}"] = r["full_rate"]
            kv[f"ratio_full_step_vs_mesa_{label(n)}"] = r["full_ratio"]
        print("   (fighter-steps/s; ratios: median over interleaved rounds of the per-agent time over "
              "normsim's, for the fighter update alone and for normsim's whole model step, every "
              "agent kind and records included)")
        print()
    if "scaling" in only:
        small, big = scale_pair
        ratio = scaling_ratio(steps, small, big)
        kv[f"scaling_{label(big)}_vs_{label(small)}"] = ratio
        print(f"3. Scaling: per-fighter cost of a full step at {big:,} relative to {small:,}: "
              f"{ratio:.2f} (linear = 1; median over interleaved rounds)")
        print()
    if "memory" in only:
        print("4. Memory and build time (each size in a fresh subprocess; peak RSS (VmHWM) over "
              "build and 3 steps, minus the RSS of that interpreter once it has imported normsim)")
        print(f"   {'fighters':>10}  {'baseline MiB':>12}  {'peak MiB':>9}  {'bytes/fighter':>13}  "
              f"{'resident after':>14}  {'build s':>7}")
        for n in mem_sizes:
            r = memory[n]
            print(f"   {n:>10,}  {r['baseline_mb']:>12.0f}  {r['peak_mb']:>9.0f}  "
                  f"{r['bytes_per_fighter']:>13.0f}  {r['resident_bytes_per_fighter']:>12.0f} B  "
                  f"{r['build_s']:>7.2f}")
            kv[f"memory_bytes_per_fighter_{label(n)}"] = r["bytes_per_fighter"]
            kv[f"peak_rss_mb_{label(n)}"] = r["peak_mb"]
            kv[f"build_s_{label(n)}"] = r["build_s"]
        kv["baseline_rss_mb"] = memory[mem_sizes[0]]["baseline_mb"]
        print()
    if "sweeps" in only:
        r = sweeps
        print(f"5. Sweeps: normsim sweep {SWEEP_EXPERIMENT}, {r['runs']} runs of 520 weeks "
              "(wall time, process start-up included)")
        print(f"   {'engine':>22}  {'wall s':>7}  {'runs/min':>8}  {'steady runs/min':>15}")
        for key, name in (("1", "1 local worker"), ("2", "2 local workers"),
                          ("dask", "Dask, 2 workers (lo)")):
            print(f"   {name:>22}  {r[f'wall_{key}']:>7.1f}  {r[f'runs_per_min_{key}']:>8.0f}  "
                  f"{r[f'steady_runs_per_min_{key}']:>15.0f}")
            kv[f"sweep_runs_per_min_{key}"] = r[f"runs_per_min_{key}"]
            kv[f"sweep_steady_runs_per_min_{key}"] = r[f"steady_runs_per_min_{key}"]
        kv["sweep_speedup_2_workers"] = r["speedup_2"]
        kv["sweep_steady_speedup_2_workers"] = r["steady_speedup_2"]
        few, many = sorted(k for k in r if k.startswith("peak_mb_"))
        print("   (steady: runs finished per minute between the first and the last run written, "
              "start-up excluded)")
        print(f"   2 workers / 1 worker: {r['speedup_2']:.2f}x over the whole command, "
              f"{r['steady_speedup_2']:.2f}x steady; peak memory of an in-process "
              f"sweep: {r[few]:.0f} MiB at {few.split('_')[-1]} runs, {r[many]:.0f} MiB at "
              f"{many.split('_')[-1]} runs")
        kv["sweep_peak_mb_few_runs"], kv["sweep_peak_mb_many_runs"] = r[few], r[many]
        print()
    if "record" in only:
        r = steps[record_size]
        print(f"6. Data collection: model.collect() (records every {r['record_every']} week, the "
              "default) timed apart from the rest of the step")
        print(f"   {'fighters':>10}  {'record ms':>9}  {'step ms':>9}  {'share':>6}")
        for n in sorted(steps):
            x = steps[n]
            print(f"   {n:>10,}  {x['record_s'] * 1e3:>9.3f}  {x['step_s'] * 1e3:>9.3f}  "
                  f"{x['record_share']:>6.1%}")
            kv[f"record_share_{label(n)}"] = x["record_share"]
            kv[f"record_ms_{label(n)}"] = x["record_s"] * 1e3
        kv["record_share"] = r["record_share"]
        print()

    if "run" in only:
        r = default_run["current"]
        print(f"7. A default run: {r['fighters']} fighters, {r['weeks']} weeks, build and table "
              f"included: CPU time {r['default_run_cpu_s']:.3f} s alone, "
              f"{r['twin_run_cpu_s']:.3f} s with its twin: {r['twin_cost_ratio']:.2f}x "
              f"(medians of {r['rounds']} interleaved rounds, one child process each)")
        kv["default_run_cpu_s"] = r["default_run_cpu_s"]
        kv["twin_cost_ratio"] = r["twin_cost_ratio"]
        if "previous" in default_run:
            q = default_run["previous"]
            print(f"   {args.against} in the same rounds: {q['default_run_cpu_s']:.3f} s alone, "
                  f"{q['twin_run_cpu_s']:.3f} s with its twin: {q['twin_cost_ratio']:.2f}x; "
                  f"this code is {default_run['speedup']:.2f}x as fast alone")
            kv["default_run_cpu_s_previous"] = q["default_run_cpu_s"]
            kv["twin_cost_ratio_previous"] = q["twin_cost_ratio"]
            kv["default_run_speedup_vs_previous"] = default_run["speedup"]
        b, n = batched, batched["size"]
        speedup = r["default_run_cpu_s"] / b["batch_run_cpu_s"]
        print(f"   as one batch of {n} runs (the batch engine; medians of {b['rounds']} child "
              f"processes): CPU time {b['batch_run_cpu_s']:.3f} s a run ({speedup:.2f}x as fast "
              f"as alone), {b['batch_twin_run_cpu_s']:.3f} s with its twin (the twins as a "
              f"batch of their own): {b['batch_twin_cost_ratio']:.2f}x")
        kv[f"batch_run_cpu_s_{n}"] = b["batch_run_cpu_s"]
        kv[f"batch_speedup_{n}"] = speedup
        kv[f"batch_twin_cost_ratio_{n}"] = b["batch_twin_cost_ratio"]
        print()
    if "population" in only:
        r = pop
        key = f"{r['groups']}x{r['weeks']}"
        print(f"8. A population: {r['groups']} groups of {r['fighters']} fighters, {r['weeks']} "
              f"weeks, records every week, one core (fresh subprocess)")
        print(f"   build {r['build_s']:.2f} s, steps {r['steps_s']:.2f} s, table "
              f"({r['rows']:,} rows) {r['table_s']:.2f} s: {r['total_s']:.1f} s in all "
              f"(issue 11's target: 20 s at 200 x 1040)")
        print(f"   CPU time {r['cpu_s']:.1f} s (wall time above counts time the machine gave to "
              f"others); peak memory {r['peak_mb']:.0f} MiB")
        kv[f"population_run_s_{key}"] = r["total_s"]
        kv[f"population_steps_s_{key}"] = r["steps_s"]
        kv[f"population_cpu_s_{key}"] = r["cpu_s"]
        kv[f"population_peak_rss_mb_{key}"] = r["peak_mb"]
        print()

    if "calibration" in only:
        r = calibration["current"]
        print(f"9. Calibration: {r['sims']} simulations of calibrations/mine_ban_2007 (mine_ban to "
              f"2007) on 2 forked workers: {r['sims_per_min']:.0f} per minute (median of "
              f"{r['rounds']})")
        kv["calibration_sims_per_min_2"] = r["sims_per_min"]
        if "previous" in calibration:
            q = calibration["previous"]
            print(f"   {args.against} in the same rounds: {q['sims_per_min']:.0f} per minute")
            kv["calibration_sims_per_min_2_previous"] = q["sims_per_min"]
        print()
    if "mechanisms" in only:  # issue 20: what the competing mechanisms cost per run
        kv.update(mechanism_costs.section(args.quick, log))
    kv["bench_wall_s"] = time.perf_counter() - started
    print(f"total time {kv['bench_wall_s']:.0f} s")
    print()
    print("# issue 19's targets (a missing line: its section was not run)"
          + ("; --quick: smaller sizes than the targets', so not comparable" if args.quick else ""))
    for key, target, more in TARGETS:
        if key in kv:
            met = kv[key] >= target if more else kv[key] <= target
            print(f"#   {key}: {kv[key]:.4g} (target {'>=' if more else '<='} {target:g}: "
                  f"{'met' if met else 'missed'})")
    print("# machine-readable")
    for key, value in kv.items():
        print(f"{key}: {value:.6g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
