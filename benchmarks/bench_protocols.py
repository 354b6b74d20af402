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
