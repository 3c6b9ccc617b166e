"""Bottom layer: domain vocabulary, the policy registry and other plain building blocks.

Nothing here imports SimPy or any other part of ``sim``.
"""
