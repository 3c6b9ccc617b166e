"""Random streams: one scenario seed, an independent generator per entity and purpose.

Two runs with the same seed see the same demand, donors and lab results whatever the
policies do (common random numbers), because no stream is shared between purposes.
"""

from __future__ import annotations

import zlib

import numpy as np

from sim.core.draws import seeded_uniforms


class Streams:
    """Factory of reproducible, independent NumPy generators.

    Parameters
    ----------
    seed : int
        The scenario seed (non-negative).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed {seed} is negative (a non-negative integer)")
        self.seed = seed

    def get(self, purpose: str, entity: int = 0) -> np.random.Generator:
        """The generator for ``purpose`` (e.g. ``"demand"``) and entity number ``entity``."""
        key = (zlib.crc32(purpose.encode("utf-8")), int(entity))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def uniforms(self, purpose: str, entity: int, n: int) -> list[float]:
        """The first ``n`` uniform draws in [0, 1) of :meth:`get`'s generator, as Python
        floats: ``get(purpose, entity).random(n).tolist()``, for a stream used once (the
        generator is not made where the compiled draws can do without)."""
        return seeded_uniforms(self.seed, zlib.crc32(purpose.encode("utf-8")), int(entity), n)
