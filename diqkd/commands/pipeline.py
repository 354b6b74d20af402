"""``diqkd pipeline``: the complete classical protocol of Nadlinger et al. (2022) on a simulated link."""

from __future__ import annotations

import argparse

from ._args import add_json

PLATFORMS = ("ion", "photonic", "cat")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pipeline",
        help="run the whole DIQKD protocol (sampling, LDPC error correction, verification, CHSH test, "
             "privacy amplification, authentication) on a platform's table or a table file",
        description="Simulates n heralded rounds from a correlation table and runs the classical protocol of "
        "Nadlinger et al., Nature 607, 682 (2022), arXiv:2109.14600 (Fig. 2): Alice and Bob share only a "
        "pre-shared key and authenticated public messages. Prints whether it aborted (and why), the key "
        "length in bits, the error-correction leakage and efficiency, the key balance sheet (Table I) and "
        "the time per stage. Key bits are never printed: keys are compared by SHA-256 digest.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--platform", choices=PLATFORMS,
                     help="the platform's default table: ion (Nadlinger et al. 2022), photonic (Liu et al. 2022, "
                          "arXiv:2110.01480), cat (Xie et al. 2021, Opt. Lett. 46, 1632, entangled coherent "
                          "states, analytic)")
    src.add_argument("--table", metavar="FILE.json", help="a binary-outcome table file (diqkd-behaviour/1); its "
                     "meta may declare chsh_x, chsh_y, chsh_minus and key_pair (default 0,1 / 0,1 / 1,1 / 0,2)")
    p.add_argument("--rounds", type=float, required=True, help="number of heralded rounds n (the paper: 1.5e6)")
    p.add_argument("--seed", type=int, required=True, help="seed of the simulated devices and pre-shared key")
    p.add_argument("--gamma", type=float, default=13 / 256,
                   help="test-round probability in (0, 1) (default 13/256, the paper's)")
    p.add_argument("--omega-thr", type=float, default=None,
                   help="CHSH winning-probability threshold of the acceptance test (default: 3 standard "
                        "deviations below the design value, as in the paper)")
    p.add_argument("--design-S", type=float, default=None,
                   help="design CHSH score the code and the key length are planned for (default: the table's "
                        "S - 0.037, the paper's margin: 2.64 for a link at 2.677)")
    p.add_argument("--design-Q", type=float, default=None,
                   help="design QBER of the key rounds, a probability (default: the table's Q + 0.0036, the "
                        "paper's margin: 1.8%% for a link at 1.44%%)")
    p.add_argument("--efficiency", type=float, default=None,
                   help="LDPC design efficiency f = syndrome bits / (n H(A|B)) at the design point, >= 1 "
                        "(default: the code's, see protocols/postprocessing/error_correction.py)")
    p.add_argument("--extra-noise", type=float, default=0.0,
                   help="probability in [0, 1] of flipping each of Bob's outcomes after sampling "
                        "(a tampered channel; default 0)")
    p.add_argument("--eps-sound", type=float, default=1e-10, help="soundness error in (0, 1) (default 1e-10)")
    p.add_argument("--transport", choices=("local", "tcp"), default="local",
                   help="local: both parties in this process; tcp: Alice in a second process, talking to Bob "
                        "over TCP on 127.0.0.1 (default local)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds to wait for the peer's next message before aborting (default 60)")
    add_json(p)
    p.set_defaults(handler=run)


def _platform_table(name: str):
    from protocols.postprocessing import Roles

    if name == "ion":
        from qmodels.ion import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, ion_table

        return ion_table(), Roles(CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR)
    if name == "cat":
        from qmodels.cat import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, LinkSetup, cat_table

        return cat_table(LinkSetup(), backend="analytic"), Roles(CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR)
    from qmodels.photonic import KEY_PAIR, PhotonicSetup, photonic_table

    return photonic_table(PhotonicSetup()), Roles(key_pair=KEY_PAIR)


def run(args: argparse.Namespace) -> dict:
    from protocols.postprocessing import roles_of, run_pipeline
    from protocols.table import CorrelationTable

    if args.table is not None:
        table = CorrelationTable.load(args.table)
        roles = roles_of(table)
        source = args.table
    else:
        table, roles = _platform_table(args.platform)
        source = f"{args.platform} default table"
    res = run_pipeline(table, args.rounds, args.seed, gamma=args.gamma, omega_thr=args.omega_thr,
                       extra_noise=args.extra_noise, transport=args.transport, design_S=args.design_S,
                       design_Q=args.design_Q, eps_sound=args.eps_sound, efficiency=args.efficiency,
                       roles=roles, timeout=args.timeout)
    out = res.as_dict()
    out["table"] = source
    out["_text"] = _text(out)
    return out


def _text(out: dict) -> str:
    lines = [f"pipeline on the {out['table']}: {out['rounds']:,} rounds, gamma = {out['gamma']:.5f}, "
             f"transport {out['transport']}"]
    if out["aborted"]:
        lines.append(f"ABORTED: {out['reason']}")
    else:
        lines.append(f"key: {out['key_length']:,} bits, Alice's and Bob's keys equal: {out['keys_equal']} "
                     f"(SHA-256 {out['key_sha256'][:16]}...)")
    obs = out["observed"]
    if obs["omega"] is not None:
        lines.append(f"CHSH test: {obs['lost_test_rounds']} of {obs['test_rounds']} test rounds lost "
                     f"(allowed {obs['max_lost_test_rounds']}), omega = {obs['omega']:.4f} "
                     f"(threshold {out['omega_thr']:.6f}); key-round QBER {obs['Q']:.4%}")
    lines.append(f"error correction: {out['leak_ec_bits']:,} syndrome bits in {out['blocks']} blocks of "
                 f"{out['block_length_bits']:,}; efficiency {out['efficiency'] or float('nan'):.3f} (observed), "
                 f"{out['design_efficiency']:.3f} (design); frame errors {out['frame_errors']}")
    if out["balance"]:
        t = out["balance"]["total"]
        lines.append(f"pre-shared key: {out['balance']['preshared_key_bits']:,} bits; consumed {t['consumed']:,}, "
                     f"used (reusable) {t['used_reusable']:,}, generated {t['generated']:,}, "
                     f"net {out['balance']['net_gain_bits']:,} bits")
    lines.append(f"time: {out['seconds']:.2f} s (" + ", ".join(f"{k} {v:.2f}" for k, v in out["stage_seconds"].items())
                 + ")")
    return "\n".join(lines)
