"""Seeds of the replications: the same seed for replication i under every policy."""

from __future__ import annotations

import numpy as np


def replication_seeds(seed: int, reps: int) -> list[int]:
    """Seed of each replication, derived from ``seed`` by ``numpy.random.SeedSequence``.

    Replication i gets ``SeedSequence(seed).spawn(reps)[i]``'s first 32-bit word. Spawned
    children depend only on their index, so asking for more replications keeps the seeds of
    the first ones (30 replications extend a 10-replication comparison).

    Parameters
    ----------
    seed : int
        Base seed of the comparison (the scenario seed unless overridden), >= 0.
    reps : int
        Number of replications, >= 1.
    """
    children = np.random.SeedSequence(seed).spawn(reps)
    return [int(child.generate_state(1)[0]) for child in children]
