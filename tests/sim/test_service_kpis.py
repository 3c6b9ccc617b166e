"""Honest service KPIs from small tables: on time, late and not met per product and priority,
short units once, emergency lead time weighted by units."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calibration.service import emergency_lead_time
from sim.execution.service_kpis import (
    emergency,
    fill_rates,
    fill_rates_by_priority,
    hosted_requests,
    shortfalls,
    weighted_summary,
)

SERVICE = ["day", "hospital_id", "product", "priority", "demanded_u", "on_time_u", "waited_u",
           "late_u", "not_met_u", "open_u"]  # fmt: skip
ORDER = ["product", "group", "priority", "quantity_u", "filled_u", "placed_at", "required_by"]


def _service(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(SERVICE, r, strict=True)) for r in rows], columns=SERVICE)


def _orders(*rows, arrived=()) -> pd.DataFrame:
    frame = pd.DataFrame([dict(zip(ORDER, r, strict=True)) for r in rows], columns=ORDER)
    frame["arrived_at"] = list(arrived) or np.nan
    frame["status"] = np.where(frame.filled_u > 0, "filled", "unfilled")
    return frame


def test_routine_demand_met_after_waiting_is_late_not_on_time() -> None:
    service = _service(
        (0, "h", "RBC", "routine", 80.0, 75.0, 3.0, 0.0, 2.0, 0.0),
        (0, "h", "RBC", "urgent", 20.0, 18.0, 0.0, 2.0, 0.0, 0.0),
        (0, "h", "PLT", "routine", 10.0, 5.0, 0.0, 0.0, 5.0, 0.0),
    )
    rates = fill_rates(service)
    assert rates["fill_rate_on_time"]["RBC"] == 0.93
    assert rates["fill_rate_late"]["RBC"] == 0.05  # 3 waited + 2 arrived late
    assert rates["fill_rate_not_met"]["RBC"] == 0.02
    assert rates["fill_rate_on_time"]["PLT"] == 0.5  # never summed with red cells
    assert rates["fill_rate_on_time"]["FFP"] is None  # nothing demanded


def test_by_priority_keeps_each_priority_s_demand_and_its_waiting_part() -> None:
    service = _service(
        (0, "h", "RBC", "routine", 80.0, 75.0, 3.0, 0.0, 2.0, 0.0),
        (1, "h", "RBC", "routine", 20.0, 20.0, 0.0, 0.0, 0.0, 0.0),
        (0, "h", "RBC", "emergency", 4.0, 3.0, 0.0, 1.0, 0.0, 0.0),
    )
    cells = fill_rates_by_priority(service)["RBC"]
    assert cells["routine"] == {
        "demand_u": 100.0, "on_time": 0.95, "late": 0.03, "not_met": 0.02, "waited": 0.03
    }  # fmt: skip
    assert cells["emergency"]["on_time"] == 0.75 and cells["urgent"]["on_time"] is None


def test_each_short_unit_once_and_the_not_met_part_by_product() -> None:
    stockouts = pd.DataFrame(
        {"product": ["RBC", "RBC", "PLT"], "priority": ["routine", "urgent", "routine"],
         "short_u": [4.0, 2.0, 1.0], "not_met_u": [3.0, 0.0, 1.0]}
    )  # fmt: skip
    short = shortfalls(stockouts)
    assert short["stockout_events"] == 3 and short["units_short_at_hospital"] == 7.0
    assert short["units_not_met"] == {"PLT": 1.0, "RBC": 3.0}
    assert short["units_short_by_priority"] == {"routine": 5.0, "urgent": 2.0}


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


def test_hosted_requests_sum_their_outcomes() -> None:
    requests = pd.DataFrame(
        {"short_u": [2.0, 1.0], "on_time_u": [2.0, 0.0], "late_u": [0.0, 0.5],
         "not_met_u": [0.0, 0.5]}
    )  # fmt: skip
    assert hosted_requests(requests) == {
        "events": 2, "units": 3.0, "on_time_u": 2.0, "late_u": 0.5, "not_met_u": 0.5
    }  # fmt: skip


def test_hla_requests_are_not_emergency_deliveries() -> None:
    """An HLA-matched request waits for a donor recall (a day here): it is the hla KPI."""
    orders = _orders(
        ("RBC", "O+", "emergency", 1, 1, 0, 60),
        ("PLT", "A+ HLA", "emergency", 1, 1, 0, 1440),
        arrived=(30, 1500),
    )
    kpis = emergency(orders)
    assert kpis["emergency_orders"] == 1 and kpis["emergency_lead_time_min"]["p99"] == 30
    assert emergency_lead_time(orders, 0.0, 90).value == 30
