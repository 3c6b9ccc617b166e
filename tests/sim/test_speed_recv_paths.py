"""Fast paths of receiving, ledger moves and record tables give the results of the paths they
replaced, to the bit (eighth session's speed work, speed-recv):

- a hospital receiving a few bags on Python lists leaves its on-order units and shelves as
  the array path (bincount, ``SiteStock.add``) does, half sizes or not;
- ``SiteStock.add_moved`` refuses what ``SiteStock.add`` refuses among moved units;
- ``Ledger.move(order_id=)`` equals ``assign_order`` then ``move`` and refuses the same ids;
- ``units_of`` equals the float32 NumPy sum of the sizes;
- ``Table.add_values`` writes the row ``Table.add`` writes, and refuses a short row.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.processes.orders as orders_module
from sim.core.domain import Product, UnitState
from sim.processes.orders import cell_sums, receive
from sim.state.ledger import Ledger, LedgerError, units_of
from sim.state.records import Leg, Table
from sim.state.stock import SiteStock, StockError

HALF = [0.5, 1.0, 1.5, 2.0]  # bag sizes (U) whose sums are exact in any order
ODD = [0.1, 0.3, 0.7, 1.0, 1.5]  # some not exact in binary: any change in sums would show
HOSPITAL, STATION = 1, 0


def _bags(units: list[tuple], sizes: list[float]) -> tuple[Ledger, np.ndarray, np.ndarray]:
    """A ledger of ``(product, abo, rhd, size index, expiry / 100 min, on the shelf)``
    bags: those on the shelf AVAILABLE at the hospital, the others in transit to it;
    returns it, the shelf's ids and the arriving ids (in a shuffled order)."""
    ledger = Ledger()
    for product, abo, rhd, s, e, shelf in units:
        state = UnitState.AVAILABLE if shelf else UnitState.IN_TRANSIT
        site = HOSPITAL if shelf else STATION
        ledger.add(product, abo, rhd, sizes[s % len(sizes)], 0, 0.0, 100.0 * e, site, state)
    on_shelf = np.array([u[5] for u in units], bool)
    ids = np.arange(len(units))
    arriving = np.random.default_rng(len(units)).permutation(ids[~on_shelf])
    return ledger, ids[on_shelf], arriving


def _world(ledger: Ledger, shelf: np.ndarray) -> SimpleNamespace:
    stock = SiteStock(ledger, HOSPITAL)
    stock.add(shelf)
    on_order = np.zeros((2, len(Product), 4, 2))
    on_order[HOSPITAL] = np.random.default_rng(3).random((len(Product), 4, 2)) * 7.3
    return SimpleNamespace(ledger=ledger, stock={HOSPITAL: stock}, on_order=on_order)


def _bucket_state(stock: SiteStock) -> list:
    out = []
    for b in stock._buckets:  # noqa: SLF001 - the state compared
        if b is not None:
            h, t = b.head, b.tail
            out.append((b.ids[h:t].tobytes(), b.exp[h:t].tobytes(), b.cum[h : t + 1].tobytes()))
        else:
            out.append(None)
    return out


def _received(units, sizes, fast: bool, monkeypatch) -> SimpleNamespace:
    ledger, shelf, arriving = _bags(units, sizes)
    world = _world(ledger, shelf)
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(orders_module, "_FEW_RECEIVED", -1)  # the array path
        receive(world, HOSPITAL, arriving)
    return world


@settings(max_examples=100, deadline=None)
@given(
    units=st.lists(  # (product, abo, rhd, size index, expiry / 100 min, on the shelf)
        st.tuples(*(st.integers(0, high) for high in (2, 3, 1, 4, 12)), st.booleans()),
        min_size=1,
        max_size=80,
    ),
    half=st.booleans(),
)
def test_receiving_on_lists_equals_the_array_path(units, half) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast = _received(units, HALF if half else ODD, True, monkeypatch)
        slow = _received(units, HALF if half else ODD, False, monkeypatch)
    assert fast.on_order.tobytes() == slow.on_order.tobytes()
    assert _bucket_state(fast.stock[HOSPITAL]) == _bucket_state(slow.stock[HOSPITAL])
    for name in ("state", "site", "order_id"):
        assert fast.ledger.col(name).tobytes() == slow.ledger.col(name).tobytes()


def test_cell_sums_equal_bincount_with_half_sizes() -> None:
    rng = np.random.default_rng(5)
    cells = rng.integers(0, 40, 50).tolist()
    sizes = (rng.integers(1, 9, 50) / 2).tolist()
    want = np.bincount(cells, weights=sizes, minlength=40)
    got = np.zeros(40)
    for cell, units in cell_sums(cells, sizes).items():
        got[cell] = units
    assert got.tobytes() == want.tobytes()


