"""The tightness corpus of the BFF engine: correlation tables on which the certificate is measured.

Every table is built here from first principles (Born's rule with plain numpy) or by a platform
model of ``qmodels``, reproducibly (explicit seeds); ``benchmarks/bff_tightness.py`` prints, per
table, the certified bound, the price of certification and the time, and ``tests/protocols/
test_bff_corpus.py`` checks the targets on a subset.

The families (issue "The entropy engine, certified AND tight"):

* the literature's benchmark model (physics.md, "2322" protocol): ``cos th |00> + sin th |11>``,
  projective measurements ``(1 + cos a Z + sin a X)/2`` for outcome 0 in the x-z plane, detection
  efficiency ``eta`` on every detector with the no-click event binned to outcome 0, across
  ``eta`` in [0.80, 1.0], with and without noisy preprocessing (key input x = 0);
* depolarised Tsirelson (Bell) tables with CHSH scores S in [2.05, 2 sqrt 2];
* tables with entries <= 1e-4 (near the boundary of the quantum set);
* each platform's default table (photonic 2x3, ion 2x3, cat 3x2; needs that layer's extra);
* a table estimated from counts (seeded multinomial sampling) with the estimate's slack.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field

import numpy as np

from protocols import CorrelationTable

SZ = np.diag([1.0, -1.0])
SX = np.array([[0.0, 1.0], [1.0, 0.0]])

#: Settings of the benchmark model used across eta (radians): state angle, Alice's two angles,
#: Bob's three angles (the third is the key measurement). Near-optimal for eta ~ 0.86-0.9.
QUBIT_SETTINGS = (0.45, (-0.07, 1.43), (0.48, -0.91, -0.08))


@dataclass(frozen=True)
class CorpusCase:
    """One table with what the engine needs: key input, flip probability, slack per data row."""

    name: str
    table: CorrelationTable
    key_input: int = 0
    noise: float = 0.0
    slack: float | np.ndarray = 0.0
    family: str = ""
    meta: dict = field(default_factory=dict)


def _outcome0(angle: float, eta: float, binned: bool) -> np.ndarray:
    proj = (np.eye(2) + math.cos(angle) * SZ + math.sin(angle) * SX) / 2
    return eta * proj + (1 - eta) * np.eye(2) if binned else eta * proj


def binned_qubit_table(theta: float, alice: tuple, bob: tuple, eta: float, visibility: float = 1.0) -> CorrelationTable:
    """The benchmark model's table ``P[x, y, a, b]`` (Born's rule), no-click binned to outcome 0.

    ``visibility``: the state is mixed with white noise, ``v |psi><psi| + (1 - v) 1/4``.
    """
    psi = np.array([math.cos(theta), 0.0, 0.0, math.sin(theta)])
    rho = visibility * np.outer(psi, psi) + (1 - visibility) * np.eye(4) / 4
    P = np.zeros((len(alice), len(bob), 2, 2))
    for x, a in enumerate(alice):
        A0 = _outcome0(a, eta, True)
        for y, b in enumerate(bob):
            B0 = _outcome0(b, eta, True)
            for i, Ai in enumerate((A0, np.eye(2) - A0)):
                for j, Bj in enumerate((B0, np.eye(2) - B0)):
                    P[x, y, i, j] = float(np.trace(rho @ np.kron(Ai, Bj)))
    return CorrelationTable(P, meta={"model": "binned qubit", "theta": theta, "eta": eta, "visibility": visibility})


def depolarised_bell_table(S: float) -> CorrelationTable:
    """The Tsirelson table mixed with white noise to CHSH score ``S`` (2x2)."""
    v = S / (2 * math.sqrt(2))
    E = v * np.array([[1, 1], [1, -1]]) / math.sqrt(2)
    sign = np.array([[1, -1], [-1, 1]])
    P = (1 + sign[None, None] * E[:, :, None, None]) / 4
    return CorrelationTable(P, meta={"model": "depolarised Bell", "S": S})


def counted_table(table: CorrelationTable, rounds_per_setting: int, seed: int) -> tuple[CorrelationTable, np.ndarray]:
    """Multinomial counts from ``table`` (seeded) and the table they estimate, with a slack of
    four standard errors on each data row ``<A_x>, <B_y>, <A_x B_y>`` (rows of the engine)."""
    rng = np.random.default_rng(seed)
    X, Y, A, B = table.shape
    N = np.zeros(table.shape, dtype=np.int64)
    for x in range(X):
        for y in range(Y):
            N[x, y] = rng.multinomial(rounds_per_setting, table.P[x, y].ravel() / table.P[x, y].sum()).reshape(A, B)
    est = CorrelationTable.from_counts(N)
    pa, pb = est.alice_marginal()[:, 0], est.bob_marginal()[:, 0]
    p00 = est.P[:, :, 0, 0].ravel()
    rows = np.concatenate([pa, pb, p00])
    # marginals pool Y (or X) settings; the standard error of a frequency is sqrt(p(1-p)/n)
    n = np.concatenate([np.full(X, Y * rounds_per_setting), np.full(Y, X * rounds_per_setting),
                        np.full(X * Y, rounds_per_setting)])
    return est, 4.0 * np.sqrt(rows * (1 - rows) / n)


def qubit_cases(etas=(0.80, 0.83, 0.86, 0.89, 0.92, 0.96, 1.0)) -> list[CorpusCase]:
    theta, alice, bob = QUBIT_SETTINGS
    cases = [CorpusCase(f"qubit eta={eta:.2f}", binned_qubit_table(theta, alice, bob, eta), family="qubit")
             for eta in etas]
    cases += [CorpusCase(f"qubit eta={eta:.2f} p=0.026", binned_qubit_table(theta, alice, bob, eta), noise=0.026,
                         family="qubit-noisy") for eta in (0.85, 0.90)]
    return cases


NEAR_TSIRELSON = 2 * math.sqrt(2) - 1e-6


def bell_cases(scores=(2.05, 2.3, 2.6, 2.8, NEAR_TSIRELSON)) -> list[CorpusCase]:
    return [CorpusCase(f"Bell S={S:.4f}", depolarised_bell_table(S), family="bell") for S in scores]


def boundary_cases() -> list[CorpusCase]:
    """Entries <= 1e-4: perfect detectors and Bob's key angle 0.005 rad from Alice's, so the key
    pair almost never disagrees (smallest entry 3.5e-5): close to the quantum set's boundary."""
    theta, alice, bob = QUBIT_SETTINGS
    table = binned_qubit_table(theta, alice, (bob[0], bob[1], alice[0] + 0.005), 1.0)
    return [CorpusCase("near-boundary key angle +0.005", table, family="boundary",
                       meta={"smallest_entry": float(table.P.min())})]


