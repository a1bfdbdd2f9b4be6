"""A normal install (a wheel, not this source tree) finds its shipped scenarios and experiments.

The wheel is built from a copy of the project, installed with ``--no-deps`` into a fresh venv
that sees this test environment's dependencies (through a ``.pth`` line, so nothing is
downloaded) but not its editable normsim, and the commands run from an empty folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: one xdist worker builds the wheel once for every test here
pytestmark = [pytest.mark.packaging, pytest.mark.multiprocess, pytest.mark.xdist_group("wheel")]
NOT_SHIPPED = (".git", ".venv", "results", "build", "dist", "*.egg-info", "__pycache__", "tests",
               "docs", "benchmarks", ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder, env) of a fresh venv holding normsim installed from its wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    wheel, = (tmp / "dist").glob("normsim-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(subprocess.run([python, "-c", where], check=True, capture_output=True,
                               text=True).stdout.strip())
    # the dependencies of this test environment, without running its .pth files (which hold
    # the editable install of this source tree)
    (site / "test-env-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg"}
    return env_dir / "bin", env, site


def in_empty_folder(installed, tmp_path, *command: str) -> subprocess.CompletedProcess:
    bin_dir, env, _ = installed
    return subprocess.run([str(bin_dir / command[0]), *command[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_wheel_is_what_runs(installed, tmp_path):
    done = in_empty_folder(installed, tmp_path, "python", "-c",
                           "import normsim, normsim.settings.scenario as s; print(normsim.__file__); "
                           "print(s.SCENARIO_DIR)")
    assert done.returncode == 0, done.stderr
    site = installed[2]
    module, folder = done.stdout.split()
    assert Path(module).is_relative_to(site) and Path(folder) == site / "normsim" / "scenarios"


def test_the_wheel_holds_the_app_page_and_its_words(installed):
    """The workshop app reads its page template and its catalogues from the package (a wheel
    without them served a broken page)."""
    app = installed[2] / "normsim" / "app"
    assert (app / "page.vue").is_file()
    for language in ("en", "fr"):
        assert (app / "locale" / language / "LC_MESSAGES" / "app.po").is_file(), language


def test_scenarios_are_listed_from_any_folder(installed, tmp_path):
    done = in_empty_folder(installed, tmp_path, "normsim", "scenarios")
    assert done.returncode == 0, done.stderr
    shipped = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))
    assert len(shipped) >= 2
    for name in shipped:
        assert name in done.stdout


def test_a_shipped_scenario_runs_from_any_folder(installed, tmp_path):
    done = in_empty_folder(installed, tmp_path, "normsim", "run", "baseline", "--steps", "6",
                           "--out", "out")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "records.parquet").is_file()
    assert 'title = "' in (tmp_path / "out" / "scenario.toml").read_text()


def test_a_shipped_experiment_sweeps_from_any_folder(installed, tmp_path):
    done = in_empty_folder(installed, tmp_path, "normsim", "sweep", "h4_principles", "--workers",
                           "1", "--replicates", "1", "--steps", "3", "--quiet", "--out", "h4")
    assert done.returncode == 0, done.stderr
    runs = sorted((tmp_path / "h4" / "runs").glob("*.parquet"))
    from normsim.sweeps.experiment import load_experiment
    from normsim.sweeps.design import plan

    assert len(runs) == len(plan(load_experiment("h4_principles", replicates=1)[0]).runs())


def test_the_citation_file_names_this_version_and_license():
    import tomllib

    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
    assert citation["title"].startswith(project["name"])
    assert citation["authors"] == [{"name": "normsim developers"}]
