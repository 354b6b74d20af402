"""``diqkd table photonic`` runs as a program."""

import subprocess
import sys

import pytest

from protocols import CorrelationTable

pytestmark = pytest.mark.photonic


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_table_photonic_flags_and_errors():
    code, out, err = run("table", "photonic", "--eta", "0.9", "--fiber-m", "80", "--alice-angles=-88.22,54.29",
                         "--bob-angles=9.75,21.45,-1.07", "--angle-convention", "hwp", "--json")
    assert code == 0, err
    table = CorrelationTable.from_json(out)
    assert table.shape == (2, 3, 2, 2) and table.meta["parameters"]["eta_a"] == 0.9
    assert table.meta["parameters"]["angle_convention"] == "hwp" and table.a_labels == ("click", "no-click")
    code, _, err = run("table", "photonic", "--bob-angles", "1,2")
    assert code == 2 and "expected 3" in err
    for bad, word in ((("--eta", "1.5"), "--eta must be a number in [0, 1]"),
                      (("--fiber-m", "-1"), "--fiber-m must be"),
                      (("--pair-mean-number", "0.5", "--cutoff", "3"), "too small")):
        code, _, err = run("table", "photonic", *bad)
        assert code == 1 and word in err and "Traceback" not in err


def test_keyrate_photonic_fixed_parameters():
    import json

    code, out, err = run("keyrate", "photonic", "--source", "pair", "--eta", "0.97", "--postselect", "0.9",
                         "--noise", "0.05", "--nodes", "8", "--settings", "paper", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"rate_per_round", "bits_per_second", "H_AE", "H_AB", "p_V", "postselect", "noise"} <= set(d)
    assert d["optimised"] is False and d["postselect"] == 0.9 and d["noise"] == 0.05
    assert d["rate_per_round"] == max(0.0, d["raw_rate"]) and 0 < d["H_AE"] <= 1
    assert d["bits_per_second"] == d["rate_per_round"] * 2e6
    assert d["settings"]["theta_deg"] == 20.0 and d["settings"]["bob_angles_deg"] == [9.75, 21.45, -1.07]
    assert d["settings_used"] == "paper" and d["postselect_noise_from"] == "flags"
    code, _, err = run("keyrate", "photonic", "--postselect", "1.5", "--noise", "0.1")
    assert code == 1 and "post-selection probability" in err


def test_threshold_photonic_bisection_is_consistent():
    import json

    code, out, err = run("threshold", "photonic", "--source", "pair", "--postselect", "0.9", "--noise", "0.05",
                         "--nodes", "4", "--tolerance", "0.02", "--json")
    assert code == 0, err
    d = json.loads(out)
    lo, hi = d["bracket"]
    assert hi - lo <= 0.02 and d["threshold_eta"] == hi and 0.8 < hi < 0.95
    rates = {e["eta"]: e["rate_per_round"] for e in d["evaluations"]}
    assert rates[hi] > 0 and rates[1.0] > 0 and rates[0.5] <= 0
    assert all(r <= 0 for eta, r in rates.items() if eta <= lo) and all(r > 0 for eta, r in rates.items() if eta >= hi)


@pytest.mark.slow
def test_photonic_liu_study_writes_its_files(tmp_path):
    """The Table III study end to end (slow: ~10 min with 4 nodes)."""
    from diqkd.studies.photonic_liu import run

    summary = run(tmp_path, nodes=4, search_nodes=4)
    written = {p.name for p in tmp_path.iterdir()}
    assert {"table3_rate_vs_fibre.csv", "rate_vs_efficiency.csv", "summary.json"} <= written
    rates = [r["raw_rate"] for r in summary["ours"]["table3"]]
    assert rates[0] >= rates[2] - 1e-4  # 200 m more fibre cannot help (optimiser noise aside)


@pytest.mark.slow
def test_keyrate_photonic_optimise_never_loses_to_its_start():
    """--optimise moves p, p_N and the settings only when the certified rate improves, so with the
    same nodes for search and certificate it cannot end below the fixed-parameter rate it starts
    from (a separate run)."""
    import json

    flags = ["--source", "pair", "--eta", "0.95", "--postselect", "0.9", "--noise", "0.05", "--nodes", "4", "--json"]
    code, out, err = run("keyrate", "photonic", *flags)
    assert code == 0, err
    fixed = json.loads(out)
    code, out, err = run("keyrate", "photonic", *flags, "--optimise", "--search-nodes", "4")
    assert code == 0, err
    best = json.loads(out)
    assert best["optimised"] is True and best["settings_optimised"] is True
    assert best["raw_rate"] >= fixed["raw_rate"] - 1e-9
    assert len(best["settings"]["alice_angles_deg"]) == 2 and len(best["settings"]["bob_angles_deg"]) == 3