def counted_cases() -> list[CorpusCase]:
    theta, alice, bob = QUBIT_SETTINGS
    est, slack = counted_table(binned_qubit_table(theta, alice, bob, 0.92), 10**8, seed=11)
    return [CorpusCase("qubit eta=0.92 from 1e8 rounds/setting", est, slack=slack, family="counts")]


def platform_cases() -> list[CorpusCase]:
    """Each platform's default table; a platform whose layer is not installed is left out."""
    cases = []
    with contextlib.suppress(ImportError):
        from diqkd.studies.photonic_liu import OPTIMISED
        from qmodels.photonic import PhotonicSetup, photonic_table

        cases.append(CorpusCase("photonic default 2x3", photonic_table(PhotonicSetup()), family="platform"))
        optimised = PhotonicSetup().with_settings(OPTIMISED["settings"])
        cases.append(CorpusCase("photonic optimised 2x3", photonic_table(optimised), family="platform"))
    with contextlib.suppress(ImportError):
        from qmodels.ion import ion_table

        cases.append(CorpusCase("ion default 2x3", ion_table(), family="platform"))
    with contextlib.suppress(ImportError):
        from qmodels.cat import cat_table
        from qmodels.cat.setup import LinkSetup

        cases.append(CorpusCase("cat ECS 3x2 (10 km)", cat_table(LinkSetup(distance_km=10.0), backend="analytic"),
                                family="platform"))
    return cases


def corpus(platforms: bool = True) -> list[CorpusCase]:
    """The whole corpus, in a fixed order."""
    out = qubit_cases() + bell_cases() + boundary_cases() + counted_cases()
    return out + platform_cases() if platforms else out
