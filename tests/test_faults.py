"""Faults injected into real sweeps: the main process killed (no worker may outlive it, and the
count of saved runs is exact), two sweeps on one folder (the lock), a folder stopped while
starting, damaged and foreign files (verified resume; readers skip them), a full disk (a real
tmpfs where this machine allows mounting one, and ENOSPC injected into the low-level write),
fewer replicates on resume, runs that log no events, and Dask endpoints that are not schedulers
or lose every worker."""

import errno
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import warnings

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from normsim.sweeps.engines import sweep
from normsim.errors import DamagedFilesWarning, DiskFull
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
from normsim.sweeps.store import Store, events_schema
from normsim.sweeps.readers import read_events, read_manifest, read_runs
from shared_runs import stored_table
from sweep_helpers import (BIN, alive, cluster, command_line, descendants,  # noqa: F401
                           experiment_file, invoke, start_sweep, wait_for_runs)

pytestmark = pytest.mark.multiprocess  # faults injected into real sweeps and processes


def clean_result(path, tmp_path, **overrides):
    """The runs of an uninterrupted sweep of ``path`` in one process, to compare with. A clean
    sweep is deterministic and several tests (the kill tests: 30 runs of 300 weeks each) compare
    with the same one, so it is kept in the tests' shared store (tests/shared_runs.py): computed
    once for every worker, by experiment text and overrides (docs/testing.md)."""
    exp, text = load_experiment(path, **overrides)

    def compute():
        sweep(plan(exp), tmp_path / "clean", text, workers=1, progress=False)
        return read_runs(tmp_path / "clean")
    return stored_table(f"clean sweep|{text}|{sorted(overrides.items())}", compute).copy()


def saved_on_disk(out) -> int:
    return len(Store(out).scan()[0])


# -- the main process killed: its workers go with it -----------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_only_the_main_process_leaves_no_process_behind(tmp_path, sig):
    path = experiment_file(tmp_path, replicates=15, steps=300, fighters=200)
    out = tmp_path / "o"
    proc = start_sweep(path, out, workers=2)
    wait_for_runs(out, 2, proc)
    family = descendants(proc.pid)
    assert sum("forkserver" in command_line(p) for p in family) >= 3  # the server and 2 workers
    os.kill(proc.pid, sig)  # the main process only, as the OOM killer or 'kill PID' would
    _, stderr = proc.communicate(timeout=30)  # (workers that outlived it would hold the pipes)
    deadline = time.monotonic() + 15
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [(p, command_line(p)) for p in family if alive(p)]
    assert not left, f"still running after the main process died: {left}"
    if sig == signal.SIGTERM:  # handled like Ctrl-C: a clean stop, an exact count
        assert proc.returncode == 143 and "Traceback" not in stderr
        assert "leaked semaphore" not in stderr, stderr
        said = int(re.search(r"interrupted: (\d+) of 30 runs are saved", stderr)[1])
        assert said == saved_on_disk(out) > 0
        assert not (out / ".lock").exists()
    else:  # the lock file stays, naming a dead process: the next sweep takes it over
        assert (out / ".lock").exists()
    resumed = invoke("sweep", path, "--workers", 2, "--out", out, "--quiet")
    assert resumed.exit_code == 0, resumed.output
    assert ("took over" in resumed.output) == (sig == signal.SIGKILL)
    pd.testing.assert_frame_equal(read_runs(out), clean_result(path, tmp_path))


# -- one sweep per folder -------------------------------------------------------------------------
def test_a_second_sweep_on_the_same_folder_is_refused_naming_the_first(tmp_path):
    path = experiment_file(tmp_path, replicates=15, steps=300, fighters=200)
    out = tmp_path / "o"
    first = start_sweep(path, out, workers=1)
    try:
        wait_for_runs(out, 1, first)
        before = {p.name for p in (out / "runs").iterdir()}
        second = invoke("sweep", path, "--workers", 1, "--out", out, "--quiet")
        assert second.exit_code == 2
        assert f"in use by another sweep (process {first.pid} on {socket.gethostname()}" in second.stderr
        assert "normsim sweep" in second.stderr and "nothing was changed" in second.stderr
        wait_for_runs(out, len(before) + 1, first)  # the first goes on undisturbed
        assert before <= {p.name for p in (out / "runs").iterdir()}
    finally:
        first.send_signal(signal.SIGINT)
        _, stderr = first.communicate(timeout=30)
    assert first.returncode == 130, stderr