def test_photonic_headline_writes_table3_and_recomputes_every_rate(tmp_path):
    """The fast study of ``diqkd reproduce``: files written, one certified row per length, and the
    20 m row is what a separate solve with the recorded inputs gives."""
    from diqkd.studies.photonic_liu import LENGTHS_M, OPTIMISED, headline
    from protocols.postselection import postselected_key_rate
    from qmodels.photonic import PhotonicSetup, photonic_table

    summary = headline(tmp_path, nodes=4)
    assert {"table3_rate_vs_fibre.csv", "summary.json", "table3.png"} <= {p.name for p in tmp_path.iterdir()}
    rows = summary["ours"]["table3"]
    assert [r["fiber_m"] for r in rows] == list(LENGTHS_M)
    assert all(r["rate_per_round"] == max(0.0, r["raw_rate"]) for r in rows)
    p, pn = OPTIMISED["postselect_noise"]["20"]
    table = photonic_table(PhotonicSetup().with_settings(OPTIMISED["settings"]))
    again = postselected_key_rate(table, p, pn, nodes=4)
    assert rows[0]["raw_rate"] == pytest.approx(again.rate_per_round, abs=1e-7)


def test_keyrate_photonic_without_flags_gives_the_key_a_user_expects():
    """Default: the recorded optimised settings and p, p_N of 20 m, one certified 24-node bound; the
    rate is the reproduce study's 20 m row (433 bit/s, README), and the output says what was used."""
    import json

    code, out, err = run("keyrate", "photonic", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["settings_used"] == "optimised" and d["postselect_noise_from"] == "recorded optimum"
    assert (d["postselect"], d["noise"]) == (0.7352, 0.0264) and d["settings"]["theta_deg"] == 12.3195
    assert 300 < d["bits_per_second"] < 600 and d["units"]["bits_per_second"] == "bit/s"


def test_recorded_postselection_is_linear_between_the_recorded_lengths_and_held_beyond():
    from diqkd.studies.photonic_liu import OPTIMISED, recorded_postselection

    for L, pair in OPTIMISED["postselect_noise"].items():
        assert recorded_postselection(float(L)) == pytest.approx(tuple(pair), abs=1e-15)
    assert recorded_postselection(50.0) == pytest.approx((0.7277, 0.02825), abs=1e-12)  # halfway 20-80 m, by hand
    assert recorded_postselection(150.0) == pytest.approx((0.70145, 0.03085), abs=1e-12)  # halfway 80-220 m
    assert recorded_postselection(0.0) == pytest.approx((0.7352, 0.0264))
    assert recorded_postselection(5000.0) == pytest.approx((0.6827, 0.0316))


def test_keyrate_photonic_searches_near_the_recorded_optimum_only_on_liu_et_als_link():
    """Between the recorded lengths, Liu et al.'s link with the recorded settings starts its p, p_N
    search from the interpolated record (a small simplex); another link starts from afar (0.9, 0.1)."""
    import json
    from dataclasses import replace

    from diqkd.commands.photonic import _liu_link_with_recorded_settings
    from diqkd.studies.photonic_liu import OPTIMISED, RECORDED_EVALUATIONS
    from qmodels.photonic import PhotonicSetup

    liu = PhotonicSetup().with_settings(OPTIMISED["settings"])
    assert _liu_link_with_recorded_settings(replace(liu, fiber_m=50.0))
    assert not _liu_link_with_recorded_settings(replace(liu, eta_a=0.9, eta_b=0.9))
    assert not _liu_link_with_recorded_settings(PhotonicSetup())  # Liu et al.'s own angles

    code, out, err = run("keyrate", "photonic", "--fiber-m", "50", "--nodes", "4", "--search-nodes", "4", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["postselect_noise_from"] == "optimised" and d["search_start"] == pytest.approx([0.7277, 0.02825])
    # Nelder-Mead from a simplex of steps (-0.03, 0.003) in RECORDED_EVALUATIONS solves stays near it
    assert abs(d["postselect"] - 0.7277) <= 0.03 * RECORDED_EVALUATIONS and abs(d["noise"] - 0.02825) <= 0.1
