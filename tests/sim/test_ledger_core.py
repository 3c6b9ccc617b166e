"""The ledger's compiled state changes (:mod:`sim.state.ledger_core`) leave every column as
the Python paths do and raise the same errors, on random sequences of moves and disposals
(bad ids, terminal units, repeats, arrays of sites included)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.state.ledger as ledger_module
from sim.core.domain import TERMINAL_STATES, UnitState
from sim.state.ledger import COLUMNS, Ledger, LedgerError

if ledger_module.ledger_core is None:
    pytest.skip("the compiled ledger core is not built, or not wanted", allow_module_level=True)

LIVE = sorted(s for s in UnitState if s not in TERMINAL_STATES)
TERMINAL = sorted(TERMINAL_STATES)

ids = st.one_of(  # mostly ids in the ledger (the compiled pass), sometimes not
    st.lists(st.integers(0, 7), max_size=8), st.lists(st.integers(-2, 40), max_size=8)
)
ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("move"),
            ids,
            st.sampled_from(LIVE),
            st.one_of(st.none(), st.integers(0, 5), st.just("array")),  # site
            st.one_of(st.none(), st.integers(-1, 9)),  # order
        ),
        st.tuples(st.just("dispose"), ids, st.sampled_from(TERMINAL), st.floats(0, 1e4), st.none()),
        st.tuples(st.just("wrong type"), ids, st.sampled_from(LIVE), st.none(), st.none()),
    ),
    min_size=1,
    max_size=30,
)


def _ledger(n: int) -> Ledger:
    ledger = Ledger(capacity=4)
    ledger.add(0, 0, 0, 1.0, np.arange(n), 0.0, 1e5, 0, UnitState.AVAILABLE)
    assert ledger.pre_release_start() == n  # moves back to a pre-release state lower it
    return ledger


def _apply(ledger: Ledger, op: tuple, compiled: bool, monkeypatch) -> tuple:
    """One operation with the compiled path on or off; what it raised (type, message)."""
    monkeypatch.setattr(ledger_module, "COMPILED", compiled)
    kind, unit_ids, state, value, order = op
    array = np.array(unit_ids, np.int64)
    try:
        if kind == "move":
            site = np.arange(len(array), dtype=np.int64) if value == "array" else value
            ledger.move(array, state, site, order_id=order)
        elif kind == "dispose":
            ledger.dispose(array, state, value)
        else:  # int32 ids: not what the compiled pass takes
            ledger.move(array.astype(np.int32), state)
    except (LedgerError, IndexError) as exc:
        return type(exc), str(exc)
    return None, ""


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 12), ops=ops)
def test_compiled_moves_and_disposals_are_the_python_ones(n, ops) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        compiled, python = _ledger(n), _ledger(n)
        for op in ops:
            assert _apply(compiled, op, True, monkeypatch) == _apply(
                python, op, False, monkeypatch
            ), op
            for name in COLUMNS:
                a, b = compiled.col(name), python.col(name)
                assert a.tobytes() == b.tobytes(), name
            assert compiled.pre_release_start() == python.pre_release_start()


row = st.tuples(
    st.integers(0, 4),  # product
    st.integers(0, 3),  # abo
    st.integers(0, 1),  # rhd
    st.sampled_from([0.5, 1.0, 2.0, 0.3]),  # size (U)
    st.floats(0, 1e4),  # collected (min)
    st.sampled_from([0.0, 1e4, float("inf")]),  # expires (min)
)
NAN, INF = float("nan"), float("inf")
BAD = ((-1, 5), (-1, 4), (-1, 2), (0.0, NAN), (INF, NAN), (NAN, NAN))  # per field: refused


def _mostly(valid: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly ``valid`` values (three in four), else ``other`` ones."""
    return st.one_of(valid, valid, valid, other)


batch = st.tuples(
    st.one_of(st.lists(row, max_size=6), st.lists(row, min_size=60, max_size=70)),
    _mostly(st.none(), st.tuples(st.integers(0, 69), st.integers(0, 5), st.integers(0, 1))),
    _mostly(st.integers(0, 5), st.sampled_from([-1, 2**31, "array"])),  # site
    _mostly(st.sampled_from(LIVE), st.sampled_from(TERMINAL)),  # state
    _mostly(st.just(True), st.just(False)),  # the ledger's dtypes, or int64 codes
)


def _add(ledger: Ledger, op: tuple, compiled: bool, monkeypatch) -> tuple:
    """One batch added with the compiled path on or off: the ids, or what it raised."""
    monkeypatch.setattr(ledger_module, "COMPILED", compiled)
    rows, bad, site, state, own_dtypes = op
    columns = [list(x) for x in zip(*rows, strict=True)] if rows else [[] for _ in range(6)]
    if bad is not None and rows:  # one value the ledger refuses
        columns[bad[1]][bad[0] % len(rows)] = BAD[bad[1]][bad[2]]
    product, abo, rhd, size, collected, expires = columns
    codes = np.int8 if own_dtypes else np.int64
    n = len(rows)
    try:
        ids = ledger.add(
            np.array(product, codes), np.array(abo, codes), np.array(rhd, codes),
            np.array(size, float), np.arange(n, dtype=np.int64), np.array(collected, float),
            np.array(expires, float), np.arange(n) if site == "array" else site, state,
            np.arange(n, dtype=np.uint16),
        )  # fmt: skip
    except LedgerError as exc:
        return type(exc), str(exc)
    return ids.tolist(), ""


