"""Service KPIs from the orders and stockouts tables: fill rates on time and late per
product, each short unit counted once, and the emergency lead time.

Definitions (docs/calibration.md, "Honest KPIs"):

- A demanded unit is **met on time** when the hospital issues it from its shelf in the block
  it is demanded, or when the order placed for its shortfall arrives by the order's required
  time. It is **met late** when deferred routine demand is issued in a later block, or when a
  shortfall order arrives after its required time. Fill rates are never summed across
  products (red cells in U, platelets in doses).
- A short unit is counted once, when it first falls short (``ordered`` or ``deferred``);
  ``dropped`` rows re-count deferred units and are reported on their own.
- The emergency lead time covers every emergency order (all emergency demand the hospital's
  own shelf did not meet, plus rare and HLA-matched requests): placed -> arrival, minutes,
  weighted by the units ordered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, group_label

FIRST_SHORT = ("ordered", "deferred")  # outcomes that record a unit short for the first time
PATIENT_GROUPS = frozenset(group_label(a, r) for a in range(4) for r in range(2))
PERCENTILES = (("p50", 50), ("p90", 90), ("p99", 99))


def fill_rates(
    demand_u: np.ndarray, stockouts: pd.DataFrame, orders: pd.DataFrame
) -> dict[str, dict[str, float | None]]:
    """Shares of demanded units met on time and met late, per product.

    Parameters
    ----------
    demand_u : ndarray, shape (products,)
        Units demanded at hospitals per product code after warm-up, U (platelets: doses).
    stockouts, orders : DataFrame
        The run's tables, already restricted to the measured period.
    """
    patient = patient_orders(orders)
    on_time, late = {}, {}
    for p in PRODUCTS:
        rows = stockouts[stockouts["product"].astype(str) == p.name]
        got = patient[patient["product"].astype(str) == p.name]
        on_time[p.name], late[p.name] = met_shares(float(demand_u[p]), rows, got)
    return {"fill_rate_on_time": on_time, "fill_rate_late": late}


def fill_rates_by_priority(
    demand_u: np.ndarray, shares: dict[str, float], stockouts: pd.DataFrame, orders: pd.DataFrame
) -> dict[str, dict[str, dict[str, float | None]]]:
    """On-time and late shares per product and priority.

    The demand of a priority is *estimated* as the product's demand times the scenario's
    share of that priority (``shares``, 0..1): the run keeps no per-priority demand total
    (incident demand, all at one priority, makes the estimate rougher). Short units and
    orders are exact, from the tables.
    """
    patient = patient_orders(orders)
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for p in PRODUCTS:
        out[p.name] = {}
        for priority, share in shares.items():
            rows = stockouts[
                (stockouts["product"].astype(str) == p.name) & (stockouts.priority == priority)
            ]
            got = patient[
                (patient["product"].astype(str) == p.name) & (patient.priority == priority)
            ]
            demand = float(demand_u[p]) * share
            on_time, late = met_shares(demand, rows, got)
            out[p.name][priority] = {"demand_u": round(demand, 1), "on_time": on_time, "late": late}
    return out


def met_shares(
    demand: float, stockouts: pd.DataFrame, orders: pd.DataFrame
) -> tuple[float | None, float | None]:
    """(on time, late) shares of ``demand`` (U) given its stockout rows and the patient
    orders placed for its shortfalls (see the module docstring)."""
    outcome = stockouts.outcome
    short = float(stockouts.short_u[outcome.isin(FIRST_SHORT)].sum())
    waited = float(stockouts.short_u[outcome == "deferred"].sum())
    waited -= float(stockouts.short_u[outcome == "dropped"].sum())
    got = np.minimum(orders.filled_u, orders.quantity_u).where(orders.arrived_at.notna(), 0.0)
    in_time = orders.arrived_at <= orders.required_by
    met_now = min(demand, demand - short + float(got[in_time].sum()))
    met_later = min(demand - met_now, max(0.0, waited) + float(got[~in_time].sum()))
    return _ratio(met_now, demand), _ratio(met_later, demand)


def patient_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Orders placed for a patient's shortfall at the hospital (one ABO/RhD group, not a
    replenishment of mixed groups, not a rare or HLA-matched request)."""
    return orders[orders.group.isin(PATIENT_GROUPS)]


def shortfalls(stockouts: pd.DataFrame) -> dict:
    """Stockout events and units short, each short unit once; dropped units apart."""
    first = stockouts[stockouts.outcome.isin(FIRST_SHORT)]
    dropped = stockouts[stockouts.outcome == "dropped"]
    return {
        "stockout_events": int(len(first)),
        "stockout_events_by_product": first.groupby("product").size().astype(int).to_dict(),
        "units_short_at_hospital": round(float(first.short_u.sum()), 1),
        "units_short_by_priority": _rounded(first.groupby("priority").short_u.sum()),
        "units_dropped": _rounded(dropped.groupby("product").short_u.sum()),
    }


def emergency(orders: pd.DataFrame) -> dict:
    """Emergency orders: counts, units, on-time share and lead time weighted by units."""
    rows = orders[orders.priority == "emergency"]
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


def hla_requests(orders: pd.DataFrame) -> dict:
    """HLA-matched platelet requests: how many, the share served on the day of the request
    (arrival before the next midnight) and the wait (placed -> arrival, hours)."""
    rows = orders[orders.group.astype(str).str.endswith("HLA")]
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
