"""The classical protocol end to end (issue targets reported, not asserted).

``python benchmarks/run.py --only pipeline`` times it with the other benchmarks;
``python benchmarks/bench_pipeline.py [--rounds 1.5e6] [--seeds 3] [--transport local]`` prints,
per seed, the time of every stage, peak memory, the reconciliation efficiency and frame errors,
and the key length next to ``protocols.finite_key`` at the same n, gamma, omega_thr and leakage.
"""

from __future__ import annotations

import argparse
import math
import resource
import time

from registry import benchmark

PAPER_ROUNDS = 1_500_000


def _ion():
    from protocols.postprocessing import Roles
    from qmodels.ion import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, ion_table

    return ion_table(), Roles(CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR)


@benchmark("pipeline: ion default table, 1.5e6 rounds end to end (local)", "<= 10 s", repeat=3, warmup=False)
def _pipeline_ion():
    from protocols.postprocessing import run_pipeline

    table, roles = _ion()
    return lambda: run_pipeline(table, PAPER_ROUNDS, 1, roles=roles)


def main() -> None:
    from protocols.finite_key import EpsilonSplit, finite_key_length
    from protocols.postprocessing import run_pipeline

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=float, default=PAPER_ROUNDS)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--transport", choices=("local", "tcp"), default="local")
    args = parser.parse_args()
    table, roles = _ion()
    for seed in range(args.seeds):
        t0 = time.perf_counter()
        res = run_pipeline(table, int(args.rounds), seed, roles=roles, transport=args.transport)
        wall = time.perf_counter() - t0
        out, p = res.as_dict(), res.plan
        eps_ec = EpsilonSplit().values(p.eps_sound)["eps_EC"]
        fk = finite_key_length(p.n, p.gamma, p.design_S, p.design_Q, p.eps_sound,
                               leak_ec=p.code.leak_bits + p.tag_bits - math.log2(1 / eps_ec), omega_thr=p.omega_thr)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"seed {seed}: wall {wall:.2f} s, aborted={out['aborted']} ({out['reason']}), "
              f"key {out['key_length']} bits "
              f"(finite-key bound {fk.key_length}), keys_equal={out['keys_equal']}")
        print(f"  leak {out['leak_ec_bits']} bits in {out['blocks']} blocks of {out['block_length_bits']}; "
              f"f = {out['efficiency']:.4f} (observed Q = {out['observed']['Q']:.4%}, "
              f"omega = {out['observed']['omega']:.4f}), "
              f"f_design = {out['design_efficiency']:.4f}; frame errors {out['frame_errors']}")
        print("  stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in out["stage_seconds"].items()))
        print(f"  peak memory: this process {peak:.0f} MB, child processes {peak_child:.0f} MB")


if __name__ == "__main__":
    main()
