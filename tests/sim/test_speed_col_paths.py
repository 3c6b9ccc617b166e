"""Fast paths of the collection / stock side give the slow paths' results to the bit.

- new units that all sort before one held unit are inserted in place as the merges place them;
- removing a few positions from a bucket (lists) leaves it as the boolean-mask removal does;
- ``SiteStock.on_hand_by_product_group`` equals ``on_hand_by_group`` per product;
- a leg recorded positionally fills every column with its own value;
- the donor queue stage equals a plain ``max``/heap reference.
"""

from __future__ import annotations

import heapq
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product, UnitState
from sim.processes.donor_queue import _stage
from sim.state.ledger import Ledger, _within
from sim.state.records import Leg, Table
from sim.state.stock import SiteStock, _Bucket
from sim.transport.legs import record_leg

# Bag sizes (U), some not exact in binary, so that any change in how running sums are
# formed would show in the bytes.
SIZES = np.array([0.1, 0.3, 0.7, 1.0, 1.5, 2.0])


def _add(
    ledger: Ledger, group: tuple, size: object, expires: object, site: int, state: int
) -> None:
    """Bags of ``group`` = (product, abo, rhd) on the ledger (scalars or arrays), collected
    at minute 0 from donation 0."""
    product, abo, rhd = group
    ledger.add(product, abo, rhd, size, 0, 0.0, expires, site, state)


def _bucket(expiries: list[int], sizes: list[int], taken: int) -> _Bucket:
    """A bucket of units with ids 0.. sorted by (expiry, id), the first ``taken`` issued."""
    exp = np.sort(np.array(expiries, float))
    bucket = _Bucket(capacity=4)
    bucket._append(np.arange(len(exp), dtype=np.int64), exp, SIZES[sizes[: len(exp)]])
    if taken:
        bucket.remove_range(bucket.head, bucket.head + min(taken, len(bucket)))
    return bucket


def _state(bucket: _Bucket) -> tuple:
    h, t = bucket.head, bucket.tail
    return h, t, *(a.tobytes() for a in (bucket.ids[h:t], bucket.exp[h:t], bucket.cum[h : t + 1]))


@settings(max_examples=150, deadline=None)
@given(
    expiries=st.lists(st.integers(0, 20), min_size=1, max_size=48),
    sizes=st.lists(st.integers(0, 5), min_size=48, max_size=48),
    taken=st.integers(0, 4),
    picks=st.sets(st.integers(0, 47), min_size=1),
)
def test_removing_positions_on_lists_equals_the_mask(expiries, sizes, taken, picks) -> None:
    fast, slow = _bucket(expiries, sizes, taken), _bucket(expiries, sizes, taken)
    offsets = sorted(p for p in picks if p < len(fast))
    if not offsets:
        return
    positions = fast.head + np.array(offsets, np.intp)
    mask = np.zeros(len(slow), bool)
    mask[offsets] = True
    expected = slow.ids[positions].copy()
    slow.remove_mask(mask)
    assert fast.remove_positions(positions).tolist() == expected.tolist()
    assert _state(fast)[2:] == _state(slow)[2:]  # the same units, expiries and running sums
    assert (fast.head, fast.tail) == (slow.head, slow.tail)


@settings(max_examples=60, deadline=None)
@given(
    units=st.lists(
        st.tuples(st.sampled_from(list(Product)), st.integers(0, 3), st.integers(0, 1)),
        max_size=40,
    ),
    now=st.one_of(st.none(), st.floats(0.0, 3000.0)),
)
def test_on_hand_by_product_group_equals_per_product(units, now) -> None:
    ledger = Ledger()
    n = len(units)
    if n:
        product, abo, rhd = (np.array(c) for c in zip(*units, strict=True))
        size = SIZES[np.arange(n) % len(SIZES)]
        _add(ledger, (product, abo, rhd), size, np.arange(n) * 100.0, 3, UnitState.AVAILABLE)
    stock = SiteStock(ledger, 3)
    stock.add(np.arange(n))
    codes = [int(p) for p in Product]
    together = stock.on_hand_by_product_group(codes, now=now)
    apart = np.array([stock.on_hand_by_group(p, now=now) for p in codes])
    assert together.shape == (len(codes), 4, 2)
    assert together.tobytes() == apart.tobytes()


@settings(max_examples=150, deadline=None)
@given(
    held=st.integers(1, 60),
    gap=st.integers(0, 60),
    new_sizes=st.lists(st.integers(0, 5), min_size=1, max_size=12),
    capacity=st.sampled_from([64, 128]),
    taken=st.integers(0, 3),
    same_expiry=st.booleans(),
)
def test_block_insert_equals_array_merge(
    held, gap, new_sizes, capacity, taken, same_expiry
) -> None:
    """Held units expire at 10, 20, ...; the new ones just after held unit ``gap - 1`` (at its
    expiry with higher ids when ``same_expiry``, else 5 minutes later)."""

    def bucket() -> _Bucket:
        b = _Bucket(capacity=capacity)
        n = np.arange(held)
        b._append(n * 2, (n + 1) * 10.0, SIZES[n % len(SIZES)])
        if taken:
            b.remove_range(b.head, b.head + min(taken, held))
        return b

    k = len(new_sizes)
    at = gap * 10.0 if same_expiry and gap else gap * 10.0 + 5.0
    ids = 1000 + np.arange(k, dtype=np.int64)
    exp, size = np.full(k, at), SIZES[new_sizes].astype(np.float32)
    fast, slow = bucket(), bucket()
    fast.add(ids, exp, size)
    slow._merge_arrays(ids, exp, size) if len(slow) else slow._append(ids, exp, size)
    assert _state(fast) == _state(slow)


