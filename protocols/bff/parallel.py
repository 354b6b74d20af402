"""The node SDPs of one bound, solved at once: one thread of this process and worker processes.

The nodes of a BFF bound are independent SDPs. Threads alone overlap them poorly: the interior
point spends much of its time in small NumPy calls that hold the GIL (measured, 2x3 table at
m = 8 on 2 cores: 7.0 s with two threads, 8.8 s with one; two processes each solving all seven
nodes at once took 8.9 s and 9.1 s, so processes overlap almost perfectly). :func:`solve_nodes`
therefore solves nodes in a thread of this process *and* in ``workers - 1`` worker processes,
handing the next node to whichever is free (the smallest t first: those nodes cost most). A node
whose interior point starts from its chain predecessor's iterate (:func:`chain_predecessors`) is
handed out once that predecessor is solved.

The workers are spawned, not forked (a fork of a process whose threads hold a lock deadlocks,
see ``diqkd/sweep.py``), once per Python process, and kept (:func:`_pool`): their start-up (~0.6 s
of imports) overlaps the nodes this process solves meanwhile, and later bounds reuse them. Each
task carries the engine, pickled once per bound without its rebuildable caches (~170 kB for a
2x3 table); a worker keeps the last few engines it unpickled, by digest, with their caches. A
worker gives back what it computed and cached (the recession direction, a strictly feasible dual
point), so the engine here keeps it. An engine that cannot be pickled (a function set on the
instance) runs in threads. The spawned workers never import the caller's ``__main__``
(a script without a ``__main__`` guard would otherwise run again in each of them).

Where processes cannot be started (this process is itself a daemon, e.g. a Dask worker) or the
environment says ``DIQKD_BFF_PROCESSES=0`` (set in the workers of ``diqkd sweep``, whose points
already run in parallel), the nodes run in ``workers`` threads as before. A worker that dies or
cannot unpickle the engine (a subclass defined in ``__main__``) hands its node back to this
process; a :class:`SolverError` from a node is raised as it would be here. Each node's result is
the same whichever process solves it (same code, one BLAS thread each).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from ..errors import SolverError
from ..progress import bar

#: environment variable: ``0`` keeps every node in this process's threads (``diqkd sweep`` workers)
PROCESSES_ENV = "DIQKD_BFF_PROCESSES"
#: engines a worker keeps unpickled (a sweep or an optimiser alternates between a few)
KEEP_ENGINES = 4
#: nodes per chain of warm starts in one bound from 8 SDP nodes on, at least (:func:`chain_length`). **Our measurement**
#: (photonic table, m = 24, one thread): a node started from its neighbour's iterate at ``mu`` ~
#: 1e-3 takes 12-13 interior-point iterations instead of 19-22, the same value to 1e-9; at m = 8
#: (nodes further apart) 13-16, and none saved from t = 0.02 to 0.11
CHAIN = 3
#: nodes per chain for a bound of at most 7 SDP nodes (:func:`chain_length`)
SHORT_CHAIN = 2


def chain_length(nodes: int) -> int:
    """Nodes per chain for ``nodes`` SDP nodes: :data:`CHAIN`, or ``(nodes + 1) // 6`` where longer
    (4 at m = 24, 5 at m = 32): a chain is solved one node after another, so on few cores long
    chains wait. Measured (2 cores, bound seconds, chains of 1 / 3 / 4): 3x3 table at m = 8
    43-46 / 38-42 / 47-49 s; photonic point at m = 24 7.3 / 6.2-6.3 / 5.4-5.8 s.

    With 7 nodes (m = 8), chains of :data:`SHORT_CHAIN`: the smallest-t node alone and two chains
    of 3 cannot be shared evenly by two cores (one core sat idle for 0.7 s of a 2.3 s bound of the
    2x3 benchmark table, whose nodes took 3.95 s in all, measured one by one); four pieces can.
    Measured on 2026-12-03, alternated, 8 bounds each (median, range): 2x3 benchmark table 2.08 s
    (1.88-2.31) with chains of 2, 2.18 s (2.11-2.31) with chains of 3; the 2x3 table of
    ``benchmarks/bff_scaling.py`` 2.15 s against 2.26 s; its 3x3 table 16.9-17.2 s against
    17.8-19.7 s (2 bounds each); its 2x2 table 0.71-0.84 s against 0.68-0.76 s (its nodes are
    cheap, the cold starts of the shorter chains cost more than the balance wins); the corpus of
    ``benchmarks/bff_tightness.py`` at m = 8 80.8 s against 84.4 s, largest bracket 5.1e-7 against
    6.4e-7 (not alternated)."""
    if nodes <= 7:
        return SHORT_CHAIN
    return max(CHAIN, (nodes + 1) // 6)


_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0
_ENGINES: dict[str, object] = {}  # in a worker: digest -> engine


def worker_processes(workers: int, nodes: int) -> int:
    """How many worker processes solve nodes beside this process's thread: ``workers - 1``
    (at most ``nodes - 1``), or 0 where processes are not available (module docstring)."""
    if os.environ.get(PROCESSES_ENV, "").strip() == "0" or multiprocessing.current_process().daemon:
        return 0
    return max(0, min(workers, nodes) - 1)


def _limit_blas() -> None:
    """Worker initialiser: one BLAS thread (the other cores run the other nodes), and a watch on
    the parent (:func:`_exit_with_parent`)."""
    os.environ[PROCESSES_ENV] = "0"  # a worker never starts workers of its own
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), name="parent-watch",
                         daemon=True).start()
    with contextlib.suppress(ImportError):
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)


def _exit_with_parent(sentinel: int) -> None:
    """In a worker: exit as soon as the parent process has gone, however it ended. A worker waits
    for tasks on a queue whose write end it holds itself, so a killed parent (SIGKILL, no
    shutdown) would otherwise leave it waiting for ever (found: an orphan idle for 30 min after
    its bound's process was killed)."""
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


@contextlib.contextmanager
def _without_main():
    """Hide ``__main__``'s file and spec while workers are spawned, so they do not import it
    (``multiprocessing.spawn.get_preparation_data`` reads both when a process starts)."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    try:
        for k in saved:
            setattr(main, k, None) if k == "__spec__" else delattr(main, k)
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def _pool(size: int) -> ProcessPoolExecutor:
    """The process's worker pool, with at least ``size`` workers (one less than the CPU cores
    unless more are asked for); started once, again after a failure or when more are needed.
    A bound keeps at most its own number of workers busy."""
    global _POOL, _POOL_SIZE
    if _POOL is None or _POOL_SIZE < size or getattr(_POOL, "_broken", False):
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL_SIZE = max(size, (os.cpu_count() or 1) - 1)
        _POOL = ProcessPoolExecutor(max_workers=_POOL_SIZE, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_limit_blas)
    return _POOL


def _drop_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=False, cancel_futures=True)
    _POOL = None


def _solve_in_worker(blob: bytes, digest: str, i: int, d, d_lo, d_hi, warm=None):
    """In a worker: node i of the pickled engine; returns the result and what the engine cached."""
    engine = _ENGINES.get(digest)
    if engine is None:
        engine = pickle.loads(blob)
        while len(_ENGINES) >= KEEP_ENGINES:
            _ENGINES.pop(next(iter(_ENGINES)))
        _ENGINES[digest] = engine
    report, point = engine.solve_node(i, d, d_lo, d_hi, warm)
    return report, point, engine._recession, engine._interior.get(i)


class _WorkerFailed(Exception):
    """A worker could not solve its node for a reason of its own (not the node's SDP)."""


def chain_predecessors(order: list[int], chain: int | None = None) -> dict[int, int | None]:
    """Node -> the node whose first-route iterate starts its interior point (``None``: the default
    start), for ``order``, the nodes by ascending t: the smallest t (the slowest node, which takes
    the retries) stands alone, the others form chains of ``chain`` (default :func:`chain_length`)
    consecutive nodes, each started from the one before it. Fixed by the node count alone, so a
    node's result does not depend on the number of workers or on which node finishes first."""
    chain = chain_length(len(order)) if chain is None else chain
    pred: dict[int, int | None] = {order[0]: None} if order else {}
    for k, i in enumerate(order[1:]):
        pred[i] = None if k % chain == 0 else order[k]
    return pred


def solve_nodes(engine, d, d_lo, d_hi) -> list:
    """``engine.solve_node(i, d, d_lo, d_hi)`` for every node, in node order, solved in parallel
    (module docstring), with a progress bar ("BFF bound: SDP nodes"). Each node's first
    interior-point route starts from its own iterate in the engine's previous bound (the engine's
    ``warm_start``), else from its chain predecessor's in this bound (:func:`chain_predecessors`;
    our interior point only, without symmetry reduction or slack, where the start is used); a
    node is handed out once its predecessor is solved."""
    nodes = list(engine.node_indices)
    processes = worker_processes(engine.workers, len(nodes))
    order = sorted(nodes, key=lambda i: engine.t[i])  # the costly small-t nodes first
    previous = engine._warm if engine.warm_start else {}
    chained = engine.solver == "ipm" and not engine.symmetry and not np.any(d_hi > d_lo)
    pred = {i: None if i in previous or not chained else p for i, p in chain_predecessors(order).items()}
    results: dict[int, tuple] = {}
    blob = digest = None
    if processes:
        try:
            blob = pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL)
            digest = hashlib.sha1(blob).hexdigest()
        except (pickle.PicklingError, AttributeError, TypeError):  # e.g. a function set on the instance
            processes = 0
    threads = 1 if processes else min(engine.workers, len(nodes))
    progress = bar("BFF bound: SDP nodes", len(nodes), unit="node")
    running: dict[Future, tuple[int, bool]] = {}

    def warm(i: int):  # the node's start: from the engine's previous bound, or its chain predecessor's
        if i in previous:
            return previous[i]
        return None if pred[i] is None else results[pred[i]][0].warm

    def ready() -> int | None:  # the first node by t whose predecessor is solved
        for k, i in enumerate(order):
            if pred[i] is None or pred[i] in results:
                return order.pop(k)
        return None

    local_busy = remote_busy = 0
    try:
        with ThreadPoolExecutor(max_workers=threads) as local:
            def fill() -> None:
                nonlocal local_busy, remote_busy
                while local_busy < threads and (i := ready()) is not None:
                    running[local.submit(engine.solve_node, i, d, d_lo, d_hi, warm(i))] = (i, False)
                    local_busy += 1
                while remote_busy < processes and (i := ready()) is not None:
                    with _without_main():
                        running[_pool(processes).submit(_solve_in_worker, blob, digest, i, d, d_lo, d_hi,
                                                        warm(i))] = (i, True)
                    remote_busy += 1

            fill()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i, remote = running.pop(fut)
                    if remote:
                        remote_busy -= 1
                        try:
                            report, point, recession, interior = _remote_result(fut)
                        except _WorkerFailed:
                            processes = 0  # the rest here; the node again in this process
                            _drop_pool()
                            order.insert(0, i)
                            continue
                        if engine._recession is None and recession is not None:
                            engine._recession = recession
                        if interior is not None:
                            engine._interior.setdefault(i, interior)
                        results[i] = (report, point)
                    else:
                        local_busy -= 1
                        results[i] = fut.result()
                    progress.update()
                fill()
    finally:
        for fut in running:
            fut.cancel()
        progress.close()
    return [results[i] for i in nodes]


def _remote_result(fut: Future):
    """A worker's result; :class:`SolverError` as raised there; anything else (a dead worker, an
    engine it could not unpickle) is :class:`_WorkerFailed`."""
    try:
        return fut.result()
    except SolverError:
        raise
    except (BrokenProcessPool, CancelledError, pickle.PicklingError, AttributeError, ImportError, EOFError,
            OSError) as exc:
        raise _WorkerFailed(str(exc)) from exc
