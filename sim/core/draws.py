"""Scalar random draws of the hot paths: a day's demand and a block's crossmatches.

:func:`poisson_each`, :func:`gamma` and :func:`multinomial_rows` give exactly what the
``numpy.random.Generator`` methods they name give, and leave the generator in the same
state. Where :mod:`sim.core.draws_core` is built they call NumPy's C samplers directly,
without a microsecond of argument handling per draw; else (and with
``BLOODFLOW_PURE_PYTHON``) the Python twins below call the methods. The compiled module is
used only if it reproduces the installed NumPy's draws on fixed seeds (:func:`_agrees`), so
a NumPy whose samplers changed falls back to the methods rather than changing results.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from sim.core.compiled import built


def poisson_each(rng: np.random.Generator, means: list[float], a: float, b: float = 1.0) -> list:
    """One Poisson draw per mean in ``means`` times ``a`` times ``b`` (in that order):
    ``[rng.poisson(m * a * b) for m in means]``."""
    if draws_core is not None:
        return draws_core.poisson_each(rng, means, a, b)
    poisson = rng.poisson
    return [poisson(m * a * b) for m in means]


def uniforms(rng: np.random.Generator, n: int) -> list[float]:
    """``n`` uniform draws in [0, 1) as Python floats: ``rng.random(n).tolist()``."""
    if draws_core is not None:
        return draws_core.uniforms(rng, n)
    return rng.random(n).tolist()


def shuffled_range(rng: np.random.Generator, n: int) -> list[int]:
    """``list(range(n))`` shuffled by ``rng.shuffle`` (the same draws and order)."""
    if draws_core is not None:
        return draws_core.shuffled_range(rng, n)
    return _shuffled(rng, n)


def seeded_uniforms(seed: int, key: int, entity: int, n: int) -> list[float]:
    """The first ``n`` uniform draws in [0, 1) of the generator seeded with
    ``SeedSequence(seed, spawn_key=(key, entity))``, as Python floats: computed without
    making the generator where the compiled module can (all three below 2**64)."""
    if draws_core is not None:
        got = draws_core.seeded_uniforms(seed, key, entity, n)
        if got is not None:
            return got
    sequence = np.random.SeedSequence(seed, spawn_key=(key, entity))
    return np.random.default_rng(sequence).random(n).tolist()


def gamma(rng: np.random.Generator, shape: float, scale: float) -> float:
    """A gamma draw: ``float(rng.gamma(shape, scale))``."""
    if draws_core is not None:
        return draws_core.gamma(rng, shape, scale)
    return float(rng.gamma(shape, scale))


def multinomial_rows(rng: np.random.Generator, counts: list[int], pvals: np.ndarray) -> np.ndarray:
    """``rng.multinomial(counts, pvals)``: a row of ``len(pvals)`` cells per count (int64).

    ``pvals`` is a C-contiguous float64 array that passed :func:`checked_pvals`."""
    if draws_core is not None:
        return draws_core.multinomial_rows(rng, counts, pvals)
    return rng.multinomial(counts, pvals)


def checked_pvals(pvals: np.ndarray) -> np.ndarray:
    """``pvals`` as a C-contiguous float64 array, after NumPy's own checks of multinomial
    probabilities (raising its errors): done once, where the probabilities are made."""
    pvals = np.ascontiguousarray(pvals, dtype=np.float64)
    np.random.default_rng(0).multinomial(0, pvals)  # the checks only: no draw is kept
    return pvals


def _agrees(module: ModuleType) -> bool:
    """Whether ``module`` draws the installed NumPy's numbers, leaving the same state."""
    pvals = checked_pvals(np.array([0.05, 0.3, 0.15, 0.0, 0.4, 0.1]))
    means = [0.0, 0.3, 2.5, 9.9, 10.0, 31.7, 400.0]
    for seed in (1, 20250101):
        ours, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
        mine = [
            module.poisson_each(ours, means, 1.3, 0.7),
            module.gamma(ours, 25.0, 0.04),
            module.multinomial_rows(ours, [0, 3, 40, 700], pvals).tolist(),
            module.uniforms(ours, 5),
            module.shuffled_range(ours, 7),
        ]
        numpy = [
            [theirs.poisson(m * 1.3 * 0.7) for m in means],
            float(theirs.gamma(25.0, 0.04)),
            theirs.multinomial([0, 3, 40, 700], pvals).tolist(),
            theirs.random(5).tolist(),
            _shuffled(theirs, 7),
        ]
        if mine != numpy or ours.random() != theirs.random():
            return False
    for seed, key, entity in ((0, 0, 0), (20250101, 2**32 - 1, 7), (2**64 - 1, 5, 2**40 + 3)):
        sequence = np.random.SeedSequence(seed, spawn_key=(key, entity))
        expected = np.random.default_rng(sequence).random(9).tolist()
        if module.seeded_uniforms(seed, key, entity, 9) not in (None, expected):
            return False
    return True


def _shuffled(rng: np.random.Generator, n: int) -> list[int]:
    """The Python twin of :func:`shuffled_range`."""
    positions = list(range(n))
    rng.shuffle(positions)
    return positions


def _compiled() -> ModuleType | None:
    module = built("draws_core", "sim.core")
    return module if module is not None and _agrees(module) else None


draws_core = _compiled()
"""The compiled draws (None: not built, not wanted, or not NumPy's numbers here)."""
