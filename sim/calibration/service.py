"""Measures of service to hospitals: emergency lead times and platelet supply paths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibration.measured import Measured, not_measured, share


def emergency_lead_time(orders: pd.DataFrame, since: float, percentile: float) -> Measured:
    """The ``percentile`` of emergency lead times (min): arrival minus placing, over the
    emergency orders placed at or after ``since`` that arrived.

    Emergency orders are placed for emergency demand that the hospital's own shelf could not
    meet, so this covers all emergency demand not met from the own shelf.
    """
    emergency = orders[(orders["priority"] == "emergency")]
    emergency = emergency[emergency["placed_at"] >= since]
    arrived = emergency[emergency["arrived_at"].notna()]
    if arrived.empty:
        return not_measured("no emergency order arrived after the warm-up")
    lead = (arrived["arrived_at"] - arrived["placed_at"]).to_numpy()
    never = len(emergency) - len(arrived)
    detail = f"{len(arrived):,} emergency orders" + (f"; {never:,} never arrived" if never else "")
    return Measured(float(np.percentile(lead, percentile)), detail)


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
    """Red-cell emergency and urgent demand met on time (%): not in a run folder."""
    return not_measured(
        "the run folder does not split red-cell demand by priority (stockouts.parquet holds "
        f"only demand the shelf could not meet); all priorities: {_fill(kpis)}"
    )


def routine_within_day(kpis: dict) -> Measured:
    """Routine red-cell demand met within its day (%): not in a run folder."""
    return not_measured(
        "routine demand met up to 24 h late counts as met in the run folder, and demand is "
        f"not split by priority; all priorities: {_fill(kpis)}"
    )


def _fill(kpis: dict) -> str:
    rate = (kpis.get("fill_rate_by_product") or {}).get("RBC")
    if not isinstance(rate, int | float):
        return "kpis.json has no fill_rate_by_product.RBC"
    return f"fill_rate_by_product.RBC {100 * rate:.2f} % (routine counted within 24 h)"