def test_a_folder_stopped_while_starting_is_resumed_or_counts_as_unused(tmp_path):
    path = experiment_file(tmp_path, replicates=2, steps=20)
    # stopped after the manifest (the first file written): the sweep restores the rest
    out = tmp_path / "o"
    assert invoke("sweep", path, "--workers", 1, "--out", out, "--quiet").exit_code == 0
    for p in out.iterdir():
        if p.name != "manifest.json":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    assert invoke("sweep", path, "--workers", 1, "--out", out, "--quiet").exit_code == 0
    pd.testing.assert_frame_equal(read_runs(out), clean_result(path, tmp_path))
    # stopped before it: only a lock and a temporary manifest, which count as nothing
    other = tmp_path / "p"
    other.mkdir()
    (other / ".lock").write_text('{"pid": 1}')
    (other / ".manifest.json.abc123.tmp").write_text("{")
    result = invoke("sweep", path, "--workers", 1, "--out", other, "--quiet")
    assert result.exit_code == 0, result.output
    assert not list(other.glob(".*.tmp"))


# -- damaged and foreign files --------------------------------------------------------------------
def test_damaged_runs_are_redone_on_resume_and_readers_skip_them(tmp_path):
    path = experiment_file(tmp_path, replicates=3, steps=20)
    out = tmp_path / "o"
    assert invoke("sweep", path, "--workers", 1, "--out", out, "--quiet").exit_code == 0
    runs, events = out / "runs", out / "events"
    (runs / "c00000-r0000.parquet").write_bytes(b"garbage, not Parquet")
    whole = (runs / "c00001-r0000.parquet").read_bytes()
    (runs / "c00001-r0000.parquet").write_bytes(whole[: len(whole) // 2])  # cut short
    (events / "c00000-r0001.parquet").write_bytes(b"")
    shutil.copy(out / "conditions.parquet", runs / "c00001-r0002.parquet")  # a file of another kind
    (runs / "notes.txt").write_text("my notes\n")  # a foreign file: ignored
    (runs / "table.parquet").write_bytes(whole)  # a foreign name: ignored
    with pytest.warns(DamagedFilesWarning, match="skipped 4 damaged run"):
        assert read_runs(out)["run_id"].nunique() == 2
    for command in (["summarize", out], ["report", out], ["plot", out, "--kind", "trajectories"]):
        result = invoke(*command)
        assert result.exit_code == 0, result.output
        assert result.stderr.count("skipped 4 damaged run(s)") == 1, result.stderr
    resumed = invoke("sweep", path, "--workers", 1, "--out", out, "--quiet")
    assert resumed.exit_code == 0, resumed.output
    assert "4 damaged run(s)" in resumed.stderr and "(4 damaged ones redone)" in resumed.output
    assert "c00001-r0002.parquet was not written for run" in resumed.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("error", DamagedFilesWarning)
        pd.testing.assert_frame_equal(read_runs(out), clean_result(path, tmp_path))
    assert (runs / "notes.txt").read_text() == "my notes\n"


def test_a_run_file_of_another_experiment_is_not_counted(tmp_path):
    path = experiment_file(tmp_path, replicates=2, steps=20)
    other = experiment_file(tmp_path, replicates=2, steps=25, name="other.toml")
    for p, folder in ((path, "o"), (other, "x")):
        assert invoke("sweep", p, "--workers", 1, "--out", tmp_path / folder, "--quiet").exit_code == 0
    for kind in ("runs", "events"):
        shutil.copy(tmp_path / "x" / kind / "c00000-r0000.parquet",
                    tmp_path / "o" / kind / "c00000-r0000.parquet")
    resumed = invoke("sweep", path, "--workers", 1, "--out", tmp_path / "o", "--quiet")
    assert "written by another experiment" in resumed.stderr and "1 runs now" in resumed.output
    pd.testing.assert_frame_equal(read_runs(tmp_path / "o"), clean_result(path, tmp_path))


def test_fewer_replicates_on_resume_keep_the_manifest_at_the_larger_number(tmp_path):
    path = experiment_file(tmp_path, replicates=3, steps=20)
    out = tmp_path / "o"
    invoke("sweep", path, "--workers", 1, "--out", out, "--quiet")
    result = invoke("sweep", path, "--workers", 1, "--out", out, "--replicates", 1, "--quiet")
    assert result.exit_code == 0
    assert "holds 3 replicates; this sweep asked for 1, so the manifest keeps 3" in result.stderr
    manifest = read_manifest(out)
    assert manifest["replicates"] == 3 and manifest["runs"] == 6 and len(manifest["seeds"]) == 3
    assert "3 replicates" in invoke("summarize", out).output


# -- every Parquet file has its declared schema, events or not ---------------------------------------
def test_runs_that_log_no_events_leave_readable_typed_event_files(tmp_path):
    path = tmp_path / "quiet.toml"
    path.write_text(experiment_file(tmp_path).read_text()
                    .replace('"dialogue.principled" = { values = [0.0, 1.0] }',
                             '"dialogue.start_week" = { values = [0, 500] }')
                    .replace("steps = 40", "steps = 3").replace("= 40", "= 5"))
    out = tmp_path / "o"
    assert invoke("sweep", path, "--workers", 1, "--out", out, "--quiet").exit_code == 0
    rows = {p.stem: pq.read_metadata(p).num_rows for p in (out / "events").iterdir()}
    assert min(rows.values()) == 0 < max(rows.values())  # some runs logged none, some did
    declared = events_schema(keys=True)
    for p in (out / "events").iterdir():
        assert pq.read_schema(p).remove_metadata().equals(declared), p
    by_pandas = pd.read_parquet(out / "events")
    by_arrow = ds.dataset(out / "events").to_table().to_pandas()
    ours = read_events(out)
    assert len(by_pandas) == len(by_arrow) == len(ours) == sum(rows.values())
    assert pd.api.types.is_string_dtype(ours["kind"]) and pd.api.types.is_string_dtype(ours["run_id"])
    assert invoke("report", out).exit_code == 0
    assert read_events(tmp_path / "o").columns.tolist() == declared.names


# -- a full disk ---------------------------------------------------------------------------------------
def test_a_full_disk_stops_the_sweep_with_what_is_saved_and_resume_finishes(tmp_path, monkeypatch):
    """ENOSPC injected into the low-level Parquet write after four runs (see also the tmpfs test)."""
    import pyarrow.parquet
    path = experiment_file(tmp_path, replicates=4, steps=20)
    exp, text = load_experiment(path)
    real_write, calls = pyarrow.parquet.write_table, {"n": 0}

    def write_until_full(table, where, **kw):
        calls["n"] += 1
        if calls["n"] > 1 + 2 * 4:  # conditions.parquet, then 4 runs (events + records each)
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(table, where, **kw)

    monkeypatch.setattr(pyarrow.parquet, "write_table", write_until_full)
    with pytest.raises(DiskFull, match=r"no space left on the device of .*: 4 of 8 runs are saved "
                                       r"there\. Free some space and rerun the same command"):
        sweep(plan(exp), tmp_path / "o", text, workers=1, progress=False)
    assert saved_on_disk(tmp_path / "o") == 4 and not list((tmp_path / "o").rglob(".*.tmp"))
    monkeypatch.setattr(pyarrow.parquet, "write_table", real_write)
    report = sweep(plan(exp), tmp_path / "o", text, workers=1, progress=False)
    assert (report.skipped, report.ran) == (4, 4)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "o"), clean_result(path, tmp_path))


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


