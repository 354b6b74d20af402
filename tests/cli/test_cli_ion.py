"""``diqkd table ion`` and ``diqkd keyrate ion`` run as programs."""

import json
import math
import subprocess
import sys

import pytest

from protocols import CorrelationTable, chsh_score, qber

pytestmark = pytest.mark.ion


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr



def test_table_ion_defaults_and_flags():
    code, out, err = run("table", "ion", "--json")
    assert code == 0, err
    table = CorrelationTable.from_json(out)
    assert table.shape == (2, 3, 2, 2) and table.rounds_per_second > 0
    assert chsh_score(table, (0, 1), (0, 1), (1, 1)) == pytest.approx(2.677, abs=0.006)
    code, out, err = run("table", "ion", "--readout-error", "0", "--mode-overlap", "1", "--ion-photon-fidelity", "1",
                         "--polarisation-drift-rad", "0", "--ion-wait-time-s", "0", "--dark-count-rate-hz", "0",
                         "--bob-angles-deg", "45,-45,0", "--json")
    assert code == 0, err
    ideal = CorrelationTable.from_json(out)
    assert chsh_score(ideal, (0, 1), (0, 1), (1, 1)) == pytest.approx(2 * math.sqrt(2))
    assert qber(ideal, (0, 2)) == pytest.approx(0, abs=1e-12)


def test_table_ion_bad_input():
    code, _, err = run("table", "ion", "--readout-error", "1.5")
    assert code == 1 and "--readout-error" in err and "Traceback" not in err
    code, _, err = run("table", "ion", "--bob-angles-deg", "1,2")
    assert code == 2 and "expected 3" in err


def test_keyrate_ion():
    code, out, err = run("keyrate", "ion", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert 0 < d["rate_per_round"] < 1
    assert d["bits_per_second"] == pytest.approx(d["rate_per_round"] * d["rounds_per_second"])
    assert d["bits_per_attempt"] == pytest.approx(d["rate_per_round"] * d["herald_probability"])
    assert d["distance_km"] == 0 and d["units"]["bits_per_attempt"].startswith("bits per attempt")


def test_keyrate_ion_over_fibre():
    code, out, err = run("keyrate", "ion", "--distance-km", "20", "--json")
    assert code == 0, err
    d = json.loads(out)
    _, near, _ = run("keyrate", "ion", "--json")
    near = json.loads(near)
    assert d["distance_km"] == 20 and 0 < d["bits_per_second"] < near["bits_per_second"]
    # the herald's return over 20 km (n_g = 1.468) slows the 1 MHz attempts
    assert d["attempts_per_second"] == pytest.approx(1 / (1e-6 + 20e3 * 1.468 / 299_792_458.0))
    code, _, err = run("keyrate", "ion", "--distance-km", "-3")
    assert code == 1 and "--distance-km" in err and "Traceback" not in err
