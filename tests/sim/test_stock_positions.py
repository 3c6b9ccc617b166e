"""Taking units by position and putting them back (the crossmatch path) leaves a stock exactly
as taking them by id and adding them back does (the simple reference), to the bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product, UnitState
from sim.state.ledger import Ledger
from sim.state.stock import SiteStock, StockError

RBC, AVAILABLE = int(Product.RBC), int(UnitState.AVAILABLE)
SIZES = np.array([0.3, 1.0, 1.5, 2.0, 0.7])  # some not exact in binary, so rounding would show

units = st.lists(  # (abo, rhd, expiry minute, size index) of each unit
    st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 15), st.integers(0, 4)),
    min_size=1,
    max_size=80,
)


def _stocks(units: list[tuple[int, int, int, int]]) -> tuple[Ledger, SiteStock, SiteStock]:
    """One ledger and two stocks holding the same units, added in the same batches."""
    ledger = Ledger(capacity=4)
    abo, rhd, exp, size = (np.array(column) for column in zip(*units, strict=True))
    ids = ledger.add(RBC, abo, rhd, SIZES[size], 0, 0.0, exp.astype(float), 0, AVAILABLE)
    fast, slow = SiteStock(ledger, 0), SiteStock(ledger, 0)
    for part in np.array_split(ids, 3):
        fast.add(part)
        slow.add(part)
    return ledger, fast, slow


def _state(stock: SiteStock) -> list:
    """Every bucket's live arrays (bytes), head, tail and capacity."""
    out = []
    for b in stock._buckets:
        if b is None:
            out.append(None)
            continue
        h, t = b.head, b.tail
        live = (b.ids[h:t], b.exp[h:t], b.cum[h : t + 1])
        out.append((h, t, len(b.ids), *(a.tobytes() for a in live)))
    return out


@settings(max_examples=150, deadline=None)
@given(
    units=units,
    picks=st.lists(st.integers(0, 2**16), min_size=1, max_size=6),
    now=st.integers(-1, 10),
)
def test_take_fresh_and_restore_equal_take_ids_and_add(units, picks, now) -> None:
    ledger, fast, slow = _stocks(units)
    rng = np.random.default_rng(picks[0])
    taken: dict[tuple[int, int], list[np.ndarray]] = {}
    for pick in picks:
        abo, rhd = divmod(pick % 8, 2)
        fresh = fast.fresh(RBC, abo, rhd, float(now))
        reference = slow.ids(RBC)
        reference = reference[
            (ledger.abo[reference] == abo)
            & (ledger.rhd[reference] == rhd)
            & (ledger.expires_at[reference] > now)
        ]
        assert fresh.tolist() == reference.tolist()  # the group's fresh units, FEFO
        positions = np.flatnonzero(rng.random(len(fresh)) < 0.4)
        got = fast.take_fresh(RBC, abo, rhd, float(now), positions)
        assert got.tolist() == reference[positions].tolist()
        slow.take_ids(reference[positions])
        assert _state(fast) == _state(slow)
        taken.setdefault((abo, rhd), []).append(got)
    for (abo, rhd), parts in taken.items():
        ids = np.concatenate(parts)
        ids = ids[np.lexsort((ids, ledger.expires_at[ids]))]
        fast.restore(RBC, abo, rhd, ids)
        slow.add(ids)
        assert _state(fast) == _state(slow)


def test_take_fresh_refuses_positions_outside_the_fresh_units() -> None:
    _, stock, _ = _stocks([(0, 1, 5, 1), (0, 1, 9, 1)])
    assert stock.fresh(RBC, 0, 1, 5.0).tolist() == [1]  # unit 0 expires at 5
    with pytest.raises(StockError, match="outside the fresh units"):
        stock.take_fresh(RBC, 0, 1, 5.0, np.array([1]))
    with pytest.raises(StockError, match="outside the fresh units"):
        stock.take_fresh(RBC, 1, 1, 5.0, np.array([0]))  # no such bucket
    assert stock.take_fresh(RBC, 0, 1, 5.0, np.array([0], int)).tolist() == [1]
    assert len(stock.fresh(RBC, 0, 1, 0.0)) == 1
