"""Physical layers: each platform model turns a physical description into a CorrelationTable.

Platforms (each behind its own optional extra): ``qmodels.cat`` (entangled coherent states,
Strawberry Fields). Submodules are imported on demand so that one layer's simulator is never
needed to use another.
"""
