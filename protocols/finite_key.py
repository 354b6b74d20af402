"""Finite-size key length of the CHSH-tested DIQKD protocol of Nadlinger et al. (Nadlinger et al. 2022).

Protocol (seed, Fig. 2): ``n`` heralded rounds; each is a test round with probability ``gamma``
(inputs ``X, Y`` in {0, 1}, win iff ``A xor B = X Y``) or a key round (``X = 0``, ``Y = 2``). Alice
sends an error-correction syndrome of ``leak_ec`` bits and a verification hash; Bob accepts if
the number of lost test rounds is at most ``n gamma (1 - omega_thr)``; privacy amplification by
two-universal hashing. The paper does not print its key-length formula; this module implements
the following bound, every step of which is a published statement (or an elementary one proven
in the docstring of the function that applies it):

    l = H_min^{eps_s}(A | X Y T E)  -  leak_ec  -  log(1/eps_EC)  -  2 log(1/eps_PA)           (1)
    H_min^{eps_s}(A|XYTE) >= H_min^{eps_1}(A B~ | XYTE) - H_max^{eps_2}(B~ | T) - 3 log(2/eps_c^2)  (2)
    H_min^{eps_1}(A B~|XYTE) >= Dupuis-Fawzi EAT bound (protocols.eat), d_O = 4,
                                h = g(omega_thr), Pr[accept] >= eps_EA                          (3)
    H_max^{eps_2}(B~ | T) <= k*,  Pr[Binomial(n, gamma) > k*] <= eps_2^2 eps_EA / 2                (4)

(1) Leftover hash lemma against quantum side information (Tomamichel, Schaffner, Smith, Renner,
IEEE TIT 57, 5524 (2011)); the syndrome and the hash cost at most their lengths. (2) Chain rule
for smooth entropies (Vitanov, Dupuis, Tomamichel, Renner, IEEE TIT 59, 2603 (2013)), in the form
used for DIQKD by Arnon-Friedman et al., Nat. Commun. 9, 459 (2018), Supplementary, with
``eps_s = eps_c + eps_1 + 2 eps_2`` and ``log(2/eps^2) >= -log(1 - sqrt(1 - eps^2))``. ``B~_i``
is Bob's output in test rounds and 0 in key rounds, so that the test result is a function of
the accumulated register ``O_i = (A_i, B~_i)`` (``d_O = 4``, given the public round type ``T_i``).
(3) :mod:`protocols.eat`; the min-tradeoff function is a tangent of Pironio's bound; its touching
point, its value on key rounds and the Rényi order ``alpha`` are optimised (all are fixed before
the protocol runs: they depend on the design point only). (4) is proven in
:func:`max_entropy_of_test_outputs`.

What the optimisation buys at the paper's point (n = 1.5e6): tangent at omega_thr with
``f(⊥) = g(1)`` (the textbook choice, Arnon-Friedman et al. 2018) gives -14.2% (no key); optimising
the tangent point alone, -6.6%; also lowering ``f(⊥)``, which shrinks ``Var f``, +5.80%.

Soundness: ``eps_snd = eps_EC + eps_PA + 2 eps_s + eps_EA`` (Arnon-Friedman et al. 2018,
Supplementary): correctness, secrecy of the hashed key, and the event that the protocol accepts
with probability below ``eps_EA``. The default split (:class:`EpsilonSplit`) was chosen by
optimising all six at the paper's design point; the result moves by < 0.3% of itself within a
factor 10 of it.

Threshold (completeness): the seed fixes ``omega_thr`` three standard deviations below the
design value, ``omega_thr = 1 - (p1 + 3 sqrt(p1 (1 - p1)/n)) / gamma`` with
``p1 = gamma (1 - omega_design)``; this reproduces the paper's 0.825538 at n = 1.5e6,
gamma = 13/256, S = 2.64 (checked in the tests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.stats import binom

from .binary_entropy import binary_entropy
from .eat import OMEGA_LOCAL, OMEGA_MAX, CHSHMinTradeoff, chsh_entropy_rate, dupuis_fawzi_bound
from .errors import ParameterError, check_probability
from .pironio import check_chsh_score, pironio_entropy_bound
from .validate import integer, real

#: largest number of rounds accepted: the binomial tails of the test-round count are evaluated in
#: double precision, and no experiment comes near it (Nadlinger et al. 2022: 1.5e6)
MAX_ROUNDS = 10**15
#: smallest soundness error accepted: its parts are squared (eps_c^2) and must stay normal floats
MIN_EPS = 1e-100

#: The paper's operating point (Nadlinger et al., main text and Fig. 4).
SEED_N = 1_500_000
SEED_GAMMA = 13 / 256
SEED_S = 2.64
SEED_Q = 0.018
SEED_EPS_SOUND = 1e-10
SEED_SYNDROME_BITS = 296_517
SEED_KEY_BITS = 95_884
#: Dimension of the accumulated register O_i = (A_i, B~_i).
D_OUT = 4


def winning_probability(S: float) -> float:
    """CHSH winning probability ``omega = 1/2 + S/8`` (seed: ``S = 4 (2 omega - 1)``)."""
    return 0.5 + S / 8.0


def threshold_winning_probability(n: int, gamma: float, omega_design: float, sigmas: float = 3.0) -> float:
    """Acceptance threshold ``omega_thr = 1 - (p1 + k sqrt(p1 (1 - p1) / n)) / gamma``, ``p1 = gamma (1 - omega)``.

    ``p1`` is the expected fraction of lost test rounds among all rounds; the threshold allows
    ``k`` standard deviations of it (module docstring; Nadlinger et al. 2022 Fig. 4: 0.825538).
    """
    n = integer("n (heralded rounds)", n, 1, MAX_ROUNDS)
    gamma = real("gamma (test-round probability)", gamma, 0.0, 1.0, low_open=True)
    omega_design = real("omega (CHSH winning probability)", omega_design, 0.0, 1.0)
    sigmas = real("sigmas", sigmas, 0.0)
    p1 = gamma * (1.0 - omega_design)
    return 1.0 - (p1 + sigmas * math.sqrt(p1 * (1.0 - p1) / n)) / gamma


def shannon_leakage_per_round(gamma: float, omega: float, Q: float) -> float:
    """Asymptotic syndrome length per round ``(1 - gamma) h(Q) + gamma h(1 - omega)`` (bits).

    Error correction reconstructs all of Alice's outputs: key rounds disagree with probability
    ``Q``, test rounds lose the CHSH game with probability ``1 - omega`` (which, for the paper's
    settings, is the disagreement probability of A and B after Bob's ``X Y`` flip).
    """
    return (1.0 - gamma) * float(binary_entropy(Q)) + gamma * float(binary_entropy(1.0 - omega))


#: The paper's code efficiency: its syndrome m = 296,517 over the Shannon leakage at its design point
#: (n = 1.5e6, gamma = 13/256, omega = 0.83, Q = 1.8%), ~1.261.
SEED_EC_EFFICIENCY = SEED_SYNDROME_BITS / (
    SEED_N * shannon_leakage_per_round(SEED_GAMMA, winning_probability(SEED_S), SEED_Q)
)


def default_leakage(n: int, gamma: float, S: float, Q: float, efficiency: float = SEED_EC_EFFICIENCY) -> float:
    """Syndrome length ``efficiency * n * shannon_leakage_per_round`` (bits).

    With the default efficiency this is the paper's ``m = 296,517`` at its design point, scaled
    to other ``n``, ``gamma``, ``S``, ``Q``.
    """
    return efficiency * n * shannon_leakage_per_round(gamma, winning_probability(S), Q)


@dataclass(frozen=True)
class EpsilonSplit:
    """Fractions of ``eps_snd`` given to each error; see the module docstring.

    ``eps_snd = eps_EC + eps_PA + eps_EA + 2 (eps_c + eps_1 + 2 eps_2)``.
    """

    ec: float = 2e-3
    pa: float = 2e-3
    chain: float = 1e-3
    max_entropy: float = 5e-4

    def __post_init__(self) -> None:
        for name in ("ec", "pa", "chain", "max_entropy"):
            real(f"epsilon split fraction {name}", getattr(self, name), 0.0, 1.0, low_open=True, high_open=True)

    def values(self, eps_sound: float) -> dict[str, float]:
        rest = 1.0 - self.ec - self.pa - 2 * self.chain - 4 * self.max_entropy
        if rest <= 0:
            raise ParameterError("epsilon split leaves nothing for the EAT smoothing and acceptance terms")
        return {
            "eps_EC": self.ec * eps_sound,
            "eps_PA": self.pa * eps_sound,
            "eps_c": self.chain * eps_sound,
            "eps_2": self.max_entropy * eps_sound,
            "eps_1": rest / 3 * eps_sound,
            "eps_EA": rest / 3 * eps_sound,
        }


def max_entropy_of_test_outputs(n: int, gamma: float, eps_2: float, eps_accept: float) -> int:
    """``k*`` with ``H_max^{eps_2}(B~|T)_{rho|Omega} <= k*`` (step (4) of the module docstring).

    Proof: the number of test rounds ``K = |T|`` is Binomial(n, gamma) because Bob draws the
    round types from trusted randomness. Conditioned on acceptance (probability >= eps_accept),
    ``Pr[K > k*] <= delta = Pr[Binomial > k*] / eps_accept``. Cutting those events off gives a
    subnormalised state at purified distance ``sqrt(2 delta - delta^2) <= eps_2`` when
    ``delta <= eps_2^2 / 2``, on which ``B~`` takes at most ``2^K <= 2^k*`` values given ``T``, so
    its max-entropy is at most ``k*``.
    """
    n = integer("n (heralded rounds)", n, 1, MAX_ROUNDS)
    gamma = real("gamma (test-round probability)", gamma, 0.0, 1.0, low_open=True, high_open=True)
    eps_2 = real("eps_2", eps_2, 0.0, 1.0, low_open=True, high_open=True)
    eps_accept = real("eps_accept", eps_accept, 0.0, 1.0, low_open=True)
    target = 2.0 * math.log(eps_2) + math.log(eps_accept) - math.log(2.0)  # log(eps_2^2 eps_accept / 2), no underflow
    lo, hi = int(math.floor(n * gamma)), n
    if binom.logsf(lo, n, gamma) <= target:
        return lo
    while hi - lo > 1:  # smallest k with log Pr[K > k] <= target
        mid = (lo + hi) // 2
        if binom.logsf(mid, n, gamma) <= target:
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class FiniteKeyResult:
    """Key length and every term of the bound (bits), with the choices that produced it."""

    n: int
    gamma: float
    S: float
    Q: float
    eps_sound: float
    omega_design: float
    omega_thr: float
    key_length: int
    rate: float
    asymptotic_rate: float
    terms: dict
    choices: dict
    epsilons: dict

    def as_dict(self) -> dict:
        return asdict(self)


def _check_inputs(n: int, gamma: float, S: float, Q: float, eps_sound: float) -> int:
    nf = integer("n (heralded rounds)", n, 1, MAX_ROUNDS,
                 reason="binomial tails in double precision; no experiment comes near it")
    real("gamma (test-round probability)", gamma, 0.0, 1.0, low_open=True, high_open=True)
    real("eps_sound", eps_sound, MIN_EPS, 1.0, high_open=True,
         unit=f"below {MIN_EPS:g} its parts squared underflow double precision")
    s = check_chsh_score(S)
    if s <= 2.0:
        raise ParameterError(f"the design CHSH score must exceed 2 (no Bell violation, no key), got S={S!r}")
    check_probability("QBER Q", Q)
    return nf


def _assemble(n, gamma, omega_thr, leak, eps, kstar, w0, key_value, alpha) -> dict:
    f = CHSHMinTradeoff(gamma, w0, key_value)
    eat = dupuis_fawzi_bound(n, f, f.value(omega_thr), alpha, eps["eps_1"], eps["eps_EA"], D_OUT)
    chain = 3.0 * math.log2(2.0 / eps["eps_c"] ** 2)
    ec_hash = math.log2(1.0 / eps["eps_EC"])
    pa = 2.0 * math.log2(1.0 / eps["eps_PA"])
    length = eat.value - kstar - chain - leak - ec_hash - pa
    return {
        "key_length_bits": length,
        "eat_first_order": eat.first_order,
        "eat_variance_term": eat.variance_term,
        "eat_epsilon_term": eat.epsilon_term,
        "eat_higher_order_term": eat.higher_order_term,
        "eat_V": eat.V,
        "eat_K": eat.K,
        "test_output_max_entropy": float(kstar),
        "chain_rule": chain,
        "error_correction_leakage": float(leak),
        "error_correction_hash": ec_hash,
        "privacy_amplification": pa,
    }


def _optimise(n, gamma, omega_thr, leak, eps, kstar, start=None) -> tuple[dict, dict]:
    """Maximise the key length over the tangent point, ``f(⊥)`` offset and ``log10(alpha - 1)``."""
    def unpack(x):
        z = min(max(float(x[0]), -30.0), 30.0)
        w0 = OMEGA_LOCAL + (OMEGA_MAX - OMEGA_LOCAL) / (1.0 + math.exp(-z))
        return w0, float(x[1]), 1.0 + 10.0 ** min(float(x[2]), -0.05)

    def objective(x):
        w0, shift, alpha = unpack(x)
        try:
            f = CHSHMinTradeoff(gamma, w0)
            terms = _assemble(n, gamma, omega_thr, leak, eps, kstar, w0, f.value(1.0) + shift, alpha)
        except (ParameterError, OverflowError, ValueError):
            return 1e30
        value = terms["key_length_bits"]
        return -value if math.isfinite(value) else 1e30

    starts = [start] if start is not None else []
    starts += [np.array([0.0, -4.0, -3.3]), np.array([-0.5, -1.0, -2.5]), np.array([0.5, 0.0, -4.0])]
    best = None
    for x0 in starts:
        res = minimize(objective, x0, method="Nelder-Mead",
                       options={"xatol": 1e-5, "fatol": 1e-3, "maxiter": 3000, "maxfev": 3000})
        if best is None or res.fun < best.fun:
            best = res
        if start is not None and best.fun < 0:
            break
    w0, shift, alpha = unpack(best.x)
    f = CHSHMinTradeoff(gamma, w0)
    key_value = f.value(1.0) + shift
    terms = _assemble(n, gamma, omega_thr, leak, eps, kstar, w0, key_value, alpha)
    choices = {"tangent_omega": w0, "f_key": key_value, "f_key_minus_g1": shift, "alpha": alpha,
               "h_at_threshold": f.value(omega_thr), "x": [float(v) for v in best.x]}
    return terms, choices


def finite_key_length(
    n: int,
    gamma: float,
    S: float,
    Q: float,
    eps_sound: float,
    leak_ec: float | None = None,
    omega_thr: float | None = None,
    split: EpsilonSplit = EpsilonSplit(),
    _start=None,
) -> FiniteKeyResult:
    """Secret key length (bits) of the paper's protocol after ``n`` rounds (module docstring).

    Args:
        n: number of heralded rounds (>= 1).
        gamma: test-round probability in (0, 1).
        S: design CHSH score (2 < S <= 2 sqrt 2); it sets the threshold and the default leakage.
        Q: design key-round QBER in [0, 1]; it sets the default leakage.
        eps_sound: soundness error in (0, 1).
        leak_ec: syndrome length (bits); default :func:`default_leakage`.
        omega_thr: acceptance threshold; default :func:`threshold_winning_probability`.

    Returns a zero key (not an error) when the bound is negative; ``terms['key_length_bits']``
    then shows by how much.
    """
    n = _check_inputs(n, gamma, S, Q, eps_sound)
    omega = winning_probability(S)
    if leak_ec is None:
        leak_ec = default_leakage(n, gamma, S, Q)
    else:
        leak_ec = real("leak_ec", leak_ec, 0.0, unit="bits")
    if omega_thr is None:
        thr = threshold_winning_probability(n, gamma, omega)
    else:
        thr = real("omega_thr", omega_thr, 0.0, 1.0)
    eps = split.values(eps_sound)
    asymptotic = max(0.0, pironio_entropy_bound(S) - float(binary_entropy(Q)))
    if not OMEGA_LOCAL < thr <= OMEGA_MAX:
        # no entropy is certified: there is no finite bound on the key length to report (None, not -inf)
        terms = {"key_length_bits": None, "reason": f"omega_thr = {thr:.6f} certifies no entropy (<= 3/4)"}
        return FiniteKeyResult(n, gamma, float(S), float(Q), eps_sound, omega, thr, 0, 0.0, asymptotic, terms, {}, eps)
    kstar = max_entropy_of_test_outputs(n, gamma, eps["eps_2"], eps["eps_EA"])
    terms, choices = _optimise(n, gamma, thr, float(leak_ec), eps, kstar, _start)
    length = terms["key_length_bits"]
    key = max(0, int(math.floor(length)))
    return FiniteKeyResult(n, gamma, float(S), float(Q), eps_sound, omega, thr, key, key / n, asymptotic,
                           terms, choices, eps)


def _with_progress(values: list[int]):
    """A progress bar over ``values`` when wanted (:mod:`protocols.progress`), else the plain list."""
    from .progress import progress

    return progress(values, "finite-size curve", unit="n")


def finite_key_curve(
    ns: Sequence[int],
    gamma: float,
    S: float,
    Q: float,
    eps_sound: float,
    leak_per_round: float | None = None,
    progress: bool = False,
) -> list[FiniteKeyResult]:
    """:func:`finite_key_length` at each ``n`` (seed Fig. 4), warm-starting each optimisation.

    ``leak_per_round``: syndrome bits per round (default: :func:`default_leakage` / n).
    """
    results = []
    start = None
    if isinstance(ns, (str, bytes)) or not hasattr(ns, "__iter__"):
        raise ParameterError(f"ns must be a list of numbers of rounds, got {ns!r}")
    iterator = sorted(integer("n (heralded rounds)", v, 1, MAX_ROUNDS) for v in ns)
    for n in _with_progress(iterator) if progress else iterator:
        leak = None if leak_per_round is None else leak_per_round * n
        res = finite_key_length(n, gamma, S, Q, eps_sound, leak_ec=leak, _start=start)
        if res.choices:
            start = np.array(res.choices["x"])
        results.append(res)
    return results


__all__ = [
    "D_OUT",
    "SEED_EC_EFFICIENCY",
    "EpsilonSplit",
    "FiniteKeyResult",
    "chsh_entropy_rate",
    "default_leakage",
    "finite_key_curve",
    "finite_key_length",
    "shannon_leakage_per_round",
    "max_entropy_of_test_outputs",
    "threshold_winning_probability",
    "winning_probability",
]
