"""Crossmatch reservations: which red cells a hospital blood bank holds for its patients.

A blood bank crossmatches ``ct_ratio`` units for every unit a patient will use
(``inventory.crossmatch``): the oldest units of the patient's group (FEFO); the patient uses
some of them and the others are held for the reservation period, then go back to the shelf.
The rule here is pure: the simulation process is :mod:`sim.processes.crossmatch`.
"""

from __future__ import annotations

import numpy as np

from sim.core.draws import shuffled_range

EPS_U = 1e-9  # units (U) below this count as none
_SLACK_U, _SLACK_REL = 1e-9, 1e-15  # margin (U, relative) of :func:`_lower_room`


def held_units_expected(use_u: np.ndarray, ct_ratio: float) -> np.ndarray:
    """Units (U) crossmatched and not transfused for a use of ``use_u`` U: ``(C:T - 1) x use``."""
    return np.asarray(use_u, dtype=float) * (ct_ratio - 1.0)


def pick_held(
    sizes_u: np.ndarray, use_u: float, hold_u: float, keep_u: float, rng: np.random.Generator
) -> np.ndarray:
    """Positions (in FEFO order) of the bags held for patients; empty when none.

    Parameters
    ----------
    sizes_u : numpy.ndarray
        Sizes (U) of the group's bags on the shelf, oldest-expiring first.
    use_u : float
        Units (U) the crossmatched patients will use.
    hold_u : float
        Units (U) crossmatched beyond that use, to hold.
    keep_u : float
        Units (U) that must stay on the shelf (the patients' use and any emergency floor).
    rng : numpy.random.Generator
        Stream that decides which crossmatched bags the patients use.

    The crossmatched bags are the oldest covering ``use_u + hold_u``; the held ones are a
    random subset of them of at most ``hold_u`` (rounded to whole bags) that leaves at
    least ``keep_u`` on the shelf. :func:`held_positions` as an int64 array.
    """
    positions = held_positions(sizes_u, use_u, hold_u, keep_u, rng)
    return np.array(positions, np.int64) if positions else _NONE


def held_positions(
    sizes_u: np.ndarray, use_u: float, hold_u: float, keep_u: float, rng: np.random.Generator
) -> list[int]:
    """:func:`pick_held` as an ascending list of positions (the same draws).

    The arithmetic is that of NumPy's ``cumsum`` (running sums left to right) on Python
    floats: the shelf is usually a few bags, where NumPy calls cost more than the sums.
    """
    return held_positions_listed(
        np.asarray(sizes_u, dtype=float).tolist(), use_u, hold_u, keep_u, rng
    )


def held_positions_listed(
    listed: list[float], use_u: float, hold_u: float, keep_u: float, rng: np.random.Generator
) -> list[int]:
    """:func:`held_positions` of the bag sizes (U) given as a list of Python floats."""
    if not listed:
        return []  # an empty shelf keeps nothing back (keep_u >= 0)
    if not hold_u <= _lower_room(listed, keep_u):  # else the shelf's room cannot cap it
        hold_u = min(hold_u, float(np.array(listed).sum()) - keep_u)
    if hold_u <= EPS_U:
        return []
    # rng.permutation(n) as a list: shuffling a list draws the same swaps as the array
    positions = shuffled_range(rng, _covering(listed, use_u + hold_u - EPS_U))
    held, limit = 0.0, hold_u
    for n, position in enumerate(positions):
        held += listed[position]
        if not held <= limit + 0.5 * listed[position] + EPS_U:
            return sorted(positions[:n])
    return sorted(positions)


def _lower_room(sizes: list[float], keep_u: float) -> float:
    """A value (U) below ``float(np.sum(sizes)) - keep_u`` (by more than any rounding):
    a hold at or under it is not capped by the shelf, so that NumPy's sum is not needed.

    A plain running sum differs from NumPy's pairwise one by less than ``2 n u S`` (``n``
    bags, ``S`` their size, ``u`` = 2**-53), far under the slack taken off here.
    """
    total = sum(sizes)
    return total - keep_u - _SLACK_U - _SLACK_REL * (len(sizes) * total + abs(keep_u))


def _covering(sizes: list[float], units: float) -> int:
    """Bags (oldest first) whose running sum first reaches ``units`` (U); all if none does."""
    running = 0.0
    for n, size in enumerate(sizes, 1):
        running += size
        if running >= units:
            return n
    return len(sizes)


_NONE = np.empty(0, np.int64)
_NONE.flags.writeable = False
