"""The ledger's fast paths (issue 12) give what the plain whole-ledger scans give."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import TERMINAL_STATES, UnitState
from sim.processes.donors import _book_slots, _spread_in_slots
from sim.state.ledger import PRE_RELEASE_STATES, Ledger, LedgerError, _repeats
from sim.state.records import Leg, Table

LIVE = [s for s in UnitState if s not in TERMINAL_STATES]
TERMINAL = sorted(TERMINAL_STATES)


def _first_pre_release(ledger: Ledger) -> int:
    rows = np.flatnonzero(np.isin(ledger.state, PRE_RELEASE_STATES))
    return int(rows[0]) if rows.size else len(ledger)


def _add(ledger: Ledger, states: list[int]) -> None:
    ledger.add(0, 0, 1, 1.0, 0, 0.0, 100.0, 0, np.array(states))


operation = st.one_of(
    st.tuples(st.just("add"), st.lists(st.sampled_from(LIVE), min_size=1, max_size=5)),
    st.tuples(st.just("move"), st.integers(0, 60), st.sampled_from(LIVE)),
    st.tuples(st.just("release"), st.integers(0, 60)),
    st.tuples(st.just("dispose"), st.integers(0, 60), st.sampled_from(TERMINAL)),
    st.tuples(st.just("ask")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=40))
def test_pre_release_start_is_the_first_unreleased_row(ops) -> None:
    ledger = Ledger(capacity=4)
    _add(ledger, [UnitState.COLLECTED])
    for op in ops:
        unit = op[1] % len(ledger) if len(op) > 1 and op[0] != "add" else 0
        live = ledger.state[unit] not in TERMINAL_STATES
        if op[0] == "add":
            _add(ledger, op[1])
        elif op[0] == "move" and live:
            ledger.move([unit], op[2])
        elif op[0] == "release" and live:
            ledger.release([unit], 1.0)
        elif op[0] == "dispose" and live:
            ledger.dispose([unit], op[2], 2.0)
        else:
            assert ledger.pre_release_start() == _first_pre_release(ledger)
    assert ledger.pre_release_start() == _first_pre_release(ledger)


def test_live_ids_checks_bounds_and_terminal_units() -> None:
    ledger = Ledger()
    _add(ledger, [UnitState.AVAILABLE] * 3)
    for bad in ([3], [-1], [0, 5], [[0, 1]]):
        with pytest.raises(LedgerError, match="outside|1-D"):
            ledger.release(bad, 1.0)
    ledger.release(np.int64(2), 1.0)  # a scalar id is one unit
    ledger.dispose(np.array([0, 1]), UnitState.EXPIRED, np.array([3.0, 4.0]))
    with pytest.raises(LedgerError, match="already terminal"):
        ledger.move([1], UnitState.AVAILABLE)
    with pytest.raises(LedgerError, match="NaN"):
        ledger.dispose([2], UnitState.EXPIRED, np.array([np.nan]))
    ledger.move([], UnitState.AVAILABLE)  # nothing to do


def test_add_checks_scalars_and_arrays_alike() -> None:
    ledger = Ledger()
    args = dict(abo=0, rhd=1, size_u=1.0, donation_id=0, collected_at=0.0, expires_at=9.0)
    for product in (9, np.array([0, 9]), np.array([0.0, np.nan])):
        with pytest.raises(LedgerError, match="product codes"):
            ledger.add(product=product, site=0, state=0, **args)
    ids = ledger.add(product=np.array([0, 2]), site=np.int64(3), state=0, **args)
    assert ids.tolist() == [0, 1] and ledger.site.tolist() == [3, 3]
    assert ledger.collection_site.tolist() == [3, 3] and ledger.product.tolist() == [0, 2]


def test_a_table_builds_its_columns_from_rows_with_updates() -> None:
    table = Table(Leg, "leg_id")
    assert table.frame().columns.tolist() == ["leg_id", *Leg._fields]
    assert table.frame().empty
    legs = [
        Leg("van", "delivery", "a", "b", float(k), k + 1.0, 1.0, 1, 0, k, 2.0, 3.0) for k in (0, 1)
    ]
    for leg in legs:
        table.add(leg)
    table.update(0, arrive_at=9.0, mode="drone")
    frame = table.frame()
    assert frame["arrive_at"].tolist() == [9.0, 2.0]
    assert frame["mode"].tolist() == ["drone", "van"]
    assert frame["leg_id"].tolist() == [0, 1] and table.get(1, "order_id") == 1


def _spread_reference(hours: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(hours))
    for h in np.unique(hours):
        idx = np.flatnonzero(hours == h)
        offsets[idx] = np.arange(len(idx)) / len(idx)
    return offsets


def _book_reference(hours: np.ndarray, capacity: int, profile: np.ndarray) -> np.ndarray:
    open_hours = np.flatnonzero(profile > 0)
    booked = {int(h): 0 for h in open_hours}
    out = hours.copy()
    for i, wanted in enumerate(hours):
        for h in open_hours[open_hours >= wanted]:
            if booked[int(h)] < capacity:
                booked[int(h)] += 1
                out[i] = h
                break
    return out


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 150), st.integers(1, 20))
def test_slot_booking_matches_the_donor_by_donor_rules(seed, n, capacity) -> None:
    rng = np.random.default_rng(seed)
    profile = np.zeros(24)
    profile[8:21] = rng.random(13) + 0.01
    profile /= profile.sum()
    hours = rng.choice(24, n, p=profile)
    slots = _book_slots(hours, capacity, profile)
    assert np.array_equal(slots, _book_reference(hours, capacity, profile))
    assert _spread_in_slots(slots).tobytes() == _spread_reference(slots).tobytes()


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.integers(0, 150), max_size=120))
def test_repeated_ids_are_found_as_by_np_unique(ids) -> None:
    ids = np.array(ids, np.int64)
    assert _repeats(ids) == (np.unique(ids).size != ids.size)  # a set up to 64 ids, else sort
