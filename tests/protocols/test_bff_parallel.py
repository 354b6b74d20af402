"""Nodes solved in worker processes (``protocols/bff/parallel.py``): the same bound as in one
thread, bit for bit; a worker that fails hands its node back; a node's SolverError is raised; a
script without a ``__main__`` guard is not run again by the workers."""

import multiprocessing
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from protocols.bff import EntropyEngine
from protocols.bff import parallel as P
from protocols.errors import SolverError

S = 2.6


def _in_worker() -> bool:
    return multiprocessing.current_process().name != "MainProcess"


@pytest.fixture(scope="module")
def serial():
    eng = EntropyEngine(2, 2, 0, "chsh", nodes=6, workers=1)
    with threadpool_limits(1, user_api="blas"):  # as in the workers: BLAS's thread count moves the last bits
        return eng.bound(eng.chsh_data(S))


def _same(a, b) -> None:
    assert a.H_AE == b.H_AE  # the same computation in another process: the same bits
    assert [n.certified for n in a.nodes] == [n.certified for n in b.nodes]
    assert [n.route for n in a.nodes] == [n.route for n in b.nodes]
    assert np.array_equal(a.affine[1], b.affine[1])


def test_worker_processes_give_the_serial_bound_bit_for_bit(serial, monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    eng = EntropyEngine(2, 2, 0, "chsh", nodes=6, workers=2)
    assert P.worker_processes(eng.workers, len(eng.node_indices)) == 1
    _same(eng.bound(eng.chsh_data(S)), serial)
    _same(eng.bound(eng.chsh_data(S)), serial)  # again, with the workers already running


def test_processes_are_off_by_environment_and_in_daemons(monkeypatch):
    monkeypatch.setenv(P.PROCESSES_ENV, "0")
    assert P.worker_processes(8, 7) == 0
    monkeypatch.delenv(P.PROCESSES_ENV)
    assert P.worker_processes(8, 7) == 6 and P.worker_processes(8, 3) == 2 and P.worker_processes(1, 7) == 0
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert P.worker_processes(8, 7) == 0


class UnpicklableInWorkers(EntropyEngine):
    """An engine the workers cannot rebuild (as for a class defined in a script's ``__main__``)."""

    def __setstate__(self, state):
        if _in_worker():
            raise ImportError("not importable here")
        self.__dict__.update(state)


class DyingInWorkers(EntropyEngine):
    def solve_node(self, i, d, d_lo, d_hi, *args):
        if _in_worker():
            os._exit(3)  # the worker process dies mid-node
        return super().solve_node(i, d, d_lo, d_hi, *args)


class FailingInWorkers(EntropyEngine):
    def solve_node(self, i, d, d_lo, d_hi, *args):
        if _in_worker():
            raise SolverError(f"node t={self.t[i]:.4f}: failed in a worker")
        return super().solve_node(i, d, d_lo, d_hi, *args)


def test_a_worker_that_cannot_take_the_engine_hands_its_nodes_back(serial, monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    eng = UnpicklableInWorkers(2, 2, 0, "chsh", nodes=6, workers=2)
    _same(eng.bound(eng.chsh_data(S)), serial)


def test_a_worker_that_dies_hands_its_node_back(serial, monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    eng = DyingInWorkers(2, 2, 0, "chsh", nodes=6, workers=2)
    _same(eng.bound(eng.chsh_data(S)), serial)
    again = EntropyEngine(2, 2, 0, "chsh", nodes=6, workers=2)  # a fresh pool for the next bound
    _same(again.bound(again.chsh_data(S)), serial)


def test_a_solver_error_in_a_worker_is_raised(monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    eng = FailingInWorkers(2, 2, 0, "chsh", nodes=6, workers=2)
    with pytest.raises(SolverError, match="failed in a worker"):
        eng.bound(eng.chsh_data(S))


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent("""
        from protocols.bff import EntropyEngine, parallel
        eng = EntropyEngine(2, 2, 0, "chsh", nodes=4, workers=2)
        print("bound", eng.bound(eng.chsh_data(2.7)).H_AE)
        print("worker pool kept:", parallel._POOL is not None)  # dropped if a worker failed
    """))
    env = {k: v for k, v in os.environ.items() if k != P.PROCESSES_ENV}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("bound") == 1 and "worker pool kept: True" in out.stdout


def test_an_engine_that_cannot_be_pickled_runs_in_threads(serial, monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    eng = EntropyEngine(2, 2, 0, "chsh", nodes=6, workers=2)
    eng.note = lambda: "a function on the instance: not picklable"
    _same(eng.bound(eng.chsh_data(S)), serial)


def test_a_bound_holds_blas_to_one_thread_even_with_one_worker(monkeypatch):
    """Measured: BLAS's own threads cost 3x on the nodes' small matrices (2x3 table, workers=1:
    21.3 s against 6.5 s); every bound limits them, not only bounds with several workers."""
    from threadpoolctl import threadpool_info

    seen = []
    original = EntropyEngine.solve_node

    def spy(self, *args, **kwargs):
        seen.append(max((lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"), default=1))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EntropyEngine, "solve_node", spy)
    eng = EntropyEngine(2, 2, 0, "chsh", nodes=3, workers=1)
    with threadpool_limits(2, user_api="blas"):
        eng.bound(eng.chsh_data(S))
    assert seen and set(seen) == {1}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:  # a zombie (state Z) has exited
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    """A SIGKILLed parent never shuts its pool down: the workers must notice on their own."""
    import signal
    import time

    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent("""
        import time
        from protocols.bff import EntropyEngine, parallel
        eng = EntropyEngine(2, 2, 0, "chsh", nodes=4, workers=2)
        eng.bound(eng.chsh_data(2.7))
        print(*parallel._POOL._processes, flush=True)
        time.sleep(600)
    """))
    env = {k: v for k, v in os.environ.items() if k != P.PROCESSES_ENV}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
