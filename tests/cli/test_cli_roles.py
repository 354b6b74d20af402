"""``diqkd chsh`` scores each platform's own table on the roles the table declares, without flags."""

import json
import subprocess
import sys

import pytest


def run(*args, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True,
                          timeout=300, input=stdin)
    return proc.returncode, proc.stdout, proc.stderr


def table_then_chsh(*table_args):
    code, out, err = run("table", *table_args, "--json")
    assert code == 0, err
    meta = json.loads(out)
    code, chsh, err = run("chsh", "-", "--json", stdin=out)
    assert code == 0, err
    return meta, json.loads(chsh)


def test_ion_table_is_scored_on_its_key_pair():
    pytest.importorskip("qiskit")
    table, d = table_then_chsh("ion")
    assert d["roles_from"] == "table" and d["key"] == [0, 2]
    assert d["S"] == pytest.approx(table["meta"]["S"], abs=1e-12)
    assert d["Q"] == pytest.approx(table["meta"]["Q"], abs=1e-12)
    assert abs(d["Q"] - 0.0144) < 5e-4  # Nadlinger et al.: Q = 1.44(2)% (not P(a != b | 0, 0))


def test_cat_table_is_scored_on_its_chsh_inputs():
    table, d = table_then_chsh("cat", "--distance-km", "0", "--backend", "analytic")
    assert d["roles_from"] == "table" and d["x"] == [1, 2] and d["y"] == [0, 1] and d["minus"] == [1, 1]
    # the same score as the flags spelled out, and not the default inputs' score
    code, out, err = run("chsh", "-", "--x", "1,2", "--y", "0,1", "--minus", "1,1", "--json", stdin=json.dumps(table))
    assert d["S"] == pytest.approx(json.loads(out)["S"], abs=1e-12) and d["S"] > 2.3
    del table["roles"]
    code, out, err = run("chsh", "-", "--json", stdin=json.dumps(table))
    assert json.loads(out)["roles_from"] == "defaults" and json.loads(out)["S"] != pytest.approx(d["S"], abs=1e-3)


def test_photonic_table_declares_its_roles():
    pytest.importorskip("qutip")
    _, d = table_then_chsh("photonic", "--backend", "gaussian")
    assert d["roles_from"] == "table" and d["key"] == [0, 2] and d["y"] == [0, 1]


def test_finite_key_takes_s_and_q_from_the_tables_roles(tmp_path):
    pytest.importorskip("qiskit")
    code, out, err = run("table", "ion", "--json")
    path = tmp_path / "ion.json"
    path.write_text(out)
    meta = json.loads(out)["meta"]
    code, out, err = run("finite-key", "--n", "1.5e6", "--gamma", "0.05078125", "--eps-sound", "1e-10",
                         "--table", str(path), "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["S"] == pytest.approx(meta["S"], abs=1e-12) and d["Q"] == pytest.approx(meta["Q"], abs=1e-12)
    code, ref, err = run("finite-key", "--n", "1.5e6", "--gamma", "0.05078125", "--eps-sound", "1e-10",
                         "--S", repr(meta["S"]), "--Q", repr(meta["Q"]), "--json")
    assert json.loads(ref)["key_length"] == d["key_length"]
    code, out, err = run("finite-key", "--n", "1e6", "--gamma", "0.05", "--eps-sound", "1e-10", "--table", str(path),
                         "--Q", "0.01")
    assert code == 1 and "do not combine" in err
