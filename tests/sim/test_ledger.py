"""The columnar unit ledger: appends, state changes, conservation, output frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.core.domain import ABO, Product, RhD, UnitState
from sim.state.ledger import COLUMNS, ConservationError, Ledger, LedgerError

SITES = ["station", "hospital"]


def add_rbc(ledger: Ledger, n: int, *, state: int = UnitState.AVAILABLE, site: int = 0):
    """Append ``n`` O+ red-cell bags of 2 U, collected at t = 0, expiring at 35 days."""
    return ledger.add(Product.RBC, ABO.O, RhD.POS, 2.0, np.arange(n), 0.0, 35 * 1440.0, site, state)


@pytest.fixture
def ledger() -> Ledger:
    lg = Ledger(capacity=4)
    add_rbc(lg, 3)
    lg.add(
        [Product.PLT, Product.FFP],
        [ABO.A, ABO.AB],
        [RhD.NEG, RhD.POS],
        [1.0, 1.5],
        [10, 11],
        [5.0, 6.0],
        [7200.0, np.inf],
        1,
        UnitState.IN_TESTING,
        antigens=[0, 5],
    )
    return lg


def test_add_returns_contiguous_ids_and_broadcasts(ledger):
    ids = add_rbc(ledger, 2)
    assert ids.dtype == np.int64 and ids.tolist() == [5, 6]
    assert len(ledger) == 7
    assert ledger.product[3:5].tolist() == [Product.PLT, Product.FFP]
    assert ledger.antigens[3:5].tolist() == [0, 5]
    assert ledger.state[:3].tolist() == [UnitState.AVAILABLE] * 3
    assert np.isnan(ledger.released_at).all() and np.isnan(ledger.disposed_at).all()
    assert (ledger.order_id == -1).all()


def test_growth_past_capacity_keeps_data():
    lg = Ledger(capacity=2)
    first = add_rbc(lg, 3)
    for i in range(20):
        lg.add(
            Product.PLT, ABO.B, RhD.NEG, 1.0, 100 + i, float(i), 7200.0 + i, 1, UnitState.AVAILABLE
        )
    lg.dispose(first[:1], UnitState.TRANSFUSED, 9.0)
    assert len(lg) == 23 and lg.capacity >= 23
    assert lg.donation_id[:3].tolist() == [0, 1, 2]
    assert lg.donation_id[3:].tolist() == list(range(100, 120))
    assert lg.expires_at[-1] == 7219.0 and lg.disposed_at[0] == 9.0
    for name, dtype in COLUMNS.items():
        assert lg.col(name).dtype == dtype and len(lg.col(name)) == 23


def test_columns_are_read_only_views(ledger):
    with pytest.raises(ValueError):
        ledger.state[0] = UnitState.TRANSFUSED
    view = ledger.state
    ledger.move([0], UnitState.IN_TRANSIT)
    assert view[0] == UnitState.IN_TRANSIT  # a view sees later writes
    grown = ledger.add(
        product=0,
        abo=0,
        rhd=1,
        size_u=1.0,
        donation_id=9,
        collected_at=0.0,
        expires_at=10.0,
        site=0,
        state=UnitState.AVAILABLE,
    )
    assert len(ledger.state) == grown[-1] + 1  # and views are renewed when rows are added


def test_empty_batch_is_allowed(ledger):
    ids = ledger.add(0, 0, 0, np.array([]), 0, 0.0, 1.0, 0, 0)
    assert ids.size == 0 and len(ledger) == 5


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("rhd", [0, 1], "differ in length"),
        ("product", 9, "product codes"),
        ("rhd", 2, "rhd codes"),
        ("size_u", 0.0, "size_u"),
        ("expires_at", np.nan, "expires_at"),
        ("state", UnitState.EXPIRED, "terminal"),
        ("site", -1, "site codes"),
    ],
)
def test_add_rejects_bad_batches(ledger, field, value, match):
    args = dict(
        product=0,
        abo=[0, 1, 2],
        rhd=1,
        size_u=1.0,
        donation_id=1,
        collected_at=0.0,
        expires_at=10.0,
        site=0,
        state=UnitState.COLLECTED,
    )
    args[field] = value
    with pytest.raises(LedgerError, match=match):
        ledger.add(**args)
    assert len(ledger) == 5


def test_move_release_set_expiry_assign_order(ledger):
    ledger.release([3, 4], 60.0)
    ledger.move([3], UnitState.IN_TRANSIT, site=0)
    ledger.set_expiry([4], 1440.0)
    ledger.assign_order([0, 1], 77)
    assert ledger.state[3:5].tolist() == [UnitState.IN_TRANSIT, UnitState.AVAILABLE]
    assert ledger.released_at[3:5].tolist() == [60.0, 60.0]
    assert ledger.site[3] == 0 and ledger.expires_at[4] == 1440.0
    assert ledger.order_id[:3].tolist() == [77, 77, -1]


def test_move_to_terminal_state_raises(ledger):
    with pytest.raises(LedgerError, match="dispose"):
        ledger.move([0], UnitState.TRANSFUSED)


def test_dispose_twice_raises(ledger):
    ledger.dispose([0, 1], UnitState.TRANSFUSED, 100.0)
    with pytest.raises(LedgerError, match="already terminal"):
        ledger.dispose([1, 2], UnitState.EXPIRED, 200.0)
    assert ledger.state[2] == UnitState.AVAILABLE  # nothing half-done
    with pytest.raises(LedgerError, match="already terminal"):
        ledger.move([0], UnitState.AVAILABLE)
    with pytest.raises(LedgerError, match="already terminal"):
        ledger.release([0], 5.0)


def test_dispose_same_id_twice_in_one_call_raises(ledger):
    with pytest.raises(LedgerError, match="more than once"):
        ledger.dispose([2, 2], UnitState.DISCARDED, 1.0)


@pytest.mark.parametrize("state", [UnitState.AVAILABLE, UnitState.IN_TRANSIT, 42])
def test_dispose_non_terminal_raises(ledger, state):
    with pytest.raises(LedgerError, match="terminal state"):
        ledger.dispose([0], state, 1.0)


def test_bad_ids_raise(ledger):
    with pytest.raises(LedgerError, match="outside"):
        ledger.release([5], 1.0)
    with pytest.raises(LedgerError, match="outside"):
        ledger.dispose([-1], UnitState.EXPIRED, 1.0)
    with pytest.raises(LedgerError, match="NaN"):
        ledger.dispose([0], UnitState.EXPIRED, np.nan)


def test_counts_and_units_by_product_state(ledger):
    ledger.dispose([0], UnitState.EXPIRED, 3.0)
    counts = ledger.counts_by_product_state()
    units = ledger.units_by_product_state()
    assert counts.shape == units.shape == (len(Product), len(UnitState))
    assert counts[Product.RBC, UnitState.AVAILABLE] == 2
    assert counts[Product.RBC, UnitState.EXPIRED] == 1
    assert units[Product.RBC, UnitState.AVAILABLE] == 4.0
    assert units[Product.FFP, UnitState.IN_TESTING] == 1.5
    assert counts.sum() == len(ledger)


def test_conservation_passes_on_consistent_ledger(ledger):
    ledger.dispose([0], UnitState.TRANSFUSED, 3.0)
    ledger.move([1], UnitState.IN_TRANSIT, site=1)
    ledger.dispose([3], UnitState.DISCARDED, 4.0)
    ledger.check_conservation()
    ledger.check_conservation(collected=[3, 1, 1, 0, 0])


def test_conservation_raises_on_overwritten_state(ledger):
    ledger.dispose([0], UnitState.TRANSFUSED, 3.0)
    ledger._cols["state"][0] = UnitState.AVAILABLE  # corrupt: resurrected unit
    with pytest.raises(ConservationError, match="non-terminal unit"):
        ledger.check_conservation()


def test_conservation_raises_on_terminal_without_time(ledger):
    ledger._cols["state"][1] = UnitState.EXPIRED
    with pytest.raises(ConservationError, match="without disposed_at"):
        ledger.check_conservation()


def test_conservation_raises_on_lost_unit(ledger):
    ledger._cols["state"][2] = 99  # a unit in no known state: lost
    with pytest.raises(ConservationError, match=r"RBC: collected 3 .* = 2") as info:
        ledger.check_conservation()
    assert "invalid state code" in str(info.value)
    assert isinstance(info.value, AssertionError)


def test_conservation_raises_on_independent_count_mismatch(ledger):
    with pytest.raises(ConservationError, match="PLT: collected 2"):
        ledger.check_conservation(collected=[3, 2, 1, 0, 0])


def test_to_frame_columns_and_dtypes(ledger):
    ledger.release([3], 30.0)
    ledger.dispose([0], UnitState.TRANSFUSED, 50.0)
    df = ledger.to_frame(SITES)
    assert list(df.columns) == [
        "unit_id",
        "donation_id",
        "product",
        "abo",
        "rhd",
        "group",
        "size_u",
        "antigens",
        "collected_at",
        "released_at",
        "expires_at",
        "state",
        "site_id",
        "disposed_at",
        "order_id",
        "collection_site",
    ]
    for col in ("product", "abo", "state"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype)
    assert list(df["product"].cat.categories) == [p.name for p in Product]
    assert list(df["state"].cat.categories)[UnitState.IN_TRANSIT] == "in_transit"
    assert df["size_u"].dtype == np.float32 and df["antigens"].dtype == np.uint16
    assert df["unit_id"].dtype == df["order_id"].dtype == np.int64
    for col in ("collected_at", "released_at", "expires_at", "disposed_at"):
        assert df[col].dtype == np.float64
    row = df.iloc[3]
    assert (row["product"], row["abo"], row["rhd"], row["group"]) == ("PLT", "A", "-", "A-")
    assert (row["state"], row["site_id"], row["released_at"]) == ("available", "hospital", 30.0)
    assert df.iloc[0]["state"] == "transfused" and df.iloc[0]["disposed_at"] == 50.0
    assert df.iloc[4]["group"] == "AB+" and df["site_id"].tolist()[:3] == ["station"] * 3


def test_to_frame_copies_data(ledger):
    df = ledger.to_frame(SITES)
    ledger.dispose([0], UnitState.EXPIRED, 1.0)
    assert np.isnan(df["disposed_at"].iloc[0])


def test_to_frame_needs_every_site_id(ledger):
    with pytest.raises(LedgerError, match="site index"):
        ledger.to_frame(SITES[:1])
