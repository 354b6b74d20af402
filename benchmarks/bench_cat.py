"""Entangled-coherent-state benchmarks (issue targets reported, not asserted)."""

from registry import benchmark


def _sf_table(L: float, mu: float):
    from qmodels.cat import LinkSetup, cat_table

    setup = LinkSetup(distance_km=L, mu=mu)
    return lambda: cat_table(setup, backend="strawberryfields")


@benchmark("cat: one Strawberry Fields ECS table, L=100 km, mu=0.1 (default tolerance)", "<= 0.5 s", repeat=5)
def _sf_100():
    return _sf_table(100.0, 0.1)


@benchmark("cat: one Strawberry Fields ECS table, L=400 km, mu=0.09", "<= 0.5 s", repeat=5)
def _sf_400():
    return _sf_table(400.0, 0.09)


@benchmark("cat: one Strawberry Fields Bell-scheme table", "", repeat=5)
def _sf_bell():
    from qmodels.cat import LinkSetup, cat_table

    setup = LinkSetup(scheme="bell", distance_km=200.0)
    return lambda: cat_table(setup, backend="strawberryfields")


@benchmark("cat: 200-point distance sweep, mu optimised, analytic", "<= 5 s", repeat=3)
def _sweep():
    import numpy as np

    from diqkd.studies.cat_xie import sweep

    distances = np.linspace(0.0, 600.0, 200)
    return lambda: sweep("ecs", 0.0, distances)
