"""Units of the fields the ``diqkd`` commands print: every ``--json`` object carries a ``units`` map
for the top-level fields it has (a command's own map wins)."""

from __future__ import annotations

PROBABILITY = "probability"
BITS_PER_ROUND = "bits per round"

UNITS: dict[str, str] = {
    "S": "CHSH score, correlator form (dimensionless; local bound 2, Tsirelson 2 sqrt 2)",
    "Q": PROBABILITY + " (QBER of the key pair)",
    "Q_zz": PROBABILITY + " (heralding probability per trial)",
    "e_zz": PROBABILITY + " (QBER of the key pair)",
    "omega": PROBABILITY + " (CHSH winning probability)",
    "omega_design": PROBABILITY,
    "omega_thr": PROBABILITY,
    "H_AE": BITS_PER_ROUND,
    "H_AB": BITS_PER_ROUND,
    "rate": BITS_PER_ROUND + " (per trial for cat links)",
    "rate_per_round": BITS_PER_ROUND,
    "raw_rate": BITS_PER_ROUND + " (before clipping at 0)",
    "asymptotic_rate": BITS_PER_ROUND,
    "affine_bound": BITS_PER_ROUND,
    "certified_gap": "bits (how far the certified value can be below the relaxation)",
    "bits_per_second": "bit/s",
    "plob": "bits per channel use",
    "key_length": "bits",
    "leak_ec_bits": "bits",
    "n": "rounds",
    "rounds": "rounds",
    "nodes": "Gauss-Radau nodes",
    "unverified_nodes": "count of nodes whose primal (upper) value is a solver's, not checked feasible",
    "noise": PROBABILITY + " (noisy-preprocessing flip)",
    "postselect": PROBABILITY + " (keep a no-click)",
    "p_V": PROBABILITY + " (a key round survives post-selection)",
    "fidelity": "dimensionless (fidelity to a maximally entangled state)",
    "herald_probability": PROBABILITY + " per attempt",
    "rounds_per_second": "Hz (heralded rounds)",
    "repetition_rate_hz": "Hz",
    "distance_km": "km",
    "mu": "mean photon number of each coherent component",
    "threshold_eta": "efficiency (probability)",
    "seconds": "s",
    "gamma": PROBABILITY + " (test round)",
    "nodes_auto": "tolerance in bits; per m: H_AE and certified_gap in bits per round, seconds in s",
    "reason": "text (why the bound is 0 without a solve)",
}


def with_units(result: dict) -> dict:
    """``result`` with a ``units`` map for its top-level fields (keeping any the command set); a
    correlation-table document (``format`` diqkd-behaviour/1) is left as it is, so it stays loadable."""
    if "format" in result:
        return result
    known = {k: UNITS[k] for k in result if k in UNITS}
    if known or "units" in result:
        result["units"] = {**known, **(result.get("units") or {})}
    return result
