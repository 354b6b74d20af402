"""REPORT.md / REPORT.html: the numbers in the report are the run's numbers."""

import json
import re
import subprocess
import sys

import pytest

pytest.importorskip("qiskit")
pytest.importorskip("matplotlib")


def _cells(md: str, quantity: str) -> list[str]:
    for line in md.splitlines():
        if line.startswith(f"| {quantity} |"):
            return [c.strip() for c in line.strip("|").split("|")]
    raise AssertionError(f"no row {quantity!r} in the report")


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", "reproduce", "--out", str(out), "--only", "analytic",
                           "--only", "ion", "--json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out, json.loads(proc.stdout)


def test_report_numbers_are_the_runs_numbers(run):
    out, result = run
    md = (out / "REPORT.md").read_text()
    ion = json.loads((out / "ion" / "summary.json").read_text())
    assert ion == result["studies"]["ion"]
    # each 'ours' cell, read back from the markdown, equals the JSON value to the 4 digits printed
    for quantity, value in [("CHSH score S (characterisation run)", ion["ours"]["S"]),
                            ("QBER Q of the key rounds", ion["ours"]["Q"]),
                            ("acceptance threshold omega_thr (n = 1.5e6)", ion["ours"]["omega_thr"]),
                            ("error-correction syndrome", ion["protocol"]["leak_ec_bits"]),
                            ("key from the complete protocol (our code's syndrome)", ion["protocol"]["key_length"]),
                            ("pre-shared key consumed", ion["protocol"]["balance_total"]["consumed"])]:
        cells = _cells(md, quantity)
        assert _number(cells[3]) == pytest.approx(value, rel=5e-4), quantity
        paper, ours = _number(cells[2]), _number(cells[3])
        shown = float(cells[4][:-1]) / 100  # the relative difference, from the rounded cells to 2e-3
        assert abs(ours / paper - 1 - shown) < 2e-3
        assert cells[5], f"no reason given for {quantity}"
    analytic = result["studies"]["analytic"]
    cells = _cells(md, "QBER threshold, Pironio et al. bound")
    assert _number(cells[3]) == pytest.approx(analytic["threshold_qber_pironio"], rel=5e-4)
    assert "arXiv:2109.14600" in md and "Nature **607**, 682 (2022)" in md
    assert "seed" not in md.lower().replace("seed of", "")  # papers are named, not "seed"


def test_html_report_embeds_the_figures(run):
    out, _ = run
    page = (out / "REPORT.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    figures = re.findall(r'<img src="data:image/png;base64,', page)
    assert len(figures) == 3  # error budget, finite-size curve, rate vs QBER
    assert "ion/error_budget.png" not in page  # embedded, not linked


def test_reproduce_prints_a_plain_text_summary(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", "reproduce", "--out", str(tmp_path), "--only",
                           "analytic"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Report:" in proc.stdout and "REPORT.md" in proc.stdout and not proc.stdout.lstrip().startswith("{")
