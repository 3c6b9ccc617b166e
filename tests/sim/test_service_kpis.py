"""Honest service KPIs from small tables: on time vs late per product, short units once,
emergency lead time weighted by units."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product
from sim.run.service_kpis import emergency, fill_rates, shortfalls, weighted_summary

STOCKOUT = ["time", "hospital_id", "product", "group", "priority", "needed_u", "short_u", "outcome"]
ORDER = ["product", "group", "priority", "quantity_u", "filled_u", "placed_at", "required_by"]


def _stockouts(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(STOCKOUT, r, strict=True)) for r in rows], columns=STOCKOUT)


def _orders(*rows, arrived=()) -> pd.DataFrame:
    frame = pd.DataFrame([dict(zip(ORDER, r, strict=True)) for r in rows], columns=ORDER)
    frame["arrived_at"] = list(arrived) or np.nan
    frame["status"] = np.where(frame.filled_u > 0, "filled", "unfilled")
    return frame


def _demand(rbc: float = 0.0, plt: float = 0.0) -> np.ndarray:
    out = np.zeros(len(Product))
    out[Product.RBC], out[Product.PLT] = rbc, plt
    return out


def test_deferred_routine_met_later_is_late_not_on_time() -> None:
    stockouts = _stockouts((100, "h", "RBC", "O+", "routine", 10, 4, "deferred"))
    rates = fill_rates(_demand(rbc=100), stockouts, _orders())
    assert rates["fill_rate_on_time"]["RBC"] == 0.96
    assert rates["fill_rate_late"]["RBC"] == 0.04


def test_dropped_units_are_neither_on_time_nor_late_and_counted_once() -> None:
    stockouts = _stockouts(
        (100, "h", "RBC", "O+", "routine", 10, 4, "deferred"),
        (1600, "h", "RBC", "O+", "routine", 10, 3, "dropped"),
    )
    rates = fill_rates(_demand(rbc=100), stockouts, _orders())
    assert rates["fill_rate_on_time"]["RBC"] == 0.96
    assert rates["fill_rate_late"]["RBC"] == 0.01
    short = shortfalls(stockouts)
    assert short["units_short_at_hospital"] == 4.0 and short["stockout_events"] == 1
    assert short["units_dropped"] == {"RBC": 3.0}


def test_ordered_shortfall_on_time_only_if_it_arrives_by_its_required_time() -> None:
    stockouts = _stockouts((0, "h", "PLT", "A+", "urgent", 5, 5, "ordered"))
    orders = _orders(
        ("PLT", "A+", "urgent", 3, 3, 0, 120),
        ("PLT", "A+", "urgent", 2, 2, 0, 120),
        ("RBC", "mixed", "routine", 50, 50, 0, 1440),  # replenishment: not patient demand
        arrived=(100, 200, 50),
    )
    rates = fill_rates(_demand(rbc=10, plt=10), stockouts, orders)
    assert rates["fill_rate_on_time"]["PLT"] == 0.8
    assert rates["fill_rate_late"]["PLT"] == 0.2
    assert rates["fill_rate_on_time"]["RBC"] == 1.0  # never summed with platelets
    assert rates["fill_rate_on_time"]["FFP"] is None  # nothing demanded


def test_emergency_lead_time_is_weighted_by_units_and_unfilled_counted() -> None:
    orders = _orders(
        ("RBC", "O+", "emergency", 1, 1, 0, 60),
        ("RBC", "O+", "emergency", 3, 3, 0, 60),
        ("RBC", "O-", "emergency", 2, 0, 0, 60),
        arrived=(10, 100, np.nan),
    )
    kpis = emergency(orders)
    assert kpis["emergency_units_ordered"] == 6 and kpis["emergency_units_unfilled"] == 2
    assert kpis["emergency_lead_time_min"]["p50"] == 100  # 3 of the 4 units took 100 min
    assert kpis["emergency_on_time_share"] == round(1 / 3, 5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 5)), min_size=1, max_size=30))
def test_weighted_percentiles_equal_percentiles_of_repeated_values(pairs) -> None:
    values = np.array([v for v, _ in pairs], float)
    weights = np.array([w for _, w in pairs], float)
    repeated = np.repeat(values, weights.astype(int))
    summary = weighted_summary(values, weights)
    for name, q in (("p50", 50), ("p90", 90), ("p99", 99)):
        assert summary[name] == np.percentile(repeated, q, method="inverted_cdf")
    assert summary["units"] == weights.sum()
