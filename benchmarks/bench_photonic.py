"""Photonic benchmarks (issue targets reported, not asserted).

The Table III benchmark takes ~3 min, the keyrate command ~20 s; run them alone with
``python benchmarks/run.py --only "Table III"`` (or ``--only "keyrate photonic"``).
"""

from registry import benchmark


@benchmark("photonic: one QuTiP table (SPDC, mu = 0.05, cutoff from 1e-6 bound)", "<= 0.5 s", repeat=10)
def _photonic_table():
    from qmodels.photonic import PhotonicSetup, photonic_table

    setup = PhotonicSetup()
    return lambda: photonic_table(setup)


@benchmark("photonic: post-selected key rate, fixed p = 0.96, p_N = 0.13, 24 nodes (engine built)", "<= 6 s (issue 15)",
           repeat=2)
def _photonic_rate():
    from protocols.postselection import postselected_key_rate, postselection_engine
    from qmodels.photonic import PhotonicSetup, photonic_table

    table = photonic_table(PhotonicSetup())
    engine = postselection_engine(table, nodes=24)
    return lambda: postselected_key_rate(table, 0.96, 0.13, engine=engine)


@benchmark("cli: `diqkd keyrate photonic --fiber-m 50 --json` (a fresh interpreter; p, p_N searched with 16 nodes "
           "near the recorded optimum, certified with 24)", "<= 30 s (issue 15)", repeat=1, warmup=False)
def _cli_keyrate_photonic():
    import subprocess
    import sys

    return lambda: subprocess.run([sys.executable, "-m", "diqkd.cli", "keyrate", "photonic", "--fiber-m", "50",
                                   "--json"], capture_output=True, check=True)


@benchmark("photonic: Table III, 3 lengths, settings + p, p_N optimised, certified with 32 nodes",
           "<= 2 min (issue 15)", repeat=1, warmup=False)
def _photonic_table3():
    import tempfile
    from pathlib import Path

    from diqkd.studies.photonic_liu import table3

    return lambda: table3(Path(tempfile.mkdtemp()))
