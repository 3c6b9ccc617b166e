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

pytest.importorskip("sim.state.ledger_core", reason="the compiled ledger core is not built")

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
    monkeypatch.setattr(ledger_module, "_COMPILED", compiled)
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
