"""One-way LDPC reconciliation at the DIQKD design point: frame error rate versus efficiency, and time.

Run: ``python benchmarks/bench_reconciliation.py`` (one core: ``OMP_NUM_THREADS=1 taskset -c 1 ...``).

Design point (Nadlinger et al., Nature 607, 682 (2022)): test-round fraction gamma = 13/256,
QBER Q = 0.018 in key rounds, CHSH winning probability omega = 0.5 + 2.64/8 = 0.83 in test
rounds, so positions disagree with probability Q (key rounds) or 1 - omega = 0.17 (test rounds,
at random positions), design entropy H = (1-gamma) h(Q) + gamma h(1-omega) = 0.1569 bit.

For each efficiency f the script plans the code for one protocol run of ``n`` positions
(default 1.5e6: 12 blocks of 125 000 bits), then simulates ``--runs`` independent runs (fresh
Alice bits, test positions and errors each; the same code) and reports

* ``f``: leak / (n H) actually planned (<= the requested f);
* ``FER``: frame error rate, (failed + wrong blocks) / blocks, and its one-sided 95 %
  Clopper-Pearson upper bound; ``failed``: BP did not satisfy the syndrome (reported in
  ``failed_blocks``); ``wrong``: BP satisfied the syndrome with a wrong string (only the
  verification hash catches it);
* ``abort``: runs with at least one failed or wrong block;
* ``it``: mean / max BP iterations per block; ``decode s``: mean time of ``correct`` per run.

Then it times one run at the default efficiency from a cold start of the code cache:
construction, Alice's syndromes and Bob's decoding, separately (the first ``correct`` call of a
process also loads, or on the very first run compiles, the numba kernel: reported apart).

``benchmarks/run.py`` imports this file and times only the registered end-to-end benchmark.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from registry import benchmark

GAMMA, Q, OMEGA = 13 / 256, 0.018, 0.5 + 2.64 / 8
N_PROTOCOL = 1_500_000


def _run_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alice's bits, Bob's bits, per-position flip probabilities for one honest run."""
    a = rng.integers(0, 2, n, dtype=np.uint8)
    p = np.where(rng.random(n) < GAMMA, 1.0 - OMEGA, Q)
    b = a ^ (rng.random(n) < p).astype(np.uint8)
    return a, b, p


def _upper95(k: int, n: int) -> float:
    """One-sided 95 % Clopper-Pearson upper bound on a rate with k events in n trials."""
    from scipy.stats import beta

    return 1.0 if k >= n else float(beta.ppf(0.95, k + 1, n - k))


def fer_table(efficiencies, runs: int, n: int, max_block: int, decoder: str, max_iter: int, seed: int) -> list[dict]:
    from protocols.postprocessing import error_correction as ec

    H = ec.design_entropy(GAMMA, Q, OMEGA)
    rows = []
    for f in efficiencies:
        plan = ec.plan_code(n, H, efficiency=f, max_block=max_block, seed=seed)
        ec.parity_check(plan)
        rng = np.random.default_rng([seed, round(f * 1e6)])
        failed = wrong = aborts = 0
        iters: list[int] = []
        t_dec = 0.0
        for _ in range(runs):
            a, b, p = _run_data(n, rng)
            s = ec.syndromes(plan, a)
            t0 = time.perf_counter()
            corr = ec.correct(plan, b, s, p, max_iter=max_iter, decoder=decoder)
            t_dec += time.perf_counter() - t0
            failed += len(corr.failed_blocks)
            aborts += bool(corr.failed_blocks)
            iters += corr.iterations
            bad = np.flatnonzero(np.pad(corr.bits != a, (0, plan.padding)).reshape(plan.blocks, -1).any(axis=1))
            wrong += len(set(bad.tolist()) - set(corr.failed_blocks))
            aborts += bool(len(bad)) and not corr.failed_blocks  # a wrong block aborts the run at the hash
        blocks = runs * plan.blocks
        rows.append(dict(f=plan.efficiency(H), blocks=blocks, failed=failed, wrong=wrong, aborts=aborts, runs=runs,
                         fer=(failed + wrong) / blocks, fer95=_upper95(failed + wrong, blocks),
                         it_mean=float(np.mean(iters)),
                         it_max=int(np.max(iters)), decode=t_dec / runs, plan=plan))
        r = rows[-1]
        print(f"{r['f']:6.4f}  {failed:4d}/{blocks:<5d} {r['fer']:8.2e}  {r['fer95']:8.2e}  {wrong:5d}  "
              f"{aborts:3d}/{runs:<3d}  {r['it_mean']:5.1f}/{r['it_max']:<3d}  {r['decode']:8.2f}", flush=True)
    return rows


