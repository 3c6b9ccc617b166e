"""KPIs flattened with dots: numbers kept, text dropped, None as NaN, provenance skipped."""

from __future__ import annotations

import math

from sim.compare.flatten import flatten_kpis


def test_flatten_kpis():
    kpis = {
        "fill_rate": 0.98,
        "stockout_events": 3,
        "emergency_lead_time_min": {"p90": None, "p50": 41},
        "units_collected": {"by_product": {"RBC": 10.0}},
        "note": "text",
        "provenance": {"seed": 5, "scenario": "x.yaml", "days": 3},
    }
    row = flatten_kpis(kpis)
    assert math.isnan(row.pop("emergency_lead_time_min.p90"))
    assert row == {
        "fill_rate": 0.98,
        "stockout_events": 3.0,
        "emergency_lead_time_min.p50": 41.0,
        "units_collected.by_product.RBC": 10.0,
        "seed": 5.0,
    }
