"""Measures of service to hospitals: emergency lead times and platelet supply paths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibration.measured import Measured, not_measured, share
from sim.execution.service_kpis import is_hla

URGENT = ("emergency", "urgent")


def emergency_lead_time(orders: pd.DataFrame, since: float, percentile: float) -> Measured:
    """The ``percentile`` of emergency lead times (min): arrival minus placing, over the
    emergency orders placed at or after ``since`` that arrived, weighted by the units ordered
    (``quantity_u``; per order in run folders without it).

    Emergency orders are placed for emergency demand that the hospital's own shelf could not
    meet (and for rare requests), so this covers all emergency demand not met from the own
    shelf. HLA-matched platelet requests are left out (their wait is ``hla_same_day``).
    """
    emergency = orders[(orders["priority"] == "emergency") & ~is_hla(orders)]
    emergency = emergency[emergency["placed_at"] >= since]
    arrived = emergency[emergency["arrived_at"].notna()]
    if arrived.empty:
        return not_measured("no emergency order arrived after the warm-up")
    lead = (arrived["arrived_at"] - arrived["placed_at"]).to_numpy(dtype=float)
    units = arrived["quantity_u"] if "quantity_u" in arrived else pd.Series(1.0, arrived.index)
    value = _weighted_percentile(lead, units.to_numpy(dtype=float), percentile)
    never = len(emergency) - len(arrived)
    detail = f"{len(arrived):,} emergency orders, {units.sum():,.0f} U"
    return Measured(value, detail + (f"; {never:,} never arrived" if never else ""))


def _weighted_percentile(values: np.ndarray, weights: np.ndarray, percentile: float) -> float:
    """Inverted-CDF percentile of ``values`` with ``weights`` (as if each were repeated)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][np.searchsorted(cumulative, percentile / 100 - 1e-12)])


def platelet_hospitals_supplied(
    ledger: pd.DataFrame, stockouts: pd.DataFrame, since: float
) -> Measured:
    """Hospitals that transfused platelets, as a share of hospitals with platelet demand (%).

    A hospital has platelet demand if it transfused platelets or recorded a platelet
    stockout at or after ``since``; a hospital whose demand was never met (no stock and no
    order arriving in time) has no supply path. 100 % means every hospital tier has one.
    The detail adds the doses of need dropped (waited past their required time) as a share
    of doses transfused or dropped: a path may exist and still leave need unmet.
    """
    plt = ledger[(ledger["product"] == "PLT") & (ledger["disposed_at"] >= since)]
    transfused = plt[plt["state"] == "transfused"]
    used = set(transfused["site_id"].astype(str))
    short = stockouts[(stockouts["product"] == "PLT") & (stockouts["time"] >= since)]
    demand = used | set(short["hospital_id"].astype(str))
    unserved = len(demand - used)
    detail = f"{len(demand) - unserved:,} of {len(demand):,} hospitals"
    if unserved:
        detail += f"; {unserved:,} with platelet demand transfused none"
    dropped = float(short["short_u"][short["outcome"] == "dropped"].sum())
    need = dropped + float(transfused["size_u"].sum())
    if need > 0:
        detail += f"; {100 * dropped / need:.1f} % of platelet need dropped"
    return share(len(demand & used), len(demand), detail, "no platelet demand after the warm-up")


def emergency_urgent_on_time(kpis: dict) -> Measured:
    """Red-cell emergency and urgent demand met on time (%), from ``kpis.json``
    ``fill_rate_by_priority.RBC``; the two priorities weighed by their demand."""
    cells = _rbc_cells(kpis)
    if cells is None:
        return not_measured("kpis.json has no fill_rate_by_priority.RBC (an older run folder)")
    shares = [(cells[p]["on_time"], cells[p].get("demand_u", 1.0)) for p in URGENT]
    if any(not isinstance(v, int | float) for v, _ in shares):
        return not_measured("no red-cell emergency or urgent demand after the warm-up")
    value = sum(v * w for v, w in shares) / sum(w for _, w in shares)
    detail = ", ".join(f"{p} {100 * cells[p]['on_time']:.2f} %" for p in URGENT)
    return Measured(100.0 * value, detail)


def routine_within_day(kpis: dict) -> Measured:
    """Routine red-cell demand met within its day (%): on time plus met from the shelf after
    waiting within its 24 h required-by time, from ``kpis.json`` ``fill_rate_by_priority``."""
    cells = _rbc_cells(kpis)
    if cells is None:
        return not_measured("kpis.json has no fill_rate_by_priority.RBC (an older run folder)")
    on_time, waited = cells["routine"]["on_time"], cells["routine"].get("waited")
    if not isinstance(on_time, int | float) or not isinstance(waited, int | float):
        return not_measured("no routine red-cell demand after the warm-up")
    detail = f"on time {100 * on_time:.2f} %, after waiting {100 * waited:.2f} %"
    return Measured(100.0 * (on_time + waited), detail)


def _rbc_cells(kpis: dict) -> dict | None:
    cells = (kpis.get("fill_rate_by_priority") or {}).get("RBC")
    if not isinstance(cells, dict) or any(p not in cells for p in (*URGENT, "routine")):
        return None
    return cells


def hla_same_day(kpis: dict) -> Measured:
    """HLA-matched platelet requests served on the day of the request (%), from
    ``kpis.json`` ``hla``; not measured when the run had no HLA request."""
    hla = kpis.get("hla") or {}
    share, requests = hla.get("same_day_share"), hla.get("requests", 0)
    if not isinstance(share, int | float):
        return not_measured("no HLA-matched platelet request in the run (kpis.json hla)")
    return Measured(100.0 * share, f"{requests:,} requests, {hla.get('unfilled', 0)} unfilled")


def hla_wait_median(kpis: dict) -> Measured:
    """Median wait of HLA-matched platelet requests, request to arrival (h), from
    ``kpis.json`` ``hla.wait_h``; not measured when none arrived."""
    wait = (kpis.get("hla") or {}).get("wait_h") or {}
    if not isinstance(wait.get("p50"), int | float):
        return not_measured("no HLA-matched platelet request arrived (kpis.json hla.wait_h)")
    return Measured(float(wait["p50"]), f"{wait['orders']:,} arrived, p90 {wait['p90']} h")
