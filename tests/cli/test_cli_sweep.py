"""``diqkd sweep``: points, the disk cache (resume), the local pool and a real Dask cluster."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from diqkd import sweep as S
from protocols.errors import ParameterError

CAT = ["cat", "--param", "distance_km", "--mu", "0.1"]


def run(*args, env=None, timeout=600):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", "sweep", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DIQKD_CACHE_DIR", str(folder))
    return folder


def _rows(path):
    with open(path) as fh:
        return list(csv.reader(fh))


def test_a_sweep_is_its_keyrate_points(cache, tmp_path):
    """Each row is what ``diqkd keyrate cat`` prints for that distance (an independent run)."""
    out = tmp_path / "s.csv"
    code, stdout, err = run(*CAT, "--values", "10,50", "--out", str(out), "--plot", str(tmp_path / "s.png"), "--json",
                            env={"DIQKD_CACHE_DIR": str(cache)})
    assert code == 0, err
    d = json.loads(stdout)
    assert d["computed"] == 2 and d["cached"] == 0 and d["values"] == [10.0, 50.0]
    rows = _rows(out)
    assert rows[0][0] == "distance_km [km]" and rows[0][1].startswith("rate [")
    for row, km in zip(rows[1:], (10, 50), strict=True):
        single = subprocess.run([sys.executable, "-m", "diqkd.cli", "keyrate", "cat", "--distance-km", str(km),
                                 "--mu", "0.1", "--json"], capture_output=True, text=True, check=True)
        assert float(row[1]) == json.loads(single.stdout)["rate"]
    assert (tmp_path / "s.png").stat().st_size > 1000
    # a second run reads every point from the cache and writes the same file
    first = out.read_text()
    code, stdout, err = run(*CAT, "--values", "10,50", "--out", str(out), "--json", env={"DIQKD_CACHE_DIR": str(cache)})
    assert code == 0 and json.loads(stdout)["cached"] == 2 and json.loads(stdout)["computed"] == 0
    assert out.read_text() == first


def test_resume_recomputes_only_the_missing_points(cache):
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    values = [10.0, 20.0, 30.0, 40.0]
    full = S.sweep("cat", "distance_km", values, flags)
    assert full["computed"] == 4
    files = sorted((cache / "sweep").glob("*.json"))
    assert len(files) == 4
    for f in files[:2]:  # as if the sweep had been stopped before these two points
        f.unlink()
    again = S.sweep("cat", "distance_km", values, flags)
    assert again["computed"] == 2 and again["cached"] == 2
    assert again["points"] == full["points"]


def test_a_cache_entry_of_another_version_or_point_is_not_trusted(cache, monkeypatch):
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    S.sweep("cat", "distance_km", [10.0], flags)
    (path,) = (cache / "sweep").glob("*.json")
    doc = json.loads(path.read_text())
    doc["ident"]["version"] = "0.0.0-other"
    doc["result"]["rate"] = 123.0
    path.write_text(json.dumps(doc))
    res = S.sweep("cat", "distance_km", [10.0], flags)
    assert res["computed"] == 1 and res["points"][0]["rate"] != 123.0
    # another package version gives another key: nothing written by it is read
    monkeypatch.setattr("protocols.diskcache._version", lambda: "9.9.9")
    assert S.sweep("cat", "distance_km", [10.0], flags)["computed"] == 1


def test_a_cache_entry_of_another_engine_revision_is_not_read(cache, monkeypatch):
    """A change that moves certified values (``protocols.bff.RESULTS_REVISION``) invalidates the
    cached points even when the package version is the same (a development install)."""
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    assert S.sweep("cat", "distance_km", [10.0], flags)["computed"] == 1
    assert S.sweep("cat", "distance_km", [10.0], flags)["cached"] == 1
    monkeypatch.setattr("protocols.bff.RESULTS_REVISION", "another-revision")
    again = S.sweep("cat", "distance_km", [10.0], flags)
    assert again["computed"] == 1 and again["cached"] == 0


def test_killed_halfway_then_resumed(cache, tmp_path):
    """A real interruption: SIGKILL once some points are cached, then the same command again."""
    out = tmp_path / "k.csv"
    args = [sys.executable, "-m", "diqkd.cli", "sweep", "cat", "--param", "distance_km", "--range", "5,200,12",
            "--backend", "strawberryfields", "--mu", "0.1", "--out", str(out), "--json"]
    env = {**os.environ, "DIQKD_CACHE_DIR": str(cache)}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((cache / "sweep").glob("*.json"))) < 3 and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    done = len(list((cache / "sweep").glob("*.json")))
    assert 0 < done < 12, "the sweep should have been stopped halfway"
    finished = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    assert finished.returncode == 0, finished.stderr
    d = json.loads(finished.stdout)
    assert d["cached"] == done and d["computed"] == 12 - done
    assert len(_rows(out)) == 13


def test_local_processes_equal_the_serial_sweep(cache):
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    serial = S.sweep("cat", "distance_km", [10.0, 60.0, 110.0], flags)
    for f in (cache / "sweep").glob("*.json"):
        f.unlink()
    pooled = S.sweep("cat", "distance_km", [10.0, 60.0, 110.0], flags, workers=2)
    assert pooled["computed"] == 3 and pooled["points"] == serial["points"]


def test_the_local_pool_spawns_its_workers(cache, monkeypatch):
    """Forked workers of a process with live threads (the BFF engine's node pool) can deadlock
    (it hung diqkd reproduce once): the pool must spawn them, even after threads have run here."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as threads:  # live threads in the parent, as after a BFF bound
        list(threads.map(abs, range(4)))
    seen = []
    real = S.ProcessPoolExecutor

    def recording(*args, **kwargs):
        seen.append(kwargs.get("mp_context"))
        return real(*args, **kwargs)

    monkeypatch.setattr(S, "ProcessPoolExecutor", recording)
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    out = S.sweep("cat", "distance_km", [10.0, 60.0], flags, workers=2)
    assert out["computed"] == 2 and seen and seen[0].get_start_method() == "spawn"


def test_sweep_workers_keep_the_bff_nodes_of_a_point_in_their_own_process(monkeypatch):
    """The points already run in parallel: a point's bound starts no node workers of its own."""
    from threadpoolctl import threadpool_limits

    from protocols.bff import parallel

    monkeypatch.setenv(parallel.PROCESSES_ENV, "")  # recorded, so the initialiser's value is undone after
    assert parallel.worker_processes(2, 7) == 1
    with threadpool_limits(limits=None):  # restores BLAS's threads after the initialiser's limit
        S._limit_blas()  # the sweep pool's initialiser, here in this process
    assert parallel.worker_processes(2, 7) == 0


def test_a_dask_cluster_gives_the_local_result(cache):
    distributed = pytest.importorskip("distributed")
    flags = S.base_flags("cat", ["--mu", "0.1"], "distance_km")
    values = [15.0, 45.0, 75.0]
    local = S.sweep("cat", "distance_km", values, flags)
    for f in (cache / "sweep").glob("*.json"):
        f.unlink()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        remote = S.sweep("cat", "distance_km", values, flags, scheduler=cluster.scheduler_address)
    assert remote["computed"] == 3 and remote["points"] == local["points"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["cat", "--param", "colour", "--values", "1", "--out", "{tmp}/a.csv"], "not a numeric flag"),
        (["cat", "--param", "distance_km", "--range", "100,10,4", "--out", "{tmp}/a.csv"], "reversed"),
        (["cat", "--param", "distance_km", "--range", "10,10,4", "--out", "{tmp}/a.csv"], "empty"),
        (["cat", "--param", "distance_km", "--values", ",", "--out", "{tmp}/a.csv"], "empty"),
        (["cat", "--param", "distance_km", "--values", "1,x", "--out", "{tmp}/a.csv"], "comma-separated numbers"),
        (["cat", "--param", "mu", "--values", "0.1", "--out", "{tmp}/a.csv"], "--distance-km is required"),
        (["cat", "--param", "distance_km", "--values", "10", "--out", "/proc/no/such/dir/a.csv"], "cannot write --out"),
        (["cat", "--param", "distance_km", "--values", "10", "--out", "{tmp}/a.csv", "--scheduler", "localhost:1"],
         "tcp://HOST:PORT"),
    ],
)
def test_bad_input(args, words, tmp_path, cache):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run(*args, "--json", env={"DIQKD_CACHE_DIR": str(cache)})
    assert code == 1 and out == "" and words in err and "Traceback" not in err
    assert not (cache / "sweep").exists() or not list((cache / "sweep").glob("*.json"))


def test_an_unreachable_scheduler_fails_fast_before_any_work(tmp_path, cache):
    pytest.importorskip("distributed")
    t0 = time.time()
    code, out, err = run("cat", "--param", "distance_km", "--values", "10", "--out", str(tmp_path / "a.csv"),
                         "--scheduler", "tcp://127.0.0.1:9", env={"DIQKD_CACHE_DIR": str(cache)})
    assert code == 1 and "cannot reach the Dask scheduler" in err
    assert time.time() - t0 < 40  # 10 s timeout plus the interpreter's start-up
    assert not (cache / "sweep").exists() or not list((cache / "sweep").glob("*.json"))


def test_parse_values():
    assert S.parse_values("1,2.5", None, float) == [1.0, 2.5]
    assert S.parse_values(None, "0,1,3", float) == [0.0, 0.5, 1.0]
    assert S.parse_values(None, "2,2,1", float) == [2.0]
    with pytest.raises(ParameterError, match="exactly one"):
        S.parse_values("1", "0,1,2", float)
    with pytest.raises(ParameterError, match="START,STOP,NUM"):
        S.parse_values(None, "0,1", float)
