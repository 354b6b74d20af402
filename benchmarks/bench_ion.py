"""Trapped-ion and finite-size-key benchmarks (issue targets reported, not asserted)."""

from registry import benchmark


@benchmark("ion: one exact Qiskit table (defaults), after warm-up", "<= 0.05 s", repeat=20)
def _ion_table():
    from qmodels.ion import IonLinkSetup, ion_table

    setup = IonLinkSetup()
    return lambda: ion_table(setup)


@benchmark("ion: finite-size key, seed point (n = 1.5e6), optimised", "", repeat=5)
def _finite_point():
    from protocols.finite_key import finite_key_length

    return lambda: finite_key_length(1_500_000, 13 / 256, 2.64, 0.018, 1e-10)


@benchmark("ion: finite-size curve, 50 values of n (3e5 - 3e8)", "<= 5 s", repeat=3)
def _finite_curve():
    import numpy as np

    from protocols.finite_key import finite_key_curve

    ns = np.unique(np.geomspace(3e5, 3e8, 50).astype(int))
    return lambda: finite_key_curve(ns, 13 / 256, 2.64, 0.018, 1e-10)