TMPFS_SCRIPT = """
set -u
mkdir -p "$DISK" && mount -t tmpfs -o size=3m tmpfs "$DISK"
dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null   # full to the last byte
"$NORMSIM" sweep "$EXP" --workers 2 --out "$DISK/new" --quiet; echo "rc-full=$?"
echo "left-full=$(ls -A "$DISK/new" 2>/dev/null | tr '\\n' ' ')"
rm "$DISK/filler"; head -c "$FILL" /dev/zero > "$DISK/filler"   # room for a few runs
"$NORMSIM" sweep "$EXP" --workers 2 --out "$DISK/new" --quiet; echo "rc-partial=$?"
rm "$DISK/filler"
"$NORMSIM" sweep "$EXP" --workers 2 --out "$DISK/new" --quiet; echo "rc-freed=$?"
cp -r "$DISK/new" "$COPY"
"""


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="cannot mount a tmpfs here (needs unshare "
                    "with user namespaces); the ENOSPC test above covers the logic")
def test_a_real_full_disk_on_a_small_tmpfs(tmp_path):
    path = experiment_file(tmp_path, replicates=8, steps=300, fighters=100)
    env = {**os.environ, "DISK": str(tmp_path / "disk"), "NORMSIM": str(BIN / "normsim"),
           "EXP": str(path), "COPY": str(tmp_path / "copy"), "FILL": str(2_800_000)}
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "bash", "-c",
                           TMPFS_SCRIPT], capture_output=True, text=True, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert "rc-full=2" in out and "0 of 16 runs are saved" in out, out
    assert "left-full= \n" in out or "left-full=\n" in out, out  # the folder was not left behind
    assert "rc-partial=2" in out, out
    saved = int(re.findall(r"(\d+) of 16 runs are saved there\. Free some space", out)[1])
    assert 0 < saved < 16
    assert "rc-freed=0" in out and f"{16 - saved} runs now, {saved} already there" in out, out
    pd.testing.assert_frame_equal(read_runs(tmp_path / "copy"), clean_result(path, tmp_path))


