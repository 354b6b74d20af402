"""The classical part of DIQKD: rounds in, a shared secret key (or a reasoned abort) out.

Modules, one job each: :mod:`.sampler` (rounds from a table), :mod:`.error_correction` and
:mod:`.ldpc_codes` (one-way LDPC reconciliation), :mod:`.toeplitz` (verification and privacy
amplification hashing), :mod:`.gf2_64` and :mod:`.messages` (authenticated public messages),
:mod:`.preshared_key` (the balance sheet), :mod:`.channels` (in-process or TCP),
:mod:`.parties` (Alice and Bob) and :mod:`.pipeline` (the whole run). Source: Nadlinger et al.,
Nature 607, 682 (2022), arXiv:2109.14600, Fig. 2 and Table I.
"""

from importlib import import_module

_LAZY = {"PipelineResult": "pipeline", "plan_protocol": "pipeline", "run_pipeline": "pipeline",
         "Roles": "roles", "Rounds": "sampler", "roles_of": "sampler", "sample_rounds": "sampler"}


def __getattr__(name: str):
    """Import on first use, so the hashing primitives load without the LDPC decoder."""
    if name in _LAZY:
        module = "..roles" if _LAZY[name] == "roles" else f".{_LAZY[name]}"
        return getattr(import_module(module, __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PipelineResult", "Roles", "Rounds", "plan_protocol", "roles_of", "run_pipeline", "sample_rounds"]
