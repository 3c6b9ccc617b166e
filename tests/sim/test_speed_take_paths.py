"""The shelf's take paths of the hospital and the crossmatch, sped up, give what the paths they
replace give: the same ids, units, stream draws and stock, to the bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.compatibility import donor_groups
from sim.core.domain import Product
from sim.policies.crossmatch import held_positions, pick_held
from tests.sim.test_stock_positions import _state, _stocks

RBC = int(Product.RBC)
units = st.lists(  # (abo, rhd, expiry minute, size index) of each unit
    st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 15), st.integers(0, 4)),
    min_size=1,
    max_size=70,
)


@settings(max_examples=120, deadline=None)
@given(
    units=units,
    group=st.tuples(st.integers(0, 3), st.integers(0, 1)),
    needs=st.lists(st.floats(0, 12), min_size=1, max_size=5),
    now=st.integers(-1, 10),
    rule=st.sampled_from(["red_cell", "plasma", "identical"]),
)
def test_take_groups_equals_take_counted(units, group, needs, now, rule) -> None:
    """Given the rule's donor groups, :meth:`take_groups` takes what :meth:`take_counted`
    takes under the rule, call after call."""
    _, one, other = _stocks(units)
    donors = donor_groups(rule, *group)
    for need in needs:
        got, got_u = one.take_groups(RBC, donors, need, float(now))
        want, want_u = other.take_counted(RBC, *group, need, rule=rule, now=float(now))
        assert got.tolist() == want.tolist() and got_u == want_u
    assert _state(one) == _state(other)


@settings(max_examples=120, deadline=None)
@given(
    units=units,
    group=st.tuples(st.integers(0, 3), st.integers(0, 1)),
    picks=st.sets(st.integers(0, 69), min_size=1, max_size=12),
    now=st.integers(-1, 10),
)
def test_take_fresh_by_list_equals_by_array(units, group, picks, now) -> None:
    """Positions as a list of ints take the units and leave the stock as an array does."""
    _, one, other = _stocks(units)
    fresh = one.fresh(RBC, *group, float(now))
    positions = sorted(p for p in picks if p < len(fresh))
    got = one.take_fresh(RBC, *group, float(now), positions)
    want = other.take_fresh(RBC, *group, float(now), np.array(positions, np.int64))
    assert got.tolist() == want.tolist()
    assert _state(one) == _state(other)


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.sampled_from([1.0, 1.5, 2.0, 0.7]), max_size=30),
    use=st.floats(0, 20),
    hold=st.floats(0, 20),
    keep=st.floats(0, 10),
    seed=st.integers(0, 2**16),
)
def test_held_positions_are_pick_helds_as_a_list(sizes, use, hold, keep, seed) -> None:
    """The same positions, ascending ints, and the same stream state after."""
    one, other = np.random.default_rng(seed), np.random.default_rng(seed)
    got = held_positions(np.array(sizes), use, hold, keep, one)
    want = pick_held(np.array(sizes), use, hold, keep, other)
    assert type(got) is list and all(type(p) is int for p in got)
    assert got == want.tolist() and want.dtype == np.int64
    assert one.random() == other.random()
