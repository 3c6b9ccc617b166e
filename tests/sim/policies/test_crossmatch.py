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
