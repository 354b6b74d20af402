"""``diqkd rate``: asymptotic DIQKD rate from a CHSH score and a QBER (Pironio / Ho et al.)."""

from __future__ import annotations

import argparse

from ._args import add_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rate",
        help="key rate per round from S and Q (Pironio bound, optional noisy preprocessing)",
        description="r = H(A|E) - H(A|B) with H(A|E) from Pironio et al. (2009) or, with noisy "
        "preprocessing, Ho et al. (2020); H(A|B) = h(Q) or h(p + Q - 2pQ).",
    )
    p.add_argument("--S", type=float, required=True, help="CHSH score S, correlator form (dimensionless; 2 < S <= 2 "
                                                          "sqrt 2 for a key)")
    p.add_argument("--Q", type=float, required=True, help="QBER Q of the key pair, a probability in [0, 1]")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--noise", type=float, help="noisy preprocessing: probability p in [0, 1/2] that Alice flips each "
                                               "key bit (default: none)")
    g.add_argument("--optimise-noise", action="store_true", help="choose the flip probability p in [0, 1/2] that "
                                                                 "maximises the rate")
    add_json(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> dict:
    # each branch imports what it needs: the plain rate loads no scipy module (start-up ~0.3 s)
    from protocols.binary_entropy import binary_entropy
    from protocols.errors import check_probability
    from protocols.key_rate import devetak_winter_rate
    from protocols.pironio import pironio_entropy_bound

    out: dict = {"S": args.S, "Q": args.Q}
    if args.optimise_noise:
        from protocols.noisy_preprocessing import optimal_noise

        opt = optimal_noise(args.S, args.Q)
        out.update(noise=opt.noise, H_AE=opt.H_AE, H_AB=opt.H_AB)
    elif args.noise is not None:
        from protocols.noisy_preprocessing import noisy_preprocessing_entropy, noisy_preprocessing_error_cost

        out.update(
            noise=args.noise,
            H_AE=noisy_preprocessing_entropy(args.S, args.noise),
            H_AB=noisy_preprocessing_error_cost(args.Q, args.noise),
        )
    else:
        out.update(H_AE=pironio_entropy_bound(args.S),
                   H_AB=float(binary_entropy(check_probability("QBER Q", args.Q))))
    out["rate"] = devetak_winter_rate(out["H_AE"], out["H_AB"])
    return out
