"""``diqkd table photonic``: the SPDC polarisation link of Liu et al. (seed 000).

The key-rate commands of the issue (``keyrate photonic``, ``threshold photonic``) need the
post-selected BFF objective and are not built yet.
"""

from __future__ import annotations

import argparse

from ._args import add_json


def _floats(n: int):
    def parse(text: str) -> tuple[float, ...]:
        try:
            values = tuple(float(v) for v in text.split(","))
        except ValueError:
            values = ()
        if len(values) != n:
            raise argparse.ArgumentTypeError(f"expected {n} comma-separated angles in degrees, got {text!r}")
        return values

    return parse


def register_table(sub: argparse._SubParsersAction) -> None:
    from qmodels.photonic import ANGLE_CONVENTIONS, SOURCES, PhotonicSetup

    d = PhotonicSetup()
    p = sub.add_parser("photonic", help="SPDC polarisation-pair table (Liu et al.; outcome 0 = click)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--eta", type=float, default=None, help="symmetric system efficiency (both parties)")
    g.add_argument("--eta-a", type=float, default=None, help=f"Alice's efficiency (default {d.eta_a})")
    p.add_argument("--eta-b", type=float, default=None, help=f"Bob's efficiency (default {d.eta_b})")
    p.add_argument("--theta-deg", type=float, default=d.theta_deg, help="state angle (default 20)")
    p.add_argument("--alice-angles", type=_floats(2), default=None,
                   help="plate angles a1,a2 in degrees (a negative first value needs '=': --alice-angles=-88.22,54.29)")
    p.add_argument("--bob-angles", type=_floats(3), default=None,
                   help="plate angles b1,b2,b3 in degrees (e.g. --bob-angles=9.75,21.45,-1.07)")
    p.add_argument("--angle-convention", choices=ANGLE_CONVENTIONS, default=d.angle_convention,
                   help="how plate angles become analyser angles (default: analyser-mirrored)")
    p.add_argument("--fiber-m", type=float, default=d.fiber_m, help="Alice-Bob fibre length, m (default 20)")
    p.add_argument("--visibility", type=float, default=d.visibility, help="source coherence (default 1)")
    p.add_argument("--dark-count", type=float, default=d.dark_count, help="per detector per pulse (1e-7)")
    p.add_argument("--pair-mean-number", type=float, default=d.pair_mean_number, help="pairs per pulse (0.05)")
    p.add_argument("--source", choices=SOURCES, default=d.source, help="spdc (default) or one pair per pulse")
    p.add_argument("--backend", choices=["qutip", "gaussian"], default="qutip", help="simulator (default qutip)")
    p.add_argument("--cutoff", type=int, default=None, help="photons per mode kept (default: from the tolerance)")
    add_json(p)
    p.set_defaults(handler=run_table)


def run_table(args: argparse.Namespace) -> dict:
    from protocols.errors import ParameterError
    from qmodels.photonic import PhotonicSetup, photonic_table

    kwargs = dict(theta_deg=args.theta_deg, angle_convention=args.angle_convention, fiber_m=args.fiber_m,
                  visibility=args.visibility, dark_count=args.dark_count, pair_mean_number=args.pair_mean_number,
                  source=args.source)
    if args.eta is not None:
        if args.eta_b is not None:
            raise ParameterError("--eta sets both efficiencies; do not combine it with --eta-b")
        kwargs.update(eta_a=args.eta, eta_b=args.eta)
    else:
        for name in ("eta_a", "eta_b"):
            if getattr(args, name) is not None:
                kwargs[name] = getattr(args, name)
    if args.alice_angles is not None:
        kwargs["alice_angles_deg"] = args.alice_angles
    if args.bob_angles is not None:
        kwargs["bob_angles_deg"] = args.bob_angles
    table = photonic_table(PhotonicSetup(**kwargs), backend=args.backend, cutoff=args.cutoff)
    out = table.to_dict()
    out["_text"] = str(table) + f"\nCHSH winning probability: {table.meta['chsh_winning_probability']}"
    return out
