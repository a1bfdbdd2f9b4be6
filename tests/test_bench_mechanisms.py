"""``make bench`` shows what the competing mechanisms of issue 20 cost per run: the section
``mechanisms`` of ``benchmarks/run.py`` (``benchmarks/mechanisms.py``)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the seven mechanisms of docs/ODD.md section 7.17, named as the issue names them
NAMES = ("presence", "military_value", "contrast", "habit", "below_top", "splinter_causes",
         "ownership", "all_on")


@pytest.mark.multiprocess
def test_quick_bench_prints_each_mechanisms_cost_per_run_and_ratio():
    """``--only mechanisms`` prints, as ``key: value`` lines, the CPU seconds of a run with all
    off and with each mechanism alone and all on, and each ratio to all off; nothing else."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--only", "mechanisms"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "10. Mechanisms" in proc.stdout and "1. Model step" not in proc.stdout
    values = {}
    for line in proc.stdout.split("# machine-readable", 1)[1].strip().splitlines():
        m = re.fullmatch(r"([a-z0-9_]+): (\S+)", line)
        assert m, f"not a key: value line: {line!r}"
        values[m[1]] = float(m[2])
    expected = {"mechanism_run_cpu_s_off", "bench_wall_s",
                *(f"mechanism_{q}_{n}" for n in NAMES for q in ("run_cpu_s", "cost_ratio"))}
    assert set(values) == expected, set(values) ^ expected
    assert all(math.isfinite(v) and v > 0 for v in values.values()), values
    for n in NAMES:  # a ratio near what its two medians say (each taken per round, one round)
        ratio = values[f"mechanism_run_cpu_s_{n}"] / values["mechanism_run_cpu_s_off"]
        assert values[f"mechanism_cost_ratio_{n}"] == pytest.approx(ratio, rel=1e-3), n
