"""Crossmatch reservations, the pure rule: which crossmatched red cells are held."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.policies.crossmatch import held_units_expected, pick_held

BAG_SIZES = st.sampled_from([1.0, 1.5, 2.0])  # red-cell bags of 200, 300, 400 mL (U)


def test_units_held_per_unit_used_are_the_ct_ratio_less_one() -> None:
    assert held_units_expected(np.array([2.0, 0.0]), 1.8) == pytest.approx([1.6, 0.0])
    assert held_units_expected(np.array([3.0]), 1.0) == pytest.approx([0.0])


def test_held_bags_are_among_the_oldest_crossmatched() -> None:
    sizes = np.ones(20)  # twenty 1-U bags, oldest first
    for seed in range(20):
        held = pick_held(sizes, 3.0, 3.0, 0.0, np.random.default_rng(seed))
        assert len(held) == 3 and held.max() < 6  # 3 of the 6 oldest, 3 used, 3 held
    chosen = {tuple(pick_held(sizes, 3, 3, 0, np.random.default_rng(s))) for s in range(20)}
    assert len(chosen) > 1  # which of them the patients use is random


def test_nothing_is_held_when_the_shelf_must_keep_its_units() -> None:
    rng = np.random.default_rng(1)
    assert len(pick_held(np.ones(4), 2.0, 2.0, 4.0, rng)) == 0  # all 4 U must stay
    assert len(pick_held(np.ones(4), 2.0, 0.0, 0.0, rng)) == 0  # nothing to hold
    assert len(pick_held(np.empty(0), 1.0, 2.0, 0.0, rng)) == 0  # empty shelf
    assert len(pick_held(np.ones(4), 2.0, 3.0, 2.0, rng)) == 2  # capped by what must stay


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(BAG_SIZES, max_size=30),
    use=st.floats(0, 20),
    hold=st.floats(0, 20),
    keep=st.floats(0, 10),
    seed=st.integers(0, 2**16),
)
def test_held_bags_respect_the_hold_and_the_floor(sizes, use, hold, keep, seed) -> None:
    sizes = np.array(sizes, dtype=float)
    held = pick_held(sizes, use, hold, keep, np.random.default_rng(seed))
    assert len(np.unique(held)) == len(held) and np.all(np.diff(held) > 0)
    if not len(held):
        return
    cover = np.cumsum(sizes)
    oldest = int(np.searchsorted(cover, use + hold - 1e-9)) + 1  # bags crossmatched
    assert held.max() < oldest
    assert sizes[held].sum() <= hold + 0.5 * sizes[held].max() + 1e-9  # rounded to bags
    assert sizes.sum() - sizes[held].sum() >= keep - 0.5 * sizes[held].max() - 1e-9


def _pick_held_reference(sizes_u, use_u, hold_u, keep_u, rng) -> np.ndarray:
    """The rule on NumPy arrays, as first written (the list version must match it)."""
    sizes = np.asarray(sizes_u, dtype=float)
    hold_u = min(hold_u, float(sizes.sum()) - keep_u)
    if hold_u <= 1e-9 or not len(sizes):
        return np.empty(0, np.int64)
    matched = int(np.searchsorted(np.cumsum(sizes), use_u + hold_u - 1e-9) + 1)
    order = rng.permutation(min(matched, len(sizes)))
    fits = np.cumsum(sizes[order]) <= hold_u + 0.5 * sizes[order] + 1e-9
    return np.sort(order[: int(np.argmin(fits)) if not fits.all() else len(order)])


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.one_of(BAG_SIZES, st.floats(0.01, 3.0)), max_size=60),
    use=st.floats(0, 30),
    hold=st.floats(0, 30),
    keep=st.floats(0, 10),
    seed=st.integers(0, 2**16),
)
def test_pick_held_matches_the_array_reference(sizes, use, hold, keep, seed) -> None:
    sizes = np.array(sizes, dtype=float)
    rng, ref_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    held = pick_held(sizes, use, hold, keep, rng)
    expected = _pick_held_reference(sizes, use, hold, keep, ref_rng)
    assert held.tolist() == expected.tolist()
    assert rng.random() == ref_rng.random()  # the same draws were taken