def test_moved_units_are_refused_as_add_refuses_them() -> None:
    ledger, _, arriving = _bags([(0, 0, 1, 1, 5, False), (0, 0, 1, 1, 6, False)], HALF)
    ledger.move(arriving, UnitState.AVAILABLE, site=HOSPITAL)
    twice = np.array([1, 0, 1])
    for add in (SiteStock(ledger, HOSPITAL).add, _add_moved(ledger)):
        with pytest.raises(StockError, match="added twice"):
            add(twice)
    ledger.set_expiry(np.array([0]), np.nan)
    for add in (SiteStock(ledger, HOSPITAL).add, _add_moved(ledger)):
        with pytest.raises(StockError, match="NaN expires_at"):
            add(np.array([0]))


def test_moved_units_may_come_as_a_list() -> None:
    ledger, _, arriving = _bags([(0, 0, 1, 1, 6, False), (0, 0, 1, 1, 5, False)], HALF)
    ledger.move(arriving, UnitState.AVAILABLE, site=HOSPITAL)
    by_list, by_array = _add_moved(ledger), SiteStock(ledger, HOSPITAL)
    by_list(arriving.tolist())
    by_array.add(arriving)
    assert by_list.stock.ids().tolist() == by_array.ids().tolist() == [1, 0]


def _add_moved(ledger: Ledger):
    stock = SiteStock(ledger, HOSPITAL)

    def add(ids) -> None:
        stock.add_moved(ids, ledger.cell[ids].tolist(), ledger.size_u[ids].tolist())

    add.stock = stock
    return add


def test_move_with_an_order_equals_assign_then_move() -> None:
    ledger, _, _ = _bags([(0, a % 4, a % 2, a, a, False) for a in range(6)], HALF)
    twin, _, _ = _bags([(0, a % 4, a % 2, a, a, False) for a in range(6)], HALF)
    ids, orders = np.array([4, 1, 2]), np.array([7, 7, 9])
    ledger.move(ids, UnitState.RESERVED, site=3, order_id=orders)
    twin.assign_order(ids, orders)
    twin.move(ids, UnitState.RESERVED, site=3)
    for name in ("state", "site", "order_id"):
        assert ledger.col(name).tobytes() == twin.col(name).tobytes()
    ledger.dispose(np.array([0]), UnitState.EXPIRED, 5.0)
    for bad in ([0], [-1], [6]):  # terminal, negative, beyond the last row
        with pytest.raises(LedgerError):
            ledger.move(np.array(bad), UnitState.RESERVED, order_id=3)
    assert ledger.col("order_id")[0] == -1  # nothing written on a refusal


def test_a_pre_release_move_lowers_the_scan_start_to_the_smallest_id() -> None:
    ledger, _, _ = _bags([(0, 0, 1, 1, 5, True)] * 80, HALF)
    assert ledger.pre_release_start() == 80
    for ids in (np.array([40, 12, 70]), np.arange(79, 4, -1)):  # a few ids, and many
        ledger.move(ids, UnitState.QUARANTINED)
        assert ledger.pre_release_start() == int(ids.min())
        ledger.release(ids, 1.0)
        assert ledger.pre_release_start() == 80


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, 69), max_size=80),
    half=st.booleans(),
)
def test_units_of_equals_the_numpy_sum(picks, half) -> None:
    sizes = HALF if half else ODD
    ledger, _, _ = _bags([(0, 0, 1, i, 5, True) for i in range(70)], sizes)
    ids = np.array(picks, np.int64)
    want = float(ledger.size_u[ids].sum()) if len(ids) else 0.0
    got = units_of(ledger, ids)
    assert type(got) is float and np.float64(got).tobytes() == np.float64(want).tobytes()


def test_add_values_writes_the_row_add_writes() -> None:
    row = ("van", "delivery", "a", "b", 1.0, 2.5, 3.0, 2, 0, -1, np.nan, 7.5)
    by_record, by_values = Table(Leg, "leg_id"), Table(Leg, "leg_id")
    assert by_record.add(Leg(*row)) == by_values.add_values(row) == 0
    assert by_values.add_values(row) == 1
    by_record.add(Leg(*row))
    assert by_record.frame().equals(by_values.frame())
    with pytest.raises(ValueError, match="needs 12 values, got 11"):
        by_values.add_values(row[:-1])
    with pytest.raises(TypeError, match="expected a Leg"):
        by_values.add(row)