# -- Dask endpoints that are not schedulers, and a cluster that loses its workers ----------------------
@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def silent_port():
    with socket.socket() as s:  # accepts connections (the kernel does) and never says a word
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"tcp://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize("endpoint", ["http_server", "silent_port"])
def test_a_scheduler_address_that_is_not_dask_fails_within_30_s_naming_it(tmp_path, endpoint,
                                                                          request):
    address = request.getfixturevalue(endpoint)
    start = time.monotonic()
    proc = subprocess.run([str(BIN / "normsim"), "sweep", str(experiment_file(tmp_path)),
                           "--scheduler", address, "--out", str(tmp_path / "o"), "--quiet"],
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert f"error: cannot reach a Dask scheduler at {address}" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_losing_every_dask_worker_is_reported_then_the_sweep_gives_up_and_resumes(tmp_path,
                                                                                  cluster):
    address, procs = cluster
    path = experiment_file(tmp_path, replicates=12, steps=200, fighters=200)
    out = tmp_path / "o"
    # with faulthandler on, a hang ends below with every thread's stack in the message
    proc = subprocess.Popen([str(BIN / "normsim"), "sweep", str(path), "--scheduler", address,
                             "--give-up-after", "8", "--out", str(out), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    wait_for_runs(out, 2, proc)
    for worker in procs[1:]:
        os.killpg(worker.pid, signal.SIGKILL)
    try:
        # it gives up 8 s after the scheduler notices; a worker killed outright is usually noticed
        # at once (its connection closes), at worst after the test scheduler's worker-ttl (20 s,
        # sweep_helpers.WORKER_TTL; Dask's default of 5 minutes was hit twice on a loaded fresh
        # clone): 360 s stays a hang detector
        stdout, stderr = proc.communicate(timeout=360)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # faulthandler writes where each thread is, then it ends
        try:
            said = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            said = proc.communicate()
        raise AssertionError(f"still running 360 s after every worker died: {said}") from None
    assert proc.returncode == 2 and "Traceback" not in stderr, stderr
    assert f"no Dask worker is connected to {address}" in stderr  # the notice, before giving up
    assert stderr.index("no Dask worker is connected") < stderr.index("gave up")
    said = int(re.search(r"gave up\. (\d+) of 24 runs are saved", stderr)[1])
    assert said == saved_on_disk(out) and 0 < said < 24
    resumed = invoke("sweep", path, "--workers", 2, "--out", out, "--quiet")  # later, locally
    assert resumed.exit_code == 0 and f"{said} already there" in resumed.output
    pd.testing.assert_frame_equal(read_runs(out), clean_result(path, tmp_path))


def test_the_dask_address_is_checked_before_anything_else(tmp_path):
    result = invoke("sweep", experiment_file(tmp_path), "--scheduler", "127.0.0.1:58071x",
                    "--out", tmp_path / "o")
    assert result.exit_code == 2 and result.stderr.count("error:") == 1
    assert "'127.0.0.1:58071x' is not a Dask scheduler address" in result.stderr
    assert not (tmp_path / "o").exists()


def test_losing_the_dask_scheduler_says_so_and_what_is_saved(tmp_path, cluster):
    address, procs = cluster
    path = experiment_file(tmp_path, replicates=12, steps=200, fighters=200)
    out = tmp_path / "o"
    proc = subprocess.Popen([str(BIN / "normsim"), "sweep", str(path), "--scheduler", address,
                             "--out", str(out), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_runs(out, 2, proc)
    os.killpg(procs[0].pid, signal.SIGKILL)  # the scheduler
    _, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 2 and "Traceback" not in stderr and "ERROR" not in stderr, stderr
    said = int(re.search(rf"error: lost the Dask scheduler at {address} \(the connection to it "
                         r"closed\)\. (\d+) of 24 runs are saved", stderr)[1])
    assert said == saved_on_disk(out)
    assert invoke("sweep", path, "--workers", 2, "--out", out, "--quiet").exit_code == 0
    pd.testing.assert_frame_equal(read_runs(out), clean_result(path, tmp_path))


def _slow_square(x):
    return x * x


@pytest.mark.multiprocess
def test_a_finished_result_lost_with_its_worker_gives_up_instead_of_waiting_forever():
    """The race behind a fresh-clone hang: a future finishes, then the one worker holding its
    result dies before the result is fetched. Dask marks the result lost and waits for a worker
    to compute it again; with none left, fetching it must give up as the sweep's wait does."""
    from distributed import Client, LocalCluster

    from normsim.errors import ClusterError
    from normsim.sweeps import cluster as C

    said = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as lc, Client(lc) as client, C.quiet():
        fut = client.submit(_slow_square, 7, key="square-7", pure=False)
        assert fut.result(timeout=60) == 49  # finished, its only copy on the worker
        worker = next(iter(lc.workers))
        lc.scale(0)  # that worker leaves: the result is lost
        deadline = time.monotonic() + 30
        while client.scheduler_info()["workers"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not client.scheduler_info()["workers"], f"worker {worker} did not leave"
        alone = C._Alone(client, client.scheduler.address, give_up_after=3, say=said.append)
        started = time.monotonic()
        with pytest.raises(ClusterError, match="no Dask worker was connected .* for 3 seconds"):
            C._result(fut, client.scheduler.address, alone)
        assert time.monotonic() - started < 30  # gave up; before the fix it waited forever
        assert said and "no Dask worker is connected" in said[0]


def _orphan_task_log(exc_type, capfd) -> str:
    """What asyncio writes when a task that ended in ``exc_type`` is collected unretrieved --
    as Dask's inner gather tasks end when a sweep gives up on a cluster without workers."""
    import asyncio
    import gc
    import logging

    async def fails():
        raise exc_type()

    async def leave_one_behind():
        task = asyncio.ensure_future(fails())
        await asyncio.sleep(0.01)  # it has ended; nobody asks for its exception
        del task

    handler = logging.StreamHandler()  # to stderr, as the CLI's lastResort handler would
    logger = logging.getLogger("asyncio")
    # as in a fresh process: earlier tests in this worker may have configured logging (Dask's
    # dictConfig disables the loggers that exist when it runs)
    was = logger.disabled, logger.level, logging.root.manager.disable
    logger.disabled, logger.level = False, logging.WARNING
    logging.disable(logging.NOTSET)
    logger.addHandler(handler)
    try:
        # in a thread of its own: its event loop is the only one (a browser test may have left
        # one running in this worker's main thread, where asyncio.run refuses to start)
        worker = threading.Thread(target=lambda: asyncio.run(leave_one_behind()))
        worker.start()
        worker.join()
        gc.collect()
    finally:
        logger.removeHandler(handler)
        logger.disabled, logger.level = was[:2]
        logging.disable(was[2])
    return capfd.readouterr().err


def test_dasks_orphaned_gather_tasks_print_no_traceback_once_the_engine_is_quiet(capfd):
    """The fresh-clone CI of 6 December failed on a traceback of distributed's ``AllExit``
    printed between the sweep's two messages ("Task exception was never retrieved")."""
    from distributed.client import AllExit

    from normsim.sweeps import cluster as C

    with C.quiet():
        pass
    assert "Task exception was never retrieved" in _orphan_task_log(ValueError, capfd)
    quiet_after = _orphan_task_log(AllExit, capfd)  # collected after the engine has finished
    assert "AllExit" not in quiet_after and "Traceback" not in quiet_after, quiet_after
