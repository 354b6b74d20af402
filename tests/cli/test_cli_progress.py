"""Progress goes to stderr (and only when wanted); ``--json`` stdout stays one JSON object."""

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("tqdm")


def run(*args, env=None):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def test_progress_bars_go_to_stderr_and_json_stays_valid():
    code, out, err = run("entropy", "--chsh", "2.7", "--nodes", "4", "--json", env={"DIQKD_PROGRESS": "1"})
    assert code == 0, err
    assert json.loads(out)["H_AE"] > 0  # stdout is exactly one JSON object
    assert "BFF bound: SDP nodes" in err and "node" in err


def test_quiet_and_non_terminals_draw_no_bars():
    code, out, err = run("entropy", "--chsh", "2.7", "--nodes", "4", "--json", "--quiet", env={"DIQKD_PROGRESS": "1"})
    assert code == 0 and err == ""
    code, out, err = run("entropy", "--chsh", "2.7", "--nodes", "4", "--json", env={"DIQKD_PROGRESS": ""})
    assert code == 0 and err == ""  # stderr is a pipe here, not a terminal


def test_every_command_accepts_quiet():
    from diqkd.cli import build_parser

    parser = build_parser()
    for argv in (["rate", "--S", "2.7", "--Q", "0.02"], ["table", "ion"], ["keyrate", "cat", "--distance-km", "1"],
                 ["pipeline", "--platform", "ion", "--rounds", "10", "--seed", "1"], ["reproduce"],
                 ["threshold", "photonic"], ["finite-key", "--n", "10", "--gamma", ".1", "--S", "2.5", "--Q", "0",
                                             "--eps-sound", "1e-9"]):
        assert parser.parse_args([*argv, "--quiet"]).quiet is True
