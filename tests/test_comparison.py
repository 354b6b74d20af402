"""The cross-platform comparison study (diqkd/studies/comparison.py)."""

import json
import math

import pytest

pytest.importorskip("qiskit")

from diqkd.studies import comparison  # noqa: E402
from protocols import chsh_key_rate, plob_bound  # noqa: E402


@pytest.mark.parametrize("L", [0.5, 10.0, 150.0, 400.0])
def test_plob_of_the_fibre_is_the_plob_bound_at_its_transmittance(L):
    assert comparison.plob_fibre(L) == pytest.approx(plob_bound(10 ** (-0.02 * L)), rel=1e-12)
    assert math.isinf(comparison.plob_fibre(0.0))


def test_one_day_key_is_finite_size_below_the_asymptotic_key():
    S, Q = 2.6767, 0.0144  # the calibrated ion link
    day = comparison.one_day_key(119.1, S, Q)
    n = int(119.1 * 86_400)
    assert day["n_one_day"] == n and day["gamma"] in comparison.GAMMAS
    assert 0 < day["key_bits_one_day"] < n * chsh_key_rate(S, Q)
    # a hundred times fewer rounds: less key per round (finite-size terms weigh more)
    few = comparison.one_day_key(1.191, S, Q)
    assert few["key_bits_one_day"] / few["n_one_day"] < day["key_bits_one_day"] / n
    assert comparison.one_day_key(119.1, 2.0, 0.0)["key_bits_one_day"] == 0  # no violation: no key
    assert comparison.one_day_key(0.0, S, Q)["key_bits_one_day"] == 0


def test_photonic_points_use_the_recorded_p_and_then_the_220_m_values(monkeypatch):
    calls = []

    def fake_sweep(platform, param, values, flags, workers=1):
        calls.append((platform, param, values, flags.get("postselect"), flags.get("noise")))
        return {"points": [{"fiber_m": v, "postselect": 0.7, "noise": 0.03, "rate_per_round": 1e-4,
                            "bits_per_second": 200.0, "repetition_rate_hz": 2e6, "certified_gap": 1e-8}
                           for v in values]}

    monkeypatch.setattr("diqkd.sweep.sweep", fake_sweep)
    from diqkd.studies.photonic_liu import OPTIMISED

    rows = comparison.photonic_points((0.02, 0.22, 0.3))
    assert calls[0] == ("photonic", "fiber_m", [20.0, 220.0], None, None)  # keyrate's recorded optimum
    assert calls[1][:3] == ("photonic", "fiber_m", [300.0])
    assert (calls[1][3], calls[1][4]) == tuple(OPTIMISED["postselect_noise"]["220"])
    assert [r["distance_km"] for r in rows] == [0.02, 0.22, 0.3]
    assert rows[0]["bits_per_channel_use"] == 1e-4 and rows[0]["channel_uses_per_second"] == 2e6


def test_the_study_writes_figure_table_and_states_its_assumptions(monkeypatch, tmp_path):
    monkeypatch.setattr(comparison, "FAST_PHOTONIC_KM", ())
    monkeypatch.setattr(comparison, "FAST_ION_KM", (0.01, 1.0, 30.0, 300.0))
    monkeypatch.setattr(comparison, "FAST_CAT_KM", (0.01, 50.0, 200.0, 700.0))
    s = comparison.run(tmp_path, fast=True)
    for name in ("comparison.png", "comparison.csv", "summary.json", "units.json"):
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "summary.json").read_text())["reach_km"] == s["reach_km"]
    header = (tmp_path / "comparison.csv").read_text().splitlines()[0].split(",")
    assert {"platform", "distance_km", "bits_per_channel_use", "bits_per_second", "bits_per_second_one_day"} <= set(
        header)
    assert set(s["assumptions"]) >= {"fibre", "photonic", "ion", "cat", "finite_size", "plob"}
    ion, cat = s["points"]["ion"], s["points"]["cat"]
    # ions: key at 30 km, none at 300 km (dephasing during the herald's return, T2 = 3 ms)
    assert s["reach_km"]["ion"] == 30.0 and ion[-1]["bits_per_second"] == 0
    # Xie et al.: ECS key beyond the PLOB bound of the fibre at 200 km; 700 km is out of reach
    assert 200.0 in s["beats_plob_km"]["cat"] and s["reach_km"]["cat"] == 200.0
    assert s["beats_plob_km"]["ion"] == []
    for r in ion + cat:
        assert r["bits_per_second_one_day"] <= r["bits_per_second"] * (1 + 1e-12)
        assert r["bits_per_channel_use"] < r["plob_bits_per_channel_use"] or r["platform"] == "cat"
