"""``diqkd table cat`` and ``diqkd keyrate cat`` run as programs."""

import json
import math
import subprocess
import sys

import pytest

from protocols import CorrelationTable, chsh_score

pytestmark = pytest.mark.cat


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("backend", ["analytic", "strawberryfields"])
def test_table_cat_is_a_valid_table(backend):
    code, out, err = run("table", "cat", "--scheme", "ecs", "--mu", "0.1", "--distance-km", "100",
                         "--backend", backend, "--json")
    assert code == 0, err
    table = CorrelationTable.from_json(out)
    assert table.shape == (3, 2, 2, 2)
    assert table.meta["backend"] == backend and table.meta["mu"] == 0.1
    assert 2 < chsh_score(table, (1, 2), (0, 1), (1, 1)) < 2 * math.sqrt(2)


def test_keyrate_cat_keys_and_values():
    code, out, err = run("keyrate", "cat", "--scheme", "ecs", "--distance-km", "300", "--optimise-mu", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"rate", "mu", "S", "e_zz", "Q_zz", "plob"} <= set(d)
    assert d["rate"] > d["plob"] > 0  # the seed's headline: ECS beats PLOB at 300 km
    code, out, _ = run("keyrate", "cat", "--scheme", "bell", "--distance-km", "300", "--json")
    b = json.loads(out)
    assert code == 0 and b["mu"] is None and 0 < b["rate"] < d["rate"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["keyrate", "cat", "--distance-km", "-5"], "--distance-km"),
        (["keyrate", "cat", "--distance-km", "5", "--mu", "0"], "mu"),
        (["table", "cat", "--distance-km", "5", "--detector-efficiency", "1.5"], "--detector-efficiency"),
        (["keyrate", "cat", "--scheme", "bell", "--distance-km", "5", "--mu", "0.1"], "ECS scheme only"),
        (["table", "cat", "--distance-km", "5", "--cutoff", "3"], "too small"),
    ],
)
def test_bad_input(args, words):
    code, out, err = run(*args, "--json")
    assert code == 1 and out == "" and words in err and "Traceback" not in err
