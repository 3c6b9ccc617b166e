"""The compiled bucket (:mod:`sim.state.fefo_core`) leaves its arrays to the bit as the
pure-Python bucket does after every operation, returns the same, raises the same, and a run
with the compiled stock gives the same run folder as a run with the pure-Python one. (The
compiled stock's own loops pass every test of ``tests/sim/test_stock.py``.)"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.state.ledger as ledger_module
import sim.state.stock as stock_module
from sim.core.domain import UnitState
from sim.state.ledger import Ledger
from sim.state.stock import EPS_U, SiteStock, StockError, _Bucket, site_stock
from tests.sim.conftest import assert_same_run_either_way

fefo_core = stock_module.fefo_core
if fefo_core is None:
    pytest.skip("the compiled stock core is not built, or not wanted", allow_module_level=True)
Compiled = stock_module._CompiledBucket

HALVES = [0.5, 1.0, 1.5, 2.0, 3.5]
ANY_SIZES = [0.3, 0.7, 1.0, 1.1, 2.5]

unit = st.tuples(st.integers(0, 12), st.integers(0, 4))  # (expiry hour, size position)
minute = st.tuples(st.integers(-1, 12), st.sampled_from([0.0, 50.0]))  # ties with expiries
ops = st.lists(
    st.one_of(
        st.tuples(  # new units: a few (the usual batch), or many (the NumPy paths)
            st.just("add"),
            st.one_of(st.lists(unit, max_size=12), st.lists(unit, min_size=49, max_size=70)),
        ),
        st.tuples(st.just("again"), st.integers(0, 2**16)),  # a held id added again
        st.tuples(st.just("take"), st.tuples(st.floats(0, 4), minute)),
        st.tuples(st.just("take"), st.tuples(st.floats(0, 4), minute)),  # the commonest
        st.tuples(st.just("positions"), st.sets(st.integers(0, 80), min_size=1, max_size=9)),
        st.tuples(st.just("expire"), minute),
        st.tuples(st.just("back"), st.integers(0, 2**16)),  # some removed units go back
        st.tuples(st.just("count"), st.one_of(st.none(), minute)),
    ),
    min_size=5,
    max_size=60,
)


def _state(bucket) -> tuple:
    """Head, tail, capacity and the arrays' bytes up to the capacity's live part."""
    h, t = bucket.head, bucket.tail
    live = (bucket.ids[h:t], bucket.exp[h:t], bucket.cum[h : t + 1])
    return h, t, len(bucket.ids), len(bucket.cum), *(a.tobytes() for a in live)


class _Twins:
    """A pure-Python and a compiled bucket given the same operations."""

    def __init__(self, exact: bool, capacity: int) -> None:
        self.pure, self.compiled = _Bucket(capacity), Compiled(capacity)
        self.sizes = HALVES if exact else ANY_SIZES
        self.exact = exact
        self.exp: list[float] = []  # per unit id made
        self.size: list[float] = []
        self.out: list[int] = []  # ids taken out, not back yet

    def both(self, name: str, *args):
        """Call ``name`` on both; the same result (or the same error), the same arrays."""
        results = []
        for bucket in (self.pure, self.compiled):
            try:
                results.append(("ok", getattr(bucket, name)(*args)))
            except (StockError, IndexError) as exc:
                results.append(("error", type(exc)))
        (kind_a, a), (kind_b, b) = results
        assert kind_a == kind_b, (name, results)
        if kind_a == "ok":
            _assert_same_value(a, b)
        assert _state(self.pure) == _state(self.compiled), name
        return a if kind_a == "ok" else None

    def batch(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ids = sorted(ids, key=lambda i: (self.exp[i], i))
        return (
            np.array(ids, np.int64),
            np.array([self.exp[i] for i in ids], float),
            np.array([self.size[i] for i in ids], float),
        )

    def apply(self, op: tuple) -> None:
        kind, arg = op
        if kind == "add" and arg:
            first = len(self.exp)
            for hour, size in arg:
                self.exp.append(60.0 * hour)
                self.size.append(self.sizes[size])
            self._add(list(range(first, len(self.exp))), as_lists=len(arg) % 2 == 0)
        elif kind == "again" and len(self.pure):
            held = self.pure.ids[self.pure.head : self.pure.tail].tolist()
            self._add([held[arg % len(held)]], as_lists=False)
        elif kind == "take":
            need, now = arg
            if len(self.pure) and need > EPS_U:  # as SiteStock.take_groups calls it
                ids, _ = self.both("take", need, _minutes(now))
                self.out += ids.tolist()
        elif kind == "positions" and len(self.pure):
            h, n = self.pure.head, len(self.pure)
            at = sorted({h + p % n for p in arg})
            self.out += self.both("remove_positions", at, self.exact).tolist()
        elif kind == "expire":
            s = self.pure.first_fresh(_minutes(arg))
            self.both("first_fresh", _minutes(arg))
            self.both("remove_range", self.pure.head, s)
        elif kind == "back" and self.out:
            k = arg % len(self.out) + 1
            back, self.out = self.out[:k], self.out[k:]
            self._add(back, as_lists=False)
        elif kind == "count":
            self.both("units", None if arg is None else _minutes(arg))
            self.both("__len__")

    def _add(self, ids: list[int], as_lists: bool) -> None:
        arrays = self.batch(ids)
        if as_lists:  # SiteStock._add_listed gives lists
            arrays = tuple(a.tolist() for a in arrays)
        self.both("add", *arrays, self.exact)


def _minutes(at: tuple[int, float]) -> float:
    """Minutes of an (hour, extra minutes) pair: on the hour, an expiry's own minute."""
    return 60.0 * at[0] + at[1]


