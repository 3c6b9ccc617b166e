"""Deterministic integer allocation in proportion to weights (largest remainder)."""

from __future__ import annotations

import numpy as np


def largest_remainder(weights: list[float], total: int, minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each at least ``minimum``.

    Ties in the remainders go to the earlier entry.
    """
    w = np.asarray(weights, dtype=float)
    free = total - minimum * len(w)
    quota = w / w.sum() * free
    counts = np.floor(quota).astype(int)
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[: free - counts.sum()]] += 1
    return [int(c) + minimum for c in counts]
