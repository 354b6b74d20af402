"""Protocol-layer benchmarks."""

from registry import benchmark


@benchmark("protocols: optimal_noise (S, Q)", repeat=5)
def _optimal_noise():
    from protocols import optimal_noise

    return lambda: optimal_noise(2.5, 0.05)


@benchmark("protocols: table validation 3x3x2x2", repeat=50)
def _table():
    import numpy as np

    from protocols import CorrelationTable

    P = np.full((3, 3, 2, 2), 0.25)
    return lambda: CorrelationTable(P)


@benchmark("bff: CHSH-only bound, 2x2, m=8 (after the engine is built)", "<= 0.3 s (issue 15)", repeat=5)
def _bff_chsh():
    from protocols.bff import EntropyEngine, bff_entropy_chsh

    engine = EntropyEngine(2, 2, 0, "chsh", nodes=8)
    return lambda: bff_entropy_chsh(2.7, engine=engine)


def _table_2x3():
    import numpy as np

    from protocols import CorrelationTable

    X = np.array([[0, 1], [1, 0]])
    Zp = np.diag([1, -1])

    def proj(theta):
        O = np.sin(theta) * X + np.cos(theta) * Zp
        return [(np.eye(2) + O) / 2, (np.eye(2) - O) / 2]

    phi = np.array([1, 0, 0, 1]) / np.sqrt(2)
    rho = 0.95 * np.outer(phi, phi) + 0.05 * np.eye(4) / 4
    A = [proj(0), proj(np.pi / 2)]
    B = [proj(np.pi / 4), proj(-np.pi / 4), proj(0)]
    P = np.array([[[[np.trace(rho @ np.kron(A[x][a], B[y][b])).real for b in range(2)] for a in range(2)]
                   for y in range(3)] for x in range(2)])
    return CorrelationTable(P)




def _schur_inputs(form: str = "moment"):
    """A 2x3 node's LMI at random positive definite points: the moment form (68 x 68, 690 moments)
    or the exact-dual LMI (``dual_form.py``: 68 x 68, 1,671 parameters)."""
    import numpy as np

    from protocols.bff import EntropyEngine
    from protocols.bff.dual_form import dual_lmi
    from protocols.bff.ipm import MomentSDP

    eng = EntropyEngine(2, 3, 0, "table", nodes=8)
    if form == "moment":
        lmi = MomentSDP(eng.struct)
    else:
        d = np.full(len(eng.G), 0.3)
        lmi = dual_lmi(eng.struct, eng.G, eng.E, eng.node_cost(0, False), d, d,
                       np.full(len(eng.E), eng.node_norm2(0, False))).sdp
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(2, lmi.n, lmi.n))
    return lmi, np.linalg.inv(A @ A.T + np.eye(lmi.n)), B @ B.T


def _one_blas_thread(fn):
    from threadpoolctl import threadpool_limits

    def run():
        with threadpool_limits(1):  # as inside a bound (one BLAS thread per node)
            return fn()
    return run


@benchmark("bff: one Schur complement, 2x3 node (690 moments), per entry (ipm._SchurPlan), 1 BLAS thread",
           repeat=20)
def _schur_plan():
    lmi, Sinv, Z = _schur_inputs()
    return _one_blas_thread(lambda: lmi.schur(Sinv, Z))


@benchmark("bff: one Schur complement, 2x3 node (690 moments), dense S^-1 (F_l Z) products, 1 BLAS thread",
           repeat=20)
def _schur_dense():
    lmi, Sinv, Z = _schur_inputs()
    return _one_blas_thread(lambda: lmi.dense_schur(Sinv, Z))


@benchmark("bff: one Schur complement, 2x3 exact-dual LMI (1,671 parameters), per entry, 1 BLAS thread",
           repeat=10)
def _schur_plan_dual():
    lmi, Sinv, Z = _schur_inputs("dual")
    return _one_blas_thread(lambda: lmi.schur(Sinv, Z))


@benchmark("bff: one Schur complement, 2x3 exact-dual LMI (1,671 parameters), dense products, 1 BLAS thread",
           repeat=5)
def _schur_dense_dual():
    lmi, Sinv, Z = _schur_inputs("dual")
    return _one_blas_thread(lambda: lmi.dense_schur(Sinv, Z))


@benchmark("bff: full 2x3 table bound, m=8 (after the engine is built)", "<= 2 s (issue 15)", repeat=2)
def _bff_table():
    from protocols.bff import EntropyEngine

    table = _table_2x3()
    engine = EntropyEngine(2, 3, 0, "table", nodes=8)
    return lambda: engine.bound(engine.table_data(table))


@benchmark("bff: full 2x3 table bound, m=8 (cold engine: build; recession direction from the disk cache)", "",
           repeat=1, warmup=False)
def _bff_table_cold():
    from protocols.bff import EntropyEngine

    table = _table_2x3()

    def run():
        engine = EntropyEngine(2, 3, 0, "table", nodes=8)
        return engine.bound(engine.table_data(table))

    return run


@benchmark("bff: sweep of 20 CHSH values reusing one engine, m=8 (cold engine)", "", repeat=1, warmup=False)
def _bff_sweep():
    import numpy as np

    from protocols.bff import EntropyEngine, bff_entropy_chsh

    engine = EntropyEngine(2, 2, 0, "chsh", nodes=8)
    return lambda: [bff_entropy_chsh(S, engine=engine) for S in np.linspace(2.2, 2.8, 20)]


@benchmark("cli: `diqkd entropy --chsh 2.5 --json`, cold (a fresh interpreter; recession direction from the "
           "disk cache after the warm-up run)", "<= 2 s (issue 15)", repeat=2, warmup=True)
def _cli_entropy_cold():
    import subprocess
    import sys

    return lambda: subprocess.run([sys.executable, "-m", "diqkd.cli", "entropy", "--chsh", "2.5", "--json"],
                                  capture_output=True, check=True)


@benchmark("cli: `diqkd --help` start-up (a fresh interpreter)", "<= 0.5 s", repeat=5, warmup=True)
def _cli_help():
    import subprocess
    import sys

    return lambda: subprocess.run([sys.executable, "-m", "diqkd.cli", "--help"], capture_output=True, check=True)


@benchmark("cli: `diqkd rate --S 2.7 --Q 0.02` (a fresh interpreter)", "<= 0.5 s", repeat=5, warmup=True)
def _cli_rate():
    import subprocess
    import sys

    return lambda: subprocess.run([sys.executable, "-m", "diqkd.cli", "rate", "--S", "2.7", "--Q", "0.02"],
                                  capture_output=True, check=True)