def _assert_same_value(a, b) -> None:
    if isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_same_value(x, y)
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()
    else:
        assert type(a) is type(b) and (a == b or (a != a and b != b)), (a, b)


@settings(max_examples=400, deadline=None)
@given(ops=ops, exact=st.booleans(), capacity=st.sampled_from([1, 2, 16]))
def test_compiled_bucket_is_the_pure_bucket_to_the_bit(ops, exact, capacity) -> None:
    twins = _Twins(exact, capacity)
    for op in ops:
        twins.apply(op)


def test_tolerance_and_path_limits_are_the_stock_ones() -> None:
    assert fefo_core.EPS_U == EPS_U
    assert fefo_core.SMALL_MERGE == stock_module._SMALL_MERGE
    assert fefo_core.BLOCK_FROM == stock_module._BLOCK_FROM


def test_site_stock_is_compiled_unless_told_not_to(monkeypatch) -> None:
    ledger = Ledger()
    for compiled, kind in ((True, stock_module._CompiledSiteStock), (False, SiteStock)):
        monkeypatch.setattr(stock_module, "COMPILED", compiled)
        assert type(site_stock(ledger, 0)) is kind
    assert kind._bucket_class is _Bucket
    assert stock_module._CompiledSiteStock._bucket_class is Compiled
    assert issubclass(Compiled, stock_module._BucketPaths)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**16))
def test_a_run_with_compiled_buckets_is_the_run_with_pure_ones(
    tiny_scenario, tmp_path_factory, seed
) -> None:
    extra = "inventory:\n  crossmatch: {ct_ratio: 2.5, hold_h: 24}\n"
    path = tiny_scenario(days=4, seed=seed, extra=extra)

    def switch(patch: pytest.MonkeyPatch, compiled: bool) -> None:
        # the stock and the ledger both compiled, or both not
        patch.setattr(stock_module, "COMPILED", compiled)
        patch.setattr(ledger_module, "COMPILED", compiled and ledger_module.COMPILED)

    assert_same_run_either_way(path, tmp_path_factory, switch)


