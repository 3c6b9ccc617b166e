"""The lean tabulation paths (less memory after the last day) give what the plain pandas
expressions they replace give: storage bands mapped per category, the QC ledger sums grouped
on integer codes, the service table read book by book, donor waits in a float array."""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.execution.border import site_regions
from sim.execution.qc import _ledger_sums
from sim.execution.runner import _map_categories
from sim.state.demand_outcomes import _demand_cells, _labels
from sim.state.world import Logs

PRODUCTS = ["RBC", "PLT", "FFP", "CRYO"]
STATES = ["available", "transfused", "expired", "discarded", "in_transit"]
SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(
    codes=st.lists(st.integers(0, 3), max_size=30),
    mapped=st.lists(st.sampled_from(["2..6 C", "-18 C", "20..24 C"]), min_size=4, max_size=4),
)
def test_bands_mapped_per_category_equal_the_text_mapping(codes, mapped):
    column = pd.Series(pd.Categorical.from_codes(np.array(codes, int), categories=PRODUCTS))
    bands = dict(zip(PRODUCTS, mapped, strict=True))  # every product has a band (validated)
    expected = column.astype(str).map(bands).astype("category")
    got = pd.Series(_map_categories(column, bands))
    assert got.equals(expected) and got.dtype == expected.dtype


def test_a_product_without_a_band_has_none():
    column = pd.Series(pd.Categorical(["RBC", "PLT", "RBC"], categories=PRODUCTS))
    got = _map_categories(column, {"RBC": "2..6 C"})
    assert list(got.categories) == ["2..6 C"] and got.isna().tolist() == [False, True, False]


def _ledger(rows: list[tuple[int, int, int, float, float]]) -> pd.DataFrame:
    site, state, product, size, minute = [[r[k] for r in rows] for k in range(5)]
    return pd.DataFrame(
        {
            "site_id": pd.array([f"h_{s}" for s in site], dtype=str),
            "disposed_at": np.array(minute, float),
            "state": pd.Categorical.from_codes(np.array(state, int), categories=STATES),
            "product": pd.Categorical.from_codes(np.array(product, int), categories=PRODUCTS),
            "size_u": np.array(size, np.float32),
        }
    )


def _text_sums(ledger: pd.DataFrame, calendar: pd.Series) -> pd.DataFrame:
    """The plain text grouping the lean one replaces."""
    state = ledger["state"].astype(str)
    done = ledger[state.isin(("transfused", "expired", "discarded"))]
    f = pd.DataFrame(
        {
            "hospital_id": done["site_id"].astype(str),
            "period": (done["disposed_at"] // 1440.0).map(calendar),
            "wasted": state[done.index].isin(("expired", "discarded")),
            "rbc": done["product"].astype(str) == "RBC",
            "u": done["size_u"].astype(float),
        }
    ).dropna(subset=["period"])
    f["units_transfused_u"] = f["u"].where(~f["wasted"], 0.0)
    f["units_wasted_u"] = f["u"].where(f["wasted"], 0.0)
    f["rbc_transfused_u"] = f["units_transfused_u"].where(f["rbc"], 0.0)
    f["rbc_wasted_u"] = f["units_wasted_u"].where(f["rbc"], 0.0)
    cols = ["units_transfused_u", "units_wasted_u", "rbc_transfused_u", "rbc_wasted_u"]
    return f.groupby(["hospital_id", "period"])[cols].sum()


ROW = st.tuples(
    st.integers(0, 3),
    st.integers(0, 4),
    st.integers(0, 3),
    st.sampled_from([0.5, 1.0, 2.0, 0.1]),
    st.one_of(st.floats(-2000.0, 6 * 1440.0), st.just(np.nan)),
)


@SETTINGS
@given(rows=st.lists(ROW, max_size=40), first=st.integers(0, 2), months=st.booleans())
def test_qc_ledger_sums_equal_the_text_grouping(rows, first, months):
    days = np.arange(first, 5)
    labels = ["2025-01" if d < 3 or not months else "2025-02" for d in days]
    calendar = pd.Series(labels, index=days, name="period")
    ledger = _ledger(rows)
    got, expected = _ledger_sums(ledger, calendar), _text_sums(ledger, calendar)
    assert list(got.columns) == list(expected.columns)
    assert got.index.names == expected.index.names
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_exact=True)


def test_qc_ledger_sums_leave_out_open_and_uncounted_units():
    rows = [(1, 1, 0, 2.0, 100.0), (1, 0, 0, 5.0, np.nan), (2, 2, 1, 1.0, -5.0)]
    got = _ledger_sums(_ledger(rows), pd.Series(["run"] * 3, index=[0, 1, 2]))
    assert got.to_dict("index") == {
        ("h_1", "run"): {
            "units_transfused_u": 2.0,
            "units_wasted_u": 0.0,
            "rbc_transfused_u": 2.0,
            "rbc_wasted_u": 0.0,
        }
    }


@SETTINGS
@given(st.lists(st.integers(0, 2**16), min_size=1, max_size=4), st.integers(0, 2**31))
def test_demand_cells_equal_the_stacked_books(masks, seed):
    rng = np.random.default_rng(seed)
    books = []
    for mask in masks:
        book = rng.random((4, 2, 2, 3)) * (rng.random((4, 2, 2, 1)) < 0.3)
        book[..., 0] *= mask % 2  # some books without any demand
        books.append(book)
    got = _demand_cells(books)
    stacked = np.stack(books)
    where = np.nonzero(stacked[..., 0])
    for a, b in zip(got[:4], where, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(got[4], stacked[where].reshape(-1, 3))


def test_donor_waits_are_a_float_array():
    logs = Logs()
    logs.donor_waits.extend([1.5, 2.0])
    logs.donor_waits.append(3)
    assert isinstance(logs.donor_waits, array) and logs.donor_waits.typecode == "d"
    assert np.array(logs.donor_waits, dtype=float).tolist() == [1.5, 2.0, 3.0]


@SETTINGS
@given(st.lists(st.sampled_from(["a1", "a2", "b1", "zz"]), max_size=20), st.booleans())
def test_site_regions_equal_the_text_mapping(sites, categorical):
    region_of = pd.Series({"a1": "A", "a2": "A", "b1": "B"})
    column = pd.Series(
        sites, dtype="category" if categorical else str, index=range(5, 5 + len(sites))
    )
    expected = column.astype(str).map(region_of)
    got = site_regions(column, region_of)
    assert got.index.equals(expected.index)
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()


@SETTINGS
@given(st.permutations([f"h_{i:03d}" for i in range(12)]), st.lists(st.integers(0, 11)))
def test_hospital_labels_equal_a_categorical_of_the_names(names, codes):
    expected = pd.Categorical([names[c] for c in codes])
    got = _labels(np.array(codes, np.intp), names)
    assert pd.Series(got).equals(pd.Series(expected))
    assert got.categories.dtype == expected.categories.dtype