def _reference_stage(ready, service, servers):
    free, finish, wait = [0.0] * servers, [], []
    for t, s in zip(ready, service, strict=True):
        start = max(t, free[0])
        heapq.heapreplace(free, start + s)
        finish.append(start + s)
        wait.append(start - t)
    return finish, wait


@settings(max_examples=100, deadline=None)
@given(
    gaps=st.lists(st.floats(0.0, 30.0), max_size=40),
    service=st.lists(st.floats(0.0, 60.0), min_size=40, max_size=40),
    servers=st.integers(1, 4),
)
def test_queue_stage_equals_reference(gaps, service, servers) -> None:
    ready = np.cumsum(gaps).tolist()
    service = service[: len(ready)]
    finish, wait = _stage(ready, service, servers)
    assert (finish.tolist(), wait.tolist()) == _reference_stage(ready, service, servers)


def test_record_leg_fills_each_column_of_its_row() -> None:
    """record_leg builds the row positionally: every value must land in its own column."""
    ledger = Ledger()
    _add(ledger, (0, 0, 0), np.array([1.5, 2.0]), 100.0, 1, UnitState.IN_TRANSIT)
    legs = Table(Leg, "leg_id")
    names = [f"S{position}" for position in range(4)]
    world = SimpleNamespace(ledger=ledger, logs=SimpleNamespace(legs=legs), site_ids=names)
    ids = np.arange(2)
    record_leg(
        world, "van", "delivery", 1, "other_province", 10.0, 25.0, ids, km=3.5, cost_yuan=7.0
    )
    record_leg(
        world,
        "rail",
        "samples",
        2,
        3,
        1.0,
        2.0,
        ids[:0],
        km=0.5,
        cost_yuan=1.0,
        order_id=4,
        samples=6,
    )
    assert legs.frame().to_dict("records") == [
        {"leg_id": 0, "mode": "van", "purpose": "delivery", "from_site": "S1",
         "to_site": "other_province", "depart_at": 10.0, "arrive_at": 25.0, "units": 3.5,
         "bags": 2, "samples": 0, "order_id": -1, "km": 3.5, "cost_yuan": 7.0},
        {"leg_id": 1, "mode": "rail", "purpose": "samples", "from_site": "S2", "to_site": "S3",
         "depart_at": 1.0, "arrive_at": 2.0, "units": 0.0, "bags": 0, "samples": 6,
         "order_id": 4, "km": 0.5, "cost_yuan": 1.0},
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(-128, 255), min_size=1, max_size=20),
    dtype=st.sampled_from([np.int8, np.uint8, np.int16, np.int64, np.uint16]),
    high=st.integers(1, 300),
)
def test_code_range_check_equals_comparisons(values, dtype, high) -> None:
    """The ledger's code check (bytes for 1-byte codes) says what the comparisons say."""
    info = np.iinfo(dtype)
    codes = np.array([v for v in values if info.min <= v <= info.max], dtype)
    if not len(codes):
        return
    assert _within(codes, high) == bool(((codes >= 0) & (codes < high)).all())


class _NumPyAppend(_Bucket):
    """A bucket whose appends always run on NumPy (running sums by ``np.cumsum``)."""

    def _append(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        k = len(ids)
        self._reserve(k)
        t = self.tail
        self.ids[t : t + k], self.exp[t : t + k] = ids, exp
        self.cum[t + 1 : t + k + 1] = self.cum[t] + np.cumsum(size, dtype=np.float64)
        self.tail = t + k


@settings(max_examples=100, deadline=None)
@given(batches=st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=3), max_size=30))
def test_appends_equal_numpy_appends(batches) -> None:
    """Appends of one bag (scalar path) and of a few (lists) give NumPy's bytes; the capacity
    starts small so that the appends also grow and compact the bucket."""
    fast, slow, unit = _Bucket(capacity=2), _NumPyAppend(capacity=2), 0
    for k, batch in enumerate(batches):
        ids = np.arange(unit, unit + len(batch), dtype=np.int64)
        exp, size = np.full(len(batch), float(k)), SIZES[batch].astype(np.float32)
        unit += len(batch)
        fast._append(ids, exp, size)
        slow._append(ids, exp, size)
        if k % 4 == 3:  # issue the oldest bag now and then
            fast.remove_range(fast.head, fast.head + 1)
            slow.remove_range(slow.head, slow.head + 1)
    assert _state(fast) == _state(slow)


@settings(max_examples=50, deadline=None)
@given(
    batches=st.lists(
        st.tuples(
            st.integers(1, 5),
            st.sampled_from([np.int8, np.int64]),
            st.booleans(),
            st.integers(0, len(Product) - 1),
            st.integers(0, 3),
            st.integers(0, 1),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_ledger_cell_is_product_abo_rhd(batches) -> None:
    """Each unit's cell is product * 8 + abo * 2 + rhd, whatever the argument types
    (scalars or arrays, int8 or int64) and across the ledger's growth."""
    ledger, expected = Ledger(capacity=2), []
    for n, dtype, scalar, product, abo, rhd in batches:
        abo_arg = abo if scalar else np.full(n, abo, dtype)
        _add(ledger, (np.full(n, product, dtype), abo_arg, rhd), 1.0, 1.0, 0, UnitState.COLLECTED)
        expected += [product * 8 + abo * 2 + rhd] * n
    assert ledger.cell.tolist() == expected
