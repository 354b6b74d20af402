"""Physical layers: each platform model turns a physical description into a CorrelationTable.

Three platforms, each behind its own optional extra so that one layer's simulator is never
needed to use another (submodules are imported on demand):

* ``qmodels.cat`` (extra ``cat``): heralded DIQKD with entangled coherent states and its
  two-photon Bell-state baseline, simulated in Strawberry Fields and in exact closed forms
  (Xie et al., Opt. Lett. 46, 1632 (2021));
* ``qmodels.ion`` (extra ``ion``): the trapped-ion link as Qiskit circuits, density matrices with
  Kraus noise, readout errors and a seeded shot sampler (Nadlinger et al., Nature 607, 682
  (2022), arXiv:2109.14600);
* ``qmodels.photonic`` (extra ``photonic``): SPDC polarisation-entangled photon pairs with
  threshold detectors, simulated in QuTiP with a closed-form Gaussian cross-check (Liu et al.,
  Phys. Rev. Lett. 129, 050502 (2022), arXiv:2110.01480).

Every table declares its protocol roles (CHSH inputs, minus sign, key pair) and carries its
herald probability or round rate, so the protocol layer needs nothing platform-specific.
"""
