"""The per-agent Mesa baseline of the benchmarks follows the rule of ``FighterCohort.week``.

Both start from identical fighters in an identical, fixed mid-run world. Where the rule is
deterministic (knowledge, acceptance, what is internalised, deterrence without sanctions, fear)
they must agree to rounding; where it is random (encounters, violations, sanctions, recruits)
their weekly totals and means must agree within the sampling error. Each check is also shown to
fail on a baseline whose world leaves out part of the rule, so that it can fail.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.mesa_baseline import (PerAgentFighterModel, altered, build,  # noqa: E402
                                      cohort_state, cohort_week)
from normsim.world.integration import FACTORS  # noqa: E402

Z_LIMIT = 5.0  # |z| beyond this is a disagreement (a false alarm: ~1e-6 per comparison)
DETERMINISTIC = ("knowledge", "acceptance", "baseline", "origin", "knowledge_origin", "deterred",
                 "fear")


def pair(fighters, seed=1, deterred=None, sanctions=None, peer_world=None, **kw):
    """The array cohort and the per-agent model, from the same initial state; ``peer_world``
    changes the peer's copy of the world (``altered``'s keywords)."""
    w, cc, fc = build(fighters, seed=seed, **kw)
    if sanctions is not None:
        w.groups.factors[..., FACTORS.index("sanctions")] = sanctions
    if deterred is not None:
        fc.deterred[:] = deterred(np.random.default_rng(seed + 1), fc.deterred.shape)
    peer = PerAgentFighterModel(altered(w, **(peer_world or {})), cc, fc, rng=seed + 2)
    return w, fc, peer, np.random.default_rng(seed + 3)


def deterministic_gap(weeks=5, peer_world=None):
    """Largest difference of the deterministic state over ``weeks`` (no turnover, no sanctions
    enforced, so knowledge, acceptance, baseline, deterrence and fear follow no chance at all)."""
    w, fc, peer, rng = pair(3_000, group={"fighter_turnover": 0.0},
                            deterred=lambda r, shape: r.uniform(0, 1.2, shape), sanctions=0.0,
                            peer_world=peer_world)
    gap = 0.0
    for _ in range(weeks):
        cohort_week(w, fc, rng)
        peer.step()
        a, b = cohort_state(fc), peer.state()
        for q in DETERMINISTIC:
            gap = max(gap, float(np.abs(a[q] - b[q]).max()))
    return gap


def test_deterministic_parts_agree_to_rounding():
    assert deterministic_gap() < 1e-12


def test_the_first_weeks_fear_includes_the_chains_enforcement():
    w, fc, peer, rng = pair(2_000, deterred=lambda r, shape: r.uniform(0, 0.8, shape))
    cohort_week(w, fc, rng)
    peer.step()
    assert np.abs(cohort_state(fc)["fear"] - peer.state()["fear"]).max() < 1e-12
    assert peer.state()["fear"].min() > 0.1  # enforcement reached every fighter


@pytest.mark.parametrize("forget", ["peer_influence", "learning_rate", "decay", "forgetting",
                                    "kappa"])
def test_the_deterministic_check_catches_a_forgotten_term(forget):
    assert deterministic_gap(peer_world={forget: 0.0}) > 1e-4


def test_a_group_not_in_the_field_meets_no_one():
    w, fc, peer, rng = pair(2_000, group={"start_week": 10})
    assert not w.groups.alive.any()
    conduct = cohort_week(w, fc, rng)
    peer.step()
    assert conduct.encounters.sum() == conduct.violations.sum() == 0
    assert peer.state()["encounters"].sum() == peer.state()["violations"].sum() == 0


def weekly_z(weeks=4, fighters=20_000, peer_world=None, seed=7):
    """Largest |z| between the two implementations over weekly totals and means."""
    w, fc, peer, rng = pair(fighters, seed=seed, group={"fighter_turnover": 0.03},
                            peer_world=peer_world)
    z, n = {}, fc.n
    cumulative = {q: [0.0, 0.0] for q in ("encounters", "violations")}  # difference, variance
    for week in range(weeks):
        out_c = cohort_week(w, fc, rng)
        peer.step()
        out_p = peer.outcome()
        a, b = cohort_state(fc), peer.state()
        # totals of per-fighter counts: variance n * var(per fighter), from both samples (the
        # cohort draws respectful encounters per community, so its encounters' spread is taken
        # from the peer's per-fighter counts, which follow the same law)
        totals = {"encounters": (out_c.encounters.sum(), b["encounters"].sum(),
                                 2 * n * b["encounters"].var()),
                  "violations": (a["violations"].sum(), b["violations"].sum(),
                                 n * (a["violations"].var() + b["violations"].var()))}
        for q, (x, y, var) in totals.items():
            z[f"{q} {week}"] = (x - y) / math.sqrt(var)
            cumulative[q][0] += x - y
            cumulative[q][1] += var
            z[f"{q} over weeks 0-{week}"] = cumulative[q][0] / math.sqrt(cumulative[q][1])
        assert out_c.violations.sum() == a["violations"].sum()  # the tallies are the same counts
        assert out_p.encounters.sum() == b["encounters"].sum()
        assert out_p.violations.sum() == b["violations"].sum()
        assert out_p.community_violations.sum() == b["violations"].sum()
        for out in (out_c, out_p):  # every recruit joins one unit in one community
            assert out.unit_recruits.sum() == out.community_recruits.sum()
            assert out.unit_recruits.shape == (fc.n_units,)
        # rare counts (sanctions, recruits): roughly Poisson, variance ~ the count
        for q, x, y in (("sanctions", out_c.sanctions.sum(), out_p.sanctions.sum()),
                        ("recruits", out_c.community_recruits.sum(), out_p.community_recruits.sum())):
            z[f"{q} {week}"] = (x - y) / math.sqrt(max(x + y, 1.0))
        # each community's violations (communities press differently)
        for c in range(out_c.community_violations.shape[1]):
            x, y = out_c.community_violations[:, c].sum(), out_p.community_violations[:, c].sum()
            z[f"community {c} violations {week}"] = (x - y) / math.sqrt(max(x + y, 1.0))
        # means of the state
        for q in ("acceptance", "knowledge", "baseline", "deterred", "fear"):
            se = math.sqrt((a[q].var() + b[q].var()) / n)
            z[f"mean {q} {week}"] = (a[q].mean() - b[q].mean()) / max(se, 1e-12)
    worst = max(z, key=lambda k: abs(z[k]))
    return abs(z[worst]), worst


@pytest.mark.statistical
def test_random_parts_agree_within_sampling_error():
    zmax, where = weekly_z()
    assert zmax < Z_LIMIT, f"|z| = {zmax:.1f} at {where}"


@pytest.mark.parametrize("forget", [
    {"fear_effect": 0.0},  # fear does not deter
    {"encounter_rate": 2.2},  # encounters 10% too frequent
    {"acceptance_effect": 0.0},  # acceptance does not restrain
    {"knowledge_effect": 0.0},  # knowledge does not restrain
    {"order_effect": 0.0},  # instructions passed down the chain do not restrain
    {"community_restraint": 0.0},  # community pressure does not restrain
    {"turnover": 0.0},  # nobody leaves
], ids=["fear", "encounter rate", "acceptance effect", "knowledge effect", "instructions",
        "community restraint", "turnover"])
@pytest.mark.statistical
def test_the_statistical_check_catches_a_forgotten_term(forget):
    zmax, _ = weekly_z(peer_world=forget)
    assert zmax > Z_LIMIT


@pytest.mark.multiprocess
def test_quick_benchmark_prints_the_machine_readable_lines():
    # the sweeps section starts Dask and process pools (tested in test_sweep.py): left out here
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--only", "step,peer,scaling,memory,record,run,population,calibration"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "5. Sweeps" not in out and "1. Model step" in out
    tail = out.split("# machine-readable", 1)[1].strip().splitlines()
    values = {}
    for line in tail:
        m = re.fullmatch(r"([a-z0-9_]+): (\S+)", line)
        assert m, f"not a key: value line: {line!r}"
        values[m[1]] = float(m[2])
    population = [k for k in values if re.fullmatch(r"population_run_s_\d+x\d+", k)]
    for key in ("fighter_steps_per_s_1e4", "ratio_vs_mesa_1e4", "mesa_fighter_steps_per_s_1e4",
                "scaling_1e4_vs_1e3", "memory_bytes_per_fighter_1e4", "record_share",
                "default_run_cpu_s", "twin_cost_ratio", "calibration_sims_per_min_2",
                *population):
        assert key in values and math.isfinite(values[key]) and values[key] > 0, key
    assert len(population) == 1
    assert 0 < values["record_share"] < 1
