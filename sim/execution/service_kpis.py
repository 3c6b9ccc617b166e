"""Service KPIs from the service, stockouts and orders tables: fill rates on time, late and
not met per product and priority, shortfalls, and the emergency lead time.

Definitions (docs/calibration.md, "Honest KPIs"):

- A demanded unit is **met on time** when the hospital issues it from its shelf when needed,
  or when the order placed for its shortfall arrives by the order's required time; **late**
  when deferred routine demand is issued later (within its 24 h) or a shortfall order
  arrives after its required time; **not met** when dropped, never filled or expired first
  (the hospital's service table, :func:`sim.state.demand_outcomes.service_frame`). Fill rates
  are never summed across products (red cells in U, platelets in doses).
- Each short unit is in one stockouts row.
- The emergency lead time covers every emergency order (all emergency demand the hospital's
  own shelf did not meet, plus rare and HLA-matched requests): placed -> arrival, minutes,
  weighted by the units ordered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS

SHARES = ("on_time", "late", "not_met")
PRIORITIES = ("emergency", "urgent", "routine")
#: Service table columns the fill rates sum (U).
SUMMED = ["demanded_u", "on_time_u", "waited_u", "late_u", "not_met_u"]
PERCENTILES = (("p50", 50), ("p90", 90), ("p99", 99))


def fill_rates(service: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Shares of demanded units met on time, late and not met, per product.

    Parameters
    ----------
    service : DataFrame
        The service table (:func:`sim.state.demand_outcomes.service_frame`: demand per day,
        hospital, product and priority and what became of it, U), measured days only.
    """
    sums = service.groupby("product", observed=True)[SUMMED].sum()  # no text copy
    out: dict[str, dict[str, float | None]] = {f"fill_rate_{k}": {} for k in SHARES}
    for p in PRODUCTS:
        row = sums.loc[p.name] if p.name in sums.index else pd.Series(0.0, SUMMED)
        for key, share in _shares(row).items():
            out[f"fill_rate_{key}"][p.name] = share
    return out


def fill_rates_by_priority(service: pd.DataFrame) -> dict[str, dict[str, dict]]:
    """Demand (U) and its on-time, late and not-met shares per product and priority."""
    sums = service.groupby(["product", "priority"], observed=True)[SUMMED].sum()
    out: dict[str, dict[str, dict]] = {}
    for p in PRODUCTS:
        out[p.name] = {}
        for priority in PRIORITIES:
            key = (p.name, priority)
            row = sums.loc[key] if key in sums.index else pd.Series(0.0, SUMMED)
            cell = {"demand_u": round(float(row.demanded_u), 1), **_shares(row)}
            cell["waited"] = _ratio(row.waited_u, float(row.demanded_u))  # part of late
            out[p.name][priority] = cell
    return out


def _shares(row: pd.Series) -> dict[str, float | None]:
    """On time, late (waited within the required-by time, or an order arriving after it) and
    not met, as shares of the demand of ``row``."""
    demand = float(row.demanded_u)
    return {
        "on_time": _ratio(row.on_time_u, demand),
        "late": _ratio(row.waited_u + row.late_u, demand),
        "not_met": _ratio(row.not_met_u, demand),
    }


#: What became of a hosted hospital's need (columns ``<outcome>_u`` of ``stockouts.parquet``).
HOSTED_OUTCOMES = ("on_time", "late", "not_met")


def shortfalls(stockouts: pd.DataFrame) -> dict:
    """Stockout events and units short at hospitals' own shelves (each short unit is in one
    row), and the units short that were never met (dropped or never filled), by product."""
    return {
        "stockout_events": int(len(stockouts)),
        "stockout_events_by_product": stockouts.groupby("product", observed=True)
        .size()
        .astype(int)
        .to_dict(),
        "units_short_at_hospital": round(float(stockouts.short_u.sum()), 1),
        "units_short_by_priority": _rounded(
            stockouts.groupby("priority", observed=True).short_u.sum()
        ),
        "units_not_met": _rounded(stockouts.groupby("product", observed=True).not_met_u.sum()),
    }


