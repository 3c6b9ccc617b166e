"""The lean ledger frame (text columns taken from codes, columns let go as copied) is the
frame, and writes the Parquet bytes, of the plain pandas construction it replaces."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import ABO, Product, RhD, UnitState, group_label
from sim.state.ledger import FRAME_COLUMNS, Ledger, LedgerError

SITES = ["s_station", "h_hospital_001", "house"]
LIVE = [UnitState.COLLECTED, UnitState.AVAILABLE, UnitState.IN_TRANSIT]


def _plain_frame(ledger: Ledger, sites: list[str]) -> pd.DataFrame:
    """The frame as pandas builds it from Python strings (the construction replaced)."""
    site_ids = np.asarray(sites, dtype=object)
    groups = np.array([group_label(a, r) for a in ABO for r in RhD], dtype=object)

    def categorical(codes: np.ndarray, names: list[str]) -> pd.Categorical:
        return pd.Categorical.from_codes(codes.astype(np.int64), categories=names)

    return pd.DataFrame(
        {
            "unit_id": np.arange(len(ledger), dtype=np.int64),
            "donation_id": ledger.donation_id,
            "product": categorical(ledger.product, [p.name for p in Product]),
            "abo": categorical(ledger.abo, [a.name for a in ABO]),
            "rhd": np.array(["-", "+"], dtype=object)[ledger.rhd],
            "group": groups[ledger.abo.astype(np.intp) * 2 + ledger.rhd],
            "size_u": ledger.size_u,
            "antigens": ledger.antigens,
            "collected_at": ledger.collected_at,
            "released_at": ledger.released_at,
            "expires_at": ledger.expires_at,
            "state": categorical(ledger.state, [s.name.lower() for s in UnitState]),
            "site_id": site_ids[ledger.site],
            "disposed_at": ledger.disposed_at,
            "order_id": ledger.order_id,
            "collection_site": site_ids[ledger.collection_site],
        },
        copy=True,
    )


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _batch(draw_rows: list[tuple]) -> Ledger:
    ledger = Ledger(capacity=4)  # grows by doubling: the frame must take the used rows only
    for product, abo, rhd, site, size, at in draw_rows:
        ids = ledger.add(product, abo, rhd, size, len(ledger), at, at + 100.0, site, LIVE[0])
        ledger.move(ids, LIVE[site], site=(site + 1) % len(SITES))
    return ledger


ROWS = st.lists(
    st.tuples(
        st.sampled_from(list(Product)),
        st.sampled_from(list(ABO)),
        st.sampled_from(list(RhD)),
        st.integers(0, len(SITES) - 1),
        st.floats(0.5, 2.0),
        st.floats(-100.0, 1000.0),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, disposed=st.integers(0, 40))
def test_lean_frame_is_the_plain_frame_and_writes_the_same_bytes(rows, disposed):
    ledger = _batch(rows)
    if len(ledger):
        ledger.dispose(np.arange(min(disposed, len(ledger))), UnitState.TRANSFUSED, 5.0)
    expected = _plain_frame(ledger, SITES)
    got = ledger.to_frame(SITES)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert _parquet(got) == _parquet(expected)
    popped = ledger.pop_frame(SITES)
    pd.testing.assert_frame_equal(popped, expected, check_exact=True)
    assert _parquet(popped) == _parquet(expected)


def test_pop_frame_empties_the_ledger_and_owns_its_data():
    ledger = _batch([(Product.RBC, ABO.O, RhD.POS, 0, 1.0, 0.0)] * 5)
    frame = ledger.pop_frame(SITES)
    assert len(ledger) == 0 and len(frame) == 5 and list(frame.columns) == list(FRAME_COLUMNS)
    assert ledger.add(Product.PLT, 0, 0, 1.0, 9, 0.0, 1.0, 2, UnitState.COLLECTED).tolist() == [0]
    assert frame["unit_id"].tolist() == list(range(5))  # the new row is not in the frame
    assert frame["product"].tolist() == ["RBC"] * 5 and ledger.product.tolist() == [Product.PLT]


def test_to_frame_owns_its_data_while_the_ledger_goes_on():
    ledger = _batch([(Product.RBC, ABO.O, RhD.POS, 0, 1.0, 0.0)] * 3)
    frame = ledger.to_frame(SITES)
    ledger.dispose([0], UnitState.TRANSFUSED, 5.0)
    assert frame["state"].tolist() == [ledger.to_frame(SITES)["state"][1]] * 3  # not transfused
    assert ledger.to_frame(SITES)["state"][0] == "transfused"


def test_pop_frame_refuses_missing_site_ids_and_keeps_the_ledger():
    ledger = _batch([(Product.RBC, ABO.A, RhD.NEG, 2, 1.0, 0.0)])
    with pytest.raises(LedgerError, match="site index"):
        ledger.pop_frame(SITES[:1])
    assert len(ledger) == 1 and ledger.to_frame(SITES)["group"].tolist() == ["A-"]