@settings(max_examples=200, deadline=None)
@given(batches=st.lists(batch, min_size=1, max_size=8))  # rows: up to 70 a batch
def test_compiled_adds_are_the_python_ones(batches) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        compiled, python = Ledger(capacity=2), Ledger(capacity=2)
        for op in batches:
            assert _add(compiled, op, True, monkeypatch) == _add(python, op, False, monkeypatch)
            assert len(compiled) == len(python) and compiled.capacity == python.capacity
            assert compiled.half_sizes == python.half_sizes
            for name in ledger_module._STORED:
                assert compiled._cols[name][: len(python)].tobytes() == (
                    python._cols[name][: len(python)].tobytes()
                ), name


def _batch(n: int, seed: int) -> tuple:
    """``n`` bags as arrays of the ledger's own dtypes (what the compiled add takes):
    product, abo, rhd, size, donation, collected, expires, antigens."""
    i = np.arange(n)
    codes = [((i + seed + k) % m).astype(np.int8) for k, m in ((0, 4), (1, 4), (2, 2))]
    sizes, times = np.full(n, 1.5), np.full(n, 10.0 * seed)
    antigens = np.full(n, seed, np.uint16)
    return *codes, sizes, i.astype(np.int64), times, times + 1e4, antigens


def test_compiled_writes_follow_the_columns_when_the_ledger_grows(monkeypatch) -> None:
    ledgers, written = {}, []
    add_compiled = Ledger._add_compiled

    def spy(self, *args):
        rows = add_compiled(self, *args)
        written.append(rows is not None)
        return rows

    monkeypatch.setattr(Ledger, "_add_compiled", spy)
    for compiled in (True, False):
        monkeypatch.setattr(ledger_module, "COMPILED", compiled)
        ledger = _ledger(3)  # capacity 4: each batch below grows the columns
        for batch in range(4):
            ledger.move(np.array([batch % 3], np.int64), UnitState.RESERVED, 2, order_id=batch)
            *rows, antigens = _batch(5, batch)
            new = ledger.add(*rows, 0, UnitState.AVAILABLE, antigens)
            ledger.move(new[-2:], UnitState.IN_TRANSIT, 1, order_id=batch)
            ledger.dispose(new[:1], UnitState.TRANSFUSED, 10.0 * batch)
        ledgers[compiled] = ledger
    for name in COLUMNS:
        a, b = ledgers[True].col(name), ledgers[False].col(name)
        assert a.tobytes() == b.tobytes(), name
    assert written == [True] * 4  # every batch by the compiled path, growth included


def test_a_ledger_written_by_the_compiled_path_pickles() -> None:
    import pickle

    ledger = _ledger(3)
    ledger.move(np.array([1], np.int64), UnitState.RESERVED)
    copy = pickle.loads(pickle.dumps(ledger))
    copy.dispose(np.array([1], np.int64), UnitState.TRANSFUSED, 5.0)
    assert copy.col("state").tolist() == [
        UnitState.AVAILABLE,
        UnitState.TRANSFUSED,
        UnitState.AVAILABLE,
    ]
    assert ledger.col("state")[1] == UnitState.RESERVED


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 3),  # product
            st.integers(0, 4),  # site
            st.sampled_from([0.5, 1.0, 1.5, 2.0, 0.3, 1.7]),  # size
            st.sampled_from(sorted(UnitState)),
        ),
        max_size=40,
    )
)
def test_units_per_site_and_product_are_the_python_sums(rows) -> None:
    ledger = Ledger(capacity=4)
    for product, site, size, state in rows:
        new = ledger.add(product, 0, 0, size, 0, 0.0, 1e5, site, UnitState.AVAILABLE)
        if state in TERMINAL_STATES:
            ledger.dispose(new, state, 1.0)
        elif state != UnitState.AVAILABLE:
            ledger.move(new, state)
    sums = {}
    for compiled in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ledger_module, "COMPILED", compiled)
            sums[compiled] = [ledger.units_by_site_product(s, 5, 4).tobytes() for s in UnitState]
    assert sums[True] == sums[False]


def test_compiled_writes_do_not_keep_replaced_columns_alive() -> None:
    import weakref

    ledger = _ledger(3)
    ledger.move(np.array([1], np.int64), UnitState.RESERVED)  # the compiled columns view them
    before_growth = weakref.ref(ledger._cols["state"])
    *rows, antigens = _batch(5, 1)
    ledger.add(*rows, 0, UnitState.AVAILABLE, antigens)  # grows: new arrays
    assert before_growth() is None
    ledger.move(np.array([2], np.int64), UnitState.RESERVED)
    full = weakref.ref(ledger._cols["state"])
    ledger.pop_frame([f"s{i}" for i in range(3)])
    assert full() is None  # the frame copied it; nothing else holds it
