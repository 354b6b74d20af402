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
    for bad, word in ((("--eta", "1.5"), "eta_a"), (("--fiber-m", "-1"), "fiber_m"),
                      (("--pair-mean-number", "0.5", "--cutoff", "3"), "too small")):
        code, _, err = run("table", "photonic", *bad)
        assert code == 1 and word in err and "Traceback" not in err