def timing(n: int, efficiency: float, max_block: int, decoder: str, max_iter: int, seed: int) -> dict:
    """Cold-cache time of one run: construction, syndromes, decoding (s)."""
    from protocols.postprocessing import error_correction as ec
    from protocols.postprocessing import ldpc_codes as lc

    H = ec.design_entropy(GAMMA, Q, OMEGA)
    plan = ec.plan_code(n, H, efficiency=efficiency, max_block=max_block, seed=seed)
    a, b, p = _run_data(n, np.random.default_rng(seed + 1))
    lc._construct_cached.cache_clear()
    t0 = time.perf_counter()
    ec.parity_check(plan)
    t1 = time.perf_counter()
    s = ec.syndromes(plan, a)
    t2 = time.perf_counter()
    corr = ec.correct(plan, b, s, p, max_iter=max_iter, decoder=decoder)
    t3 = time.perf_counter()
    ok = not corr.failed_blocks and np.array_equal(corr.bits, a)
    return dict(construct=t1 - t0, syndrome=t2 - t1, decode=t3 - t2, ok=ok, plan=plan, decoder=corr.decoder)


@benchmark("reconciliation: 1.5e6 positions at f=1.15 (code construction + syndromes + decoding)", "<= 4 s",
           repeat=3)
def _reconcile():
    from protocols.postprocessing import error_correction as ec
    from protocols.postprocessing import ldpc_codes as lc

    H = ec.design_entropy(GAMMA, Q, OMEGA)
    plan = ec.plan_code(N_PROTOCOL, H)
    a, b, p = _run_data(N_PROTOCOL, np.random.default_rng(0))

    def run():
        lc._construct_cached.cache_clear()
        ec.correct(plan, b, ec.syndromes(plan, a), p)

    return run


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--efficiencies", default="1.08,1.10,1.12,1.15,1.20", help="comma-separated f values")
    parser.add_argument("--runs", type=int, default=10, help="protocol runs per f (12 blocks each at the default n)")
    parser.add_argument("--n", type=int, default=N_PROTOCOL, help="positions per run")
    parser.add_argument("--max-block", type=int, default=None, help="largest block (default: the module's)")
    parser.add_argument("--decoder", default="auto", choices=("auto", "numba", "ldpc"))
    parser.add_argument("--max-iter", type=int, default=None, help="BP iteration limit (default: the module's)")
    parser.add_argument("--seed", type=int, default=0, help="code seed (the noise seeds derive from it)")
    parser.add_argument("--girth6", action="store_true", help="also time the 4-cycle-free construction")
    parser.add_argument("--timing-only", action="store_true")
    args = parser.parse_args(argv)

    from protocols.postprocessing import error_correction as ec

    max_block = args.max_block or ec.DEFAULT_MAX_BLOCK
    max_iter = args.max_iter or ec.DEFAULT_MAX_ITER
    H = ec.design_entropy(GAMMA, Q, OMEGA)
    plan = ec.plan_code(args.n, H, max_block=max_block)
    print(f"design point: gamma={GAMMA:.6f} Q={Q} omega={OMEGA:.4f} H={H:.6f} bit/position; n={args.n}: "
          f"{plan.blocks} blocks of {plan.block_length} bits; decoder={args.decoder}, max_iter={max_iter}")

    t = timing(args.n, ec.DEFAULT_EFFICIENCY, max_block, args.decoder, max_iter, args.seed)
    print(f"first run (numba kernel load/compile included in decode): construct {t['construct']:.3f} s, "
          f"syndromes {t['syndrome']:.3f} s, decode {t['decode']:.3f} s, correct={t['ok']} [{t['decoder']}]")
    rows = []
    if not args.timing_only:
        print("\n     f  failed/blocks   FER     FER95    wrong  abort/runs  it mean/max  decode s/run")
        rows = fer_table([float(x) for x in args.efficiencies.split(",")], args.runs, args.n, max_block,
                         args.decoder, max_iter, args.seed)
    print(f"\ntime of one run of {args.n} positions at f = {ec.DEFAULT_EFFICIENCY} (cold code cache, warm kernel):")
    print("  construct s  syndromes s  decode s  total s  correct")
    for _ in range(3):
        t = timing(args.n, ec.DEFAULT_EFFICIENCY, max_block, args.decoder, max_iter, args.seed)
        total = t["construct"] + t["syndrome"] + t["decode"]
        print(f"  {t['construct']:11.3f}  {t['syndrome']:11.3f}  {t['decode']:8.3f}  {total:7.3f}  {t['ok']}")
    if args.girth6:
        from protocols.postprocessing import ldpc_codes as lc

        t0 = time.perf_counter()
        lc._construct(plan.block_length, plan.syndrome_bits_per_block, lc.DEFAULT_DISTRIBUTION, args.seed, girth6=True)
        print(f"  the girth >= 6 construction of the same code (not used by default): {time.perf_counter() - t0:.3f} s")
    if rows:
        print(f"\n{sum(r['blocks'] for r in rows)} blocks decoded in total.")


if __name__ == "__main__":
    sys.exit(main())
