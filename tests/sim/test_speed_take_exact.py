"""With every bag size a multiple of 0.5 U (``Ledger.half_sizes``), a bucket shifts its
running sums instead of forming them again when units go back in before a held unit or
leave by position; the bucket ends to the bit as the general paths leave it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product, UnitState
from sim.state.ledger import HALF_SIZES_MAX, Ledger
from sim.state.stock import _Bucket

HALVES = [0.5, 1.0, 1.5, 2.0, 3.5]
_AVAILABLE = int(UnitState.AVAILABLE)

ops = st.lists(
    st.one_of(
        st.tuples(  # new units: (expiry minute, size) each
            st.just("add"),
            st.lists(st.tuples(st.integers(0, 12), st.sampled_from(HALVES)), max_size=6),
        ),
        st.tuples(st.just("remove"), st.sets(st.integers(0, 60), min_size=1, max_size=5)),
        st.tuples(st.just("back"), st.integers(0, 2**16)),  # some removed units go back
        st.tuples(st.just("take"), st.tuples(st.floats(0, 6), st.integers(-1, 12))),
    ),
    min_size=1,
    max_size=40,
)


def _state(bucket: _Bucket) -> tuple:
    """Head, tail, capacity and the live arrays' bytes."""
    h, t = bucket.head, bucket.tail
    live = (bucket.ids[h:t], bucket.exp[h:t], bucket.cum[h : t + 1])
    return h, t, len(bucket.ids), *(a.tobytes() for a in live)


class _Units:
    """Expiry and size of every unit made, by id, and which are out of the buckets."""

    def __init__(self) -> None:
        self.exp: list[float] = []
        self.size: list[float] = []
        self.out: set[int] = set()

    def batch(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arrays of ``ids`` sorted by (expiry, id), as the stock adds them."""
        ids = sorted(ids, key=lambda i: (self.exp[i], i))
        arrays = (ids, [self.exp[i] for i in ids], [self.size[i] for i in ids])
        return tuple(
            np.array(a, dt) for a, dt in zip(arrays, (np.int64, float, float), strict=True)
        )


def _apply(op: tuple, units: _Units, buckets: tuple[_Bucket, _Bucket]) -> None:
    """One operation on both buckets: the general paths, then the exact ones."""
    kind, arg = op
    if kind == "take":  # as SiteStock.take_groups calls it: a need, units held
        if arg[0] <= 1e-6 or not len(buckets[0]):
            return
        for bucket in buckets:
            units.out.update(bucket.take(arg[0], float(arg[1]))[0].tolist())
        return
    if kind == "remove":
        h, n = buckets[0].head, len(buckets[0])
        positions = [buckets[0].head + p for p in sorted(arg) if p < n]
        if positions:
            ids = [
                b.remove_positions([p - h + b.head for p in positions], e)
                for b, e in zip(buckets, (False, True), strict=True)
            ]
            assert ids[0].tolist() == ids[1].tolist()
            units.out.update(ids[0].tolist())
        return
    if kind == "add":
        ids = list(range(len(units.exp), len(units.exp) + len(arg)))
        units.exp += [float(e) for e, _ in arg]
        units.size += [s for _, s in arg]
    else:
        out = sorted(units.out)
        ids = [i for k, i in enumerate(out) if arg >> (k % 16) & 1]
        units.out.difference_update(ids)
    if ids:
        for bucket, exact in zip(buckets, (False, True), strict=True):
            bucket.add(*units.batch(ids), exact)


@settings(max_examples=300, deadline=None)
@given(ops=ops)
def test_exact_paths_leave_the_bucket_as_the_general_ones(ops) -> None:
    units, buckets = _Units(), (_Bucket(capacity=4), _Bucket(capacity=4))
    for op in ops:
        _apply(op, units, buckets)
        assert _state(buckets[1]) == _state(buckets[0]), op


def test_a_unit_goes_back_before_the_held_ones_in_place() -> None:
    """The exact path shifts a bucket with room: the same arrays, no compaction."""
    units, buckets = _Units(), (_Bucket(capacity=16), _Bucket(capacity=16))
    _apply(("add", [(e, 1.5) for e in range(8)]), units, buckets)
    _apply(("remove", {0, 3}), units, buckets)
    _apply(("back", 0b10), units, buckets)  # unit 3 goes back between 2 and 4
    assert buckets[1].ids[: buckets[1].tail].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert buckets[1].cum[: buckets[1].tail + 1].tolist() == [1.5 * k for k in range(8)]
    assert _state(buckets[1]) == _state(buckets[0])


def _ledger(sizes: list[float]) -> Ledger:
    ledger = Ledger(capacity=2)
    for size in sizes:
        ledger.add(int(Product.RBC), 0, 1, size, 0, 0.0, 10.0, 0, _AVAILABLE)
    return ledger


def test_half_sizes_holds_while_every_size_is_a_half_unit_multiple() -> None:
    assert _ledger([1.0, 1.5, 2.0, 0.5, HALF_SIZES_MAX]).half_sizes
    assert not _ledger([1.0, 0.3, 2.0]).half_sizes  # not a multiple of 0.5
    assert not _ledger([1.5, 0.7]).half_sizes  # and it stays False
    assert not _ledger([2 * HALF_SIZES_MAX]).half_sizes  # too large to keep sums exact
    assert not Ledger.__new__(Ledger).half_sizes  # a ledger not made by __init__: no claim


def test_half_sizes_of_large_batches() -> None:
    """Batches past the few-sizes path are checked with NumPy, the same verdicts."""
    for sizes, expected in (([1.5] * 99 + [0.3], False), ([1.0, 1.5, 2.0] * 40, True)):
        ledger = Ledger(capacity=2)
        ledger.add(int(Product.RBC), 0, 1, np.array(sizes), 0, 0.0, 10.0, 0, _AVAILABLE)
        assert ledger.half_sizes is expected
