"""The ``diqkd`` program, run as a program: exit status, stdout JSON, stderr messages."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from protocols import CorrelationTable, noisy_preprocessing_entropy, pironio_entropy_bound


def run(*args, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_rate_json_keys_and_values():
    code, out, err = run("rate", "--S", "2.7", "--Q", "0.02", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"H_AE", "H_AB", "rate"} <= set(d)
    assert d["H_AE"] == pytest.approx(pironio_entropy_bound(2.7))
    h = -0.02 * math.log2(0.02) - 0.98 * math.log2(0.98)
    assert d["H_AB"] == pytest.approx(h)
    assert d["rate"] == pytest.approx(d["H_AE"] - h)


def test_rate_with_noise_uses_ho():
    code, out, _ = run("rate", "--S", "2.5", "--Q", "0.05", "--noise", "0.1", "--json")
    d = json.loads(out)
    assert code == 0 and d["noise"] == 0.1
    assert d["H_AE"] == pytest.approx(noisy_preprocessing_entropy(2.5, 0.1))
    q = 0.1 + 0.05 - 2 * 0.1 * 0.05
    assert d["H_AB"] == pytest.approx(-q * math.log2(q) - (1 - q) * math.log2(1 - q))


def test_rate_optimise_noise_and_sub_classical_score():
    code, out, _ = run("rate", "--S", "2.4", "--Q", "0.06", "--optimise-noise", "--json")
    d = json.loads(out)
    assert code == 0 and 0 <= d["noise"] <= 0.5 and d["rate"] >= 0
    code, out, _ = run("rate", "--S", "1.9", "--Q", "0.1", "--json")
    assert code == 0 and json.loads(out)["rate"] == 0.0


@pytest.mark.parametrize(
    "args, words",
    [
        (["rate", "--S", "2.9", "--Q", "0.01"], "Tsirelson"),
        (["rate", "--S", "2.5", "--Q", "1.5"], "QBER"),
        (["rate", "--S", "2.5", "--Q", "0.1", "--noise", "0.6"], "flip probability"),
        (["rate", "--S", "nan", "--Q", "0.1"], "--S must be finite"),
    ],
)
def test_bad_input_is_one_line_on_stderr(args, words):
    code, out, err = run(*args, "--json")
    assert code == 1 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_usage_errors_exit_2():
    code, out, err = run("rate", "--S", "2.5", "--Q", "0.1", "--noise", "0.1", "--optimise-noise")
    assert code == 2 and out == "" and "not allowed" in err
    code, out, err = run("chsh", "x.json", "--x", "0,1,2")
    assert code == 2 and "two integers" in err


def _tsirelson(tmp_path, counts=False):
    from strategies import tsirelson_table

    P = tsirelson_table()
    if counts:
        t = CorrelationTable.from_counts(np.round(P * 4000).astype(int))
    else:
        t = CorrelationTable(P)
    path = tmp_path / "t.json"
    t.save(path)
    return path


def test_chsh_on_a_table_file(tmp_path):
    code, out, err = run("chsh", str(_tsirelson(tmp_path)), "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["S"] == pytest.approx(2 * math.sqrt(2))
    assert d["omega"] == pytest.approx(0.5 + d["S"] / 8)
    assert d["Q"] == pytest.approx(0.5 - 0.5 / math.sqrt(2))
    assert "S_interval" not in d
    code, out, _ = run("chsh", str(_tsirelson(tmp_path)), "--minus", "0,0", "--json")
    assert json.loads(out)["S"] == pytest.approx(0.0, abs=1e-12)


def test_chsh_with_counts_gives_intervals(tmp_path):
    code, out, err = run("chsh", str(_tsirelson(tmp_path, counts=True)), "--json", "--method", "clopper-pearson")
    assert code == 0, err
    d = json.loads(out)
    lo, hi = d["S_interval"]
    assert lo < d["S"] < hi and hi - lo < 0.3
    assert d["Q_interval"][0] < d["Q"] < d["Q_interval"][1]


def test_chsh_reads_stdin_and_reports_malformed_files(tmp_path):
    text = _tsirelson(tmp_path).read_text()
    code, out, _ = run("chsh", "-", "--json", stdin=text)
    assert code == 0 and "S" in json.loads(out)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "diqkd-behaviour/1", "P": [[[[0.5, 0.6]]]]}')
    code, out, err = run("chsh", str(bad), "--json")
    assert code == 1 and out == "" and "sums to 1.1" in err
    code, out, err = run("chsh", str(tmp_path / "nope.json"))
    assert code == 1 and "cannot read" in err


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("diqkd ")
