"""Photonic benchmarks (issue targets reported, not asserted)."""

from registry import benchmark


@benchmark("photonic: one QuTiP table (SPDC, mu = 0.05, cutoff from 1e-6 bound)", "<= 0.5 s", repeat=10)
def _photonic_table():
    from qmodels.photonic import PhotonicSetup, photonic_table

    setup = PhotonicSetup()
    return lambda: photonic_table(setup)


@benchmark("photonic: post-selected key rate, fixed p = 0.96, p_N = 0.13 (engine built)", "<= 20 s", repeat=2)
def _photonic_rate():
    from protocols.postselection import postselected_key_rate, postselection_engine
    from qmodels.photonic import PhotonicSetup, photonic_table

    table = photonic_table(PhotonicSetup(source="pair"))
    engine = postselection_engine(table)
    return lambda: postselected_key_rate(table, 0.96, 0.13, engine=engine)