site_ops = st.lists(
    st.one_of(
        st.tuples(  # new units: (product, group, size position, expiry hour) each
            st.just("add"),
            st.lists(
                st.tuples(
                    st.integers(0, 1), st.integers(0, 7), st.integers(0, 4), st.integers(0, 12)
                ),
                max_size=10,
            ),
        ),
        st.tuples(  # an issue: product, donor groups in order, need (U), time
            st.just("take"),
            st.tuples(
                st.integers(0, 1),
                st.lists(st.integers(0, 7), min_size=1, max_size=4, unique=True),
                st.floats(0, 6),
                minute,
            ),
        ),
        st.tuples(st.just("look"), st.tuples(st.integers(0, 1), st.integers(0, 7), minute)),
        st.tuples(st.just("expire"), minute),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(ops=site_ops, halves=st.booleans())
def test_compiled_site_stock_answers_as_the_pure_one(ops, halves) -> None:
    ledger = Ledger()
    pure, compiled = SiteStock(ledger, 0), stock_module._CompiledSiteStock(ledger, 0)
    sizes = HALVES if halves else ANY_SIZES
    for kind, arg in ops:
        if kind == "add" and arg:
            product, group, size, hour = (list(x) for x in zip(*arg, strict=True))
            exp = [60.0 * h for h in hour]
            ids = ledger.add(
                product,
                [g // 2 for g in group],
                [g % 2 for g in group],
                [sizes[k] for k in size],
                0,
                0.0,
                exp,
                0,
                UnitState.AVAILABLE,
            )
            pure.add(ids)
            compiled.add(ids)
        elif kind == "take":
            product, groups, need, at = arg
            donors = tuple((g // 2, g % 2) for g in groups)
            _assert_same_value(
                pure.take_groups(product, donors, need, _minutes(at)),
                compiled.take_groups(product, donors, need, _minutes(at)),
            )
        elif kind == "look":
            product, g, at = arg
            now = _minutes(at)
            assert pure.fresh_sizes(product, g // 2, g % 2, now) == compiled.fresh_sizes(
                product, g // 2, g % 2, now
            )
            for when in (now, None):
                _assert_same_value(
                    pure.on_hand_by_product_group([0, 1], now=when),
                    compiled.on_hand_by_product_group([0, 1], now=when),
                )
        elif kind == "expire":
            _assert_same_value(pure.expire(_minutes(arg)), compiled.expire(_minutes(arg)))


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("back", [1, 30, 60])
def test_many_units_back_before_the_held_ones(exact, back) -> None:
    """Units taken from the front go back all at once (a crossmatch release, a transfer
    returning): they sort before every held unit, so they shift in, few or many."""
    twins = _Twins(exact, 16)
    twins.apply(("add", [(hour % 12, hour % 5) for hour in range(70)]))
    bucket = twins.pure
    taken = float(bucket.cum[bucket.head + back] - bucket.cum[bucket.head])
    ids, _ = twins.both("take", taken, -1.0)  # before every expiry
    assert len(ids) == back
    twins._add(ids.tolist(), as_lists=False)
    twins.both("units", None)


def test_positions_outside_the_live_units_raise_instead_of_touching_memory() -> None:
    """The compiled bucket reads and writes its arrays unchecked, so its public removals
    check their positions first (the Python bucket leaves that to NumPy)."""
    bucket = Compiled(4)
    bucket.add(np.arange(3), np.array([1.0, 2.0, 3.0]), np.ones(3), True)
    for s, e in ((-1, 2), (1, 0), (0, 4), (2, 9)):
        with pytest.raises(IndexError):
            bucket.remove_range(s, e)
    for positions in ([-2], [2, 1], [1, 1], [0, 3]):
        with pytest.raises(IndexError):
            bucket.remove_positions(positions, True)
    assert _state(bucket) == _state(_filled_pure())


def _filled_pure() -> _Bucket:
    bucket = _Bucket(4)
    bucket.add(np.arange(3), np.array([1.0, 2.0, 3.0]), np.ones(3), True)
    return bucket


def test_bucket_keys_outside_the_stock_raise() -> None:
    stock = stock_module._CompiledSiteStock(Ledger(), 0)
    with pytest.raises(IndexError):
        stock.take_groups(4, ((3, 9),), 1.0, 0.0)  # key 47 of 40, as the Python stock
