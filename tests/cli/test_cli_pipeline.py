"""``diqkd pipeline`` runs as a program: the paper's 1.5e6 ion rounds, locally and over TCP."""

import json
import subprocess
import sys

import pytest

pytest.importorskip("qiskit")
pytest.importorskip("ldpc")


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("transport", ["local", "tcp"])
def test_pipeline_on_the_ion_link_gives_equal_keys(transport):
    code, out, err = run("pipeline", "--platform", "ion", "--rounds", "1.5e6", "--seed", "7", "--transport",
                         transport, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["aborted"] is False and d["reason"] is None and d["keys_equal"] is True
    assert d["transport"] == transport and d["frame_errors"] == 0
    # the key is the finite-size bound (diqkd finite-key) at the same n, gamma, omega_thr and leakage
    fk_code, fk_out, fk_err = run("finite-key", "--n", "1500000", "--gamma", str(d["gamma"]),
                                  "--S", repr(d["design"]["S"]), "--Q", repr(d["design"]["Q"]),
                                  "--eps-sound", "1e-10", "--leak-ec", repr(d["leak_ec_bits"]), "--json")
    assert fk_code == 0, fk_err
    assert abs(d["key_length"] - json.loads(fk_out)["key_length"]) <= 0.1 * d["key_length"]
    assert d["balance"]["total"]["generated"] == d["key_length"]
    # the link is better than its design point: the observed H(A|B) is smaller, so f is larger
    assert d["design_efficiency"] <= 1.15 < d["efficiency"]
    assert len(d["key_sha256"]) == 64 and _longest_list(d) < 100  # the key bits themselves are never printed


def _longest_list(value) -> int:
    if isinstance(value, dict):
        return max((_longest_list(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max([len(value), *(_longest_list(v) for v in value)])
    return 0


def test_pipeline_text_output_and_abort_reason():
    code, out, err = run("pipeline", "--platform", "ion", "--rounds", "1.5e6", "--seed", "1", "--extra-noise", "0.05")
    assert code == 0, err
    assert "ABORTED: error correction failed" in out and "\nkey:" not in out


def test_pipeline_bad_input_is_one_line():
    code, out, err = run("pipeline", "--platform", "ion", "--rounds", "1e6", "--seed", "1", "--gamma", "1.5")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "--gamma" in err and "1.5" in err
