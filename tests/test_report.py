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


def test_fast_reproduction_says_what_it_coarsened(tmp_path):
    """``--fast``: the cat study on a 10 km grid; the report and the summary say so."""
    proc = subprocess.run([sys.executable, "-m", "diqkd.cli", "reproduce", "--out", str(tmp_path), "--only", "cat",
                           "--fast", "--json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["fast"] is True
    cat = result["studies"]["cat"]
    assert "10 km" in cat["coarsened"]
    rows = (tmp_path / "cat" / "fig2_ecs_vs_bell.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + 61
    md = (tmp_path / "REPORT.md").read_text()
    assert "Fast run" in md and cat["coarsened"] in md
    # the headline numbers survive the coarser grid: the ECS scheme still reaches past 400 km
    assert cat["max_distance_ecs_km"] >= 400


def test_fast_photonic_keeps_the_nodes_and_skips_rows(monkeypatch, tmp_path):
    """Fewer nodes would certify no key at all (measured: 0 at 12 nodes on every Table III row), so
    the fast photonic study keeps 32 nodes and computes the 20 m row only."""
    import diqkd.studies.photonic_liu as liu
    from diqkd.studies import FAST, STUDIES

    seen = {}
    monkeypatch.setattr(liu, "headline", lambda out, nodes=32, lengths=liu.LENGTHS_M: seen.update(
        nodes=nodes, lengths=lengths) or {})
    STUDIES["photonic"](tmp_path, fast=True)
    assert seen == {"nodes": 32, "lengths": (20.0,)}
    assert "20 m only" in FAST["photonic"]
    STUDIES["photonic"](tmp_path, fast=False)
    assert seen == {"nodes": 32, "lengths": (20.0, 80.0, 220.0)}


def test_comparison_section_of_the_report(monkeypatch, tmp_path):
    """The comparison study's section: the assumptions, the figure and one row per platform, with
    the numbers of the run (small grids; the photonic points stubbed, they are tested in
    tests/test_comparison.py)."""
    from diqkd.report import markdown
    from diqkd.studies import FAST, STUDIES, comparison

    monkeypatch.setattr(comparison, "FAST_ION_KM", (0.01, 1.0))
    monkeypatch.setattr(comparison, "FAST_CAT_KM", (0.01, 200.0))
    monkeypatch.setattr(comparison, "photonic_points", lambda km: [
        {"platform": "photonic", "distance_km": 0.02, "bits_per_channel_use": 1.9e-4, "bits_per_second": 380.0,
         "channel_uses_per_second": 2e6, "postselect": 0.7, "noise": 0.03}])
    s = STUDIES["comparison"](tmp_path / "comparison", fast=True)
    assert "photonic" in FAST["comparison"]
    md = markdown({"comparison": s})
    assert "![" in md and "comparison/comparison.png" in md
    for key in ("fibre", "ion", "cat", "finite_size", "plob"):
        assert f"- **{key}**:" in md
    row = _cells(md, "trapped ions (Nadlinger et al. 2022) at 0.01 km")
    assert _number(row[3]) == pytest.approx(s["points"]["ion"][0]["bits_per_second"], rel=1e-3)
    assert _cells(md, "entangled coherent states (Xie et al. 2021) at 0.01 km")[6] == "200"
