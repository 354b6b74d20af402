"""``diqkd finite-key`` runs as a program (protocol layer only)."""

import json
import subprocess
import sys

import pytest

SEED_POINT = ("--n", "1500000", "--gamma", str(13 / 256), "--S", "2.64", "--Q", "0.018", "--eps-sound", "1e-10")


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_finite_key_json():
    code, out, err = run("finite-key", *SEED_POINT, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"rate", "key_length", "omega_thr", "terms"} <= set(d)
    assert d["omega_thr"] == pytest.approx(0.825538, abs=5e-7)
    assert 0.85 * 95_884 <= d["key_length"] <= 1.15 * 95_884
    assert d["rate"] == pytest.approx(d["key_length"] / 1_500_000)
    assert {"eat_variance_term", "error_correction_leakage", "privacy_amplification"} <= set(d["terms"])


def test_finite_key_curve_and_leak_flag():
    code, out, err = run("finite-key", *SEED_POINT, "--leak-ec", "300000", "--curve", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["terms"]["error_correction_leakage"] == 300000
    rates = [p["rate"] for p in d["curve"]]
    assert len(rates) >= 45 and rates[0] == 0 and rates[-1] > d["rate"]
    assert all(b >= a for a, b in zip(rates, rates[1:], strict=False))


def test_finite_key_zero_key_and_errors():
    code, out, err = run("finite-key", "--n", "1000", "--gamma", "0.05", "--S", "2.64", "--Q", "0.018",
                         "--eps-sound", "1e-10", "--json")
    assert code == 0, err
    assert json.loads(out)["key_length"] == 0
    for bad, word in ((("--n", "0"), "n (heralded rounds) must be"), (("--gamma", "1.5"), "gamma"),
                      (("--S", "2.0"), "exceed 2"),
                      (("--eps-sound", "0"), "--eps-sound")):
        args = dict(zip(SEED_POINT[::2], SEED_POINT[1::2], strict=False)) | {bad[0]: bad[1]}
        code, _, err = run("finite-key", *[v for kv in args.items() for v in kv])
        assert code == 1 and word in err, err