def hosted_requests(requests: pd.DataFrame) -> dict:
    """Needs of hosted hospitals, passed to their host (rows of ``stockouts.parquet`` of a
    hospital without a shelf): count, units and what became of them, U."""
    sums = {f"{c}_u": round(float(requests[f"{c}_u"].sum()), 1) for c in HOSTED_OUTCOMES}
    return {"events": int(len(requests)), "units": round(float(requests.short_u.sum()), 1), **sums}


def emergency(orders: pd.DataFrame) -> dict:
    """Emergency orders: counts, units, on-time share and lead time weighted by units.

    HLA-matched platelet requests are left out: their wait (a donor recall and testing,
    hours to days) is the ``hla`` KPI, not a delivery lead time."""
    rows = orders[(orders.priority == "emergency") & ~is_hla(orders)]
    arrived = rows[rows.arrived_at.notna()]
    lead = (arrived.arrived_at - arrived.placed_at).to_numpy(dtype=float)
    on_time = (rows.arrived_at <= rows.required_by).sum()
    return {
        "emergency_orders": int(len(rows)),
        "emergency_orders_unfilled": int((rows.status == "unfilled").sum()),
        "emergency_units_ordered": round(float(rows.quantity_u.sum()), 1),
        "emergency_units_unfilled": round(
            float((rows.quantity_u - rows.filled_u).clip(0).sum()), 1
        ),
        "emergency_on_time_share": _ratio(on_time, len(rows)),
        "emergency_lead_time_min": weighted_summary(lead, arrived.quantity_u.to_numpy(float)),
    }


def is_hla(orders: pd.DataFrame) -> pd.Series:
    """Which orders are HLA-matched platelet requests (group label ending in ``HLA``; none
    in a table without groups)."""
    if "group" not in orders.columns:
        return pd.Series(False, index=orders.index)
    return orders["group"].astype(str).str.endswith("HLA")


def hla_requests(orders: pd.DataFrame) -> dict:
    """HLA-matched platelet requests: how many, the share served on the day of the request
    (arrival before the next midnight) and the wait (placed -> arrival, hours)."""
    rows = orders[is_hla(orders)]
    arrived = rows[rows.arrived_at.notna()]
    day = np.floor(arrived.placed_at / MINUTES_PER_DAY)
    same_day = (arrived.arrived_at < (day + 1) * MINUTES_PER_DAY).sum()
    wait_h = ((arrived.arrived_at - arrived.placed_at) / 60.0).to_numpy(dtype=float)
    return {
        "requests": int(len(rows)),
        "unfilled": int(len(rows) - len(arrived)),
        "same_day_share": _ratio(same_day, len(rows)),
        "wait_h": weighted_summary(wait_h, np.ones(len(wait_h))),
    }


def weighted_summary(values: np.ndarray, weights: np.ndarray) -> dict:
    """Count, weighted mean and weighted percentiles (inverted CDF) of ``values``.

    Parameters
    ----------
    values : ndarray
        Values, e.g. minutes.
    weights : ndarray
        Non-negative weight of each value, e.g. units ordered (U).
    """
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    if not len(values):
        return {"orders": 0, "units": 0.0, "mean": None, **{k: None for k, _ in PERCENTILES}}
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) / weights.sum()
    stats = {
        name: round(float(values[np.searchsorted(cumulative, q / 100 - 1e-12)]), 2)
        for name, q in PERCENTILES
    }
    mean = float(np.average(values, weights=weights))
    return {
        "orders": int(len(values)),
        "units": round(float(weights.sum()), 1),
        "mean": round(mean, 2),
        **stats,
    }


def _rounded(series: pd.Series) -> dict[str, float]:
    return {str(k): round(float(v), 1) for k, v in series.items()}


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else round(float(num) / float(den), 5)
