"""``diqkd entropy`` run as a program."""

import json
import subprocess
import sys

import numpy as np
import pytest

from protocols import CorrelationTable, pironio_entropy_bound


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


def test_entropy_below_the_local_bound_is_zero_without_a_solve():
    code, out, err = run("entropy", "--chsh", "1.9", "--json")
    assert code == 0, err
    assert json.loads(out)["H_AE"] == 0.0


@pytest.mark.parametrize(
    "args, words",
    [
        (["entropy", "--chsh", "2.95"], "Tsirelson"),
        (["entropy", "--chsh", "2.5", "--noise", "0.7"], "flip probability"),
        (["entropy", "--chsh", "2.5", "--nodes", "1"], "m must be"),
        (["entropy", "--chsh", "2.5", "--key-input", "1"], "--key-input goes with --table"),
        (["entropy", "--chsh", "2.5", "--tolerance", "1e-3"], "go with --nodes auto"),
        (["entropy", "--chsh", "2.5", "--nodes", "auto", "--tolerance", "1e-9"], "tolerance must be in"),
        (["entropy", "--chsh", "2.5", "--nodes", "auto", "--max-nodes", "60"], "--max-nodes must be"),
    ],
)
def test_bad_input(args, words):
    code, out, err = run(*args, "--json")
    assert code == 1 and out == "" and words in err and "Traceback" not in err


def test_table_errors(tmp_path):
    path = tmp_path / "t.json"
    CorrelationTable(np.full((2, 2, 3, 2), 1 / 6)).save(path)
    code, out, err = run("entropy", "--table", str(path), "--key-input", "0", "--json")
    assert code == 1 and "binary" in err
    CorrelationTable(np.full((2, 2, 2, 2), 0.25)).save(path)
    code, out, err = run("entropy", "--table", str(path), "--key-input", "3", "--json")
    assert code == 1 and "--key-input must be an integer in [0, 1], got 3" in err
    code, out, err = run("entropy", "--table", str(path), "--json")
    assert code == 1 and "--key-input" in err


@pytest.mark.slow
def test_entropy_chsh_json():
    code, out, err = run("entropy", "--chsh", "2.7", "--nodes", "6", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"H_AE", "status", "certified_gap", "affine_bound", "node_values"} <= set(d)
    assert pironio_entropy_bound(2.7) - 5e-3 <= d["H_AE"] <= pironio_entropy_bound(2.7)


def test_entropy_nodes_auto_json():
    """``--nodes auto``: one JSON object with the sequence of m, one progress line per m on stderr."""
    code, out, err = run("entropy", "--chsh", "2.7", "--nodes", "auto", "--tolerance", "5e-3", "--max-nodes", "8",
                         "--json")
    assert code == 0, err
    d = json.loads(out)
    seq = d["nodes_auto"]["sequence"]
    assert [s["nodes"] for s in seq][:2] == [4, 6]
    assert d["H_AE"] == max(s["H_AE"] for s in seq) and d["nodes"] == d["nodes_auto"]["nodes"]
    assert d["H_AE"] <= pironio_entropy_bound(2.7)
    assert sum("H(A|E) >=" in line and "bit" in line for line in err.splitlines()) == len(seq)
