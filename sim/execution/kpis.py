"""Key performance indicators, computed from the run's tables after the run.

:func:`compute_kpis` reads only the result tables (ledger, orders, legs, stockouts, stock),
the scenario, and :class:`RunFacts`: the few quantities no table holds (daily demand and
demand met in time, donor waits, event counters, the SimPy event count).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.core.calendar import Calendar
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Product
from sim.execution.service_kpis import (
    SUMMED,
    emergency,
    fill_rates,
    fill_rates_by_priority,
    hla_requests,
    hosted_requests,
    shortfalls,
)
from sim.scenario import Scenario
from sim.state.demand_outcomes import service_frame
from sim.state.sites import STATION_KINDS
from sim.state.world import World

TERMINAL = ("transfused", "expired", "discarded")
IN_STOCK = ("collected", "in_testing", "quarantined", "available", "reserved")
PERCENTILES = (("p50", 50), ("p90", 90), ("p99", 99))

# The KPIs a policy comparison summarises (flat names, as in ``sim.compare.flatten``): the
# compare command's table and the comparison report's paired chart both use this list.
KEY_KPIS = (
    "fill_rate_on_time.RBC",
    "fill_rate_on_time.PLT",
    "fill_rate_late.RBC",
    "stockout_events",
    "emergency_lead_time_min.p50",
    "emergency_lead_time_min.p90",
    "units_expired.total",
    "drone_sorties",
    "legs_by_mode.van.cost_yuan",
)


@dataclass(frozen=True)
class RunFacts:
    """What only the run knows: no result table holds these.

    Attributes
    ----------
    demand_u, met_u : ndarray, shape (days + 1, products)
        Units demanded at hospitals per day and product, and units of it met by their
        required time, U.
    donor_waits_min : ndarray
        Each donor's wait before donating, minutes.
    counters : dict
        Event counters of the run (``kpis.counters``).
    simpy_events : int
        SimPy events scheduled.
    served_mean : dict
        Mean daily demand (U by product code) served by each station, by station id.
    service : DataFrame
        The hospitals' service table: demand per day, hospital, product and priority and
        what became of it, U (:func:`sim.state.demand_outcomes.service_frame`).
    hosted : frozenset of str
        Site ids of hospitals supplied via a host (no shelf of their own): every need of
        theirs is a routed request in ``stockouts.parquet``, not a shortfall of a shelf.
    """

    demand_u: np.ndarray
    met_u: np.ndarray
    donor_waits_min: np.ndarray
    counters: dict[str, float]
    simpy_events: int
    served_mean: dict[str, np.ndarray]
    service: pd.DataFrame
    hosted: frozenset[str] = frozenset()

    @classmethod
    def of(cls, world: World) -> RunFacts:
        """The facts of a finished run."""
        return cls(
            demand_u=world.demand_u.copy(),
            met_u=world.met_u.copy(),
            donor_waits_min=np.array(world.logs.donor_waits, dtype=float),
            counters=dict(world.logs.counters),
            simpy_events=world.events_processed(),
            served_mean={world.site_id(s): m for s, m in world.served_mean.items()},
            service=service_frame(world),
            hosted=frozenset(world.site_id(int(s)) for s in np.flatnonzero(world.host_of >= 0)),
        )


def compute_kpis(
    tables: dict[str, pd.DataFrame], facts: RunFacts, scenario: Scenario, provenance: dict
) -> dict:
    """All KPIs of a run as a JSON-ready dict (see README, "kpis.json")."""
    warm = scenario.warmup_days * MINUTES_PER_DAY
    ledger, orders = tables["ledger"], tables["orders"]
    bags = ledger[["product", "size_u"]]  # each KPI copies these two columns, not all 17
    donated, state = ledger.donation_id >= 0, ledger.state
    kpis = {
        "units_opening_stock": _units(bags[(ledger.collected_at < 0) & donated]),
        "units_collected": _units(bags[(ledger.collected_at >= warm) & donated]),
        "units_imported": _units(bags[~donated]),
    }
    disposed_late = ledger.disposed_at >= warm
    for name in TERMINAL:
        kpis[f"units_{name}"] = _units(bags[(state == name) & disposed_late])
    kpis["units_expired_in_testing"] = _units(
        bags[(state == "expired") & disposed_late & ledger.released_at.isna()]
    )
    kpis["units_in_stock_end"] = _units(bags[state.isin(IN_STOCK)])
    kpis["units_in_transit_end"] = _units(bags[state == "in_transit"])
    kpis.update(_service(facts, tables["stockouts"], orders, warm))
    kpis["hla"] = hla_requests(orders[orders.placed_at >= warm])
    kpis["outdate_rate"] = _outdate_rate(kpis)
    kpis.update(_transport(tables["legs"], warm))
    kpis["station_days_below_safety"] = _station_alerts(facts, scenario, tables["stock"])
    kpis["station_days_below_rbc_safety"] = _station_alerts_by_station(
        facts, scenario, tables["stock"]
    )
    kpis["donor_wait_min"] = _summary(facts.donor_waits_min, key="donors")
    kpis["collection"] = _collection(ledger, ledger.collected_at >= warm)
    kpis["optimizer"] = _optimizer(facts.counters, scenario.days)
    kpis["counters"] = {k: round(v, 3) for k, v in sorted(facts.counters.items())}
    kpis["simulation"] = {"simpy_events": facts.simpy_events, "ledger_rows": len(ledger)}
    kpis["provenance"] = provenance
    return kpis


def _station_alerts(facts: RunFacts, scenario: Scenario, stock: pd.DataFrame) -> dict:
    """Station-days (after warm-up) whose available stock covered less than the safety days."""
    return {p.name: int(sum(_days_below(facts, scenario, stock, p).values())) for p in PRODUCTS}


def _station_alerts_by_station(facts: RunFacts, scenario: Scenario, stock: pd.DataFrame) -> dict:
    """Red-cell days below the safety stock per station (after warm-up), all days and outside
    the Spring Festival (the supply season windows named ``spring_festival``)."""
    festival = np.zeros(scenario.days + 1, dtype=bool)
    calendar = Calendar(scenario.start, scenario.days)
    for window in scenario.supply.seasons:
        if window.name == "spring_festival":
            festival |= calendar.window_mask(window.start, window.end)
    return {
        "all_days": _days_below(facts, scenario, stock, Product.RBC),
        "outside_festival": _days_below(facts, scenario, stock, Product.RBC, skip=festival),
    }


def _days_below(
    facts: RunFacts,
    scenario: Scenario,
    stock: pd.DataFrame,
    product: Product,
    skip: np.ndarray | None = None,
) -> dict[str, int]:
    """Days per station with available ``product`` below ``safety_days`` x mean daily demand
    served (after warm-up, leaving out the days ``skip`` marks)."""
    warm_day = scenario.warmup_days
    safety = getattr(scenario.inventory.station.safety_days, product.name)
    rows = stock[
        (stock["product"] == product.name)
        & (stock.kind.isin(STATION_KINDS))
        & (stock.day >= warm_day)
    ]
    on_hand = rows.pivot_table(
        index="day", columns="site_id", values="units", aggfunc="sum", observed=True
    )
    days = [d for d in range(warm_day, scenario.days + 1) if skip is None or not skip[d]]
    out = {}
    for s, mean in sorted(facts.served_mean.items()):
        level = on_hand.get(s, pd.Series(dtype=float)).reindex(days).fillna(0.0)
        out[s] = int((level < safety * mean[product]).sum()) if mean[product] > 0 else 0
    return out


def _optimizer(c: dict[str, float], days: int) -> dict:
    """Rebalancing and routing activity, with yearly rates for comparison with Hubei's
    4,684 transfers and 189,000 units a year (seeds.md)."""
    shipments, units = c.get("rebalancing_shipments", 0.0), c.get("rebalancing_units", 0.0)
    return {
        "rebalancing_plans": int(c.get("rebalancing_plans", 0)),
        "rebalancing_fallbacks": int(c.get("rebalancing_fallbacks", 0)),
        # plans stopped by the wall clock: not reproducible for a seed (should be 0)
        "rebalancing_wall_clock_stops": int(c.get("rebalancing_wall_clock_stops", 0)),
        "rebalancing_transfers": int(shipments),
        "rebalancing_units": round(units, 1),
        "rebalancing_transfers_per_year": round(shipments * 365 / days, 1),
        "rebalancing_units_per_year": round(units * 365 / days, 1),
        "routing_plans": int(c.get("routing_plans", 0)),
        "routing_fallbacks": int(c.get("routing_fallbacks", 0)),
    }


def _units(frame: pd.DataFrame) -> dict:
    by_product = frame.groupby("product", observed=False)["size_u"].sum()
    named = {p.name: round(float(by_product.get(p.name, 0.0)), 1) for p in Product}
    return {"total": round(sum(named.values()), 1), "bags": len(frame), "by_product": named}


def _service(facts: RunFacts, stockouts: pd.DataFrame, orders: pd.DataFrame, warm: float) -> dict:
    """Fill rates on time, late and not met per product and priority, shortfalls, emergency
    lead time (definitions in :mod:`sim.execution.service_kpis`)."""
    day0 = int(warm // MINUTES_PER_DAY)
    demand, met = facts.demand_u[day0:].sum(axis=0), facts.met_u[day0:].sum(axis=0)
    short, placed = stockouts[stockouts.time >= warm], orders[orders.placed_at >= warm]
    routed = short.hospital_id.isin(facts.hosted)  # hosted hospitals' needs: not shortfalls
    service = facts.service.loc[facts.service.day >= day0, ["product", "priority", *SUMMED]]
    rates = fill_rates(service)
    return {
        "fill_rate": rates["fill_rate_on_time"]["RBC"],
        **rates,
        "fill_rate_by_priority": fill_rates_by_priority(service),
        "fill_rate_by_product": {p.name: _ratio(met[p], demand[p]) for p in PRODUCTS},
        "units_demanded": {p.name: round(float(demand[p]), 1) for p in PRODUCTS},
        **shortfalls(short[~routed]),
        "hosted_requests": hosted_requests(short[routed]),
        **emergency(placed),
        "orders_by_priority": placed.groupby("priority").size().astype(int).to_dict(),
    }


def _outdate_rate(kpis: dict) -> dict:
    out = {}
    for p in PRODUCTS:
        expired = kpis["units_expired"]["by_product"][p.name]
        used = kpis["units_transfused"]["by_product"][p.name]
        out[p.name] = _ratio(expired, expired + used)
    return out


def _transport(legs: pd.DataFrame, warm: float) -> dict:
    legs = legs.loc[legs.depart_at >= warm, ["mode", "purpose", "units", "km", "cost_yuan"]]
    by_mode = {}
    for mode, group in legs.groupby("mode"):
        loaded = group[group.units > 0]
        by_mode[str(mode)] = {
            "legs": int(len(group)),
            "loaded_legs": int(len(loaded)),
            "units": round(float(group.units.sum()), 1),
            "km": round(float(group.km.sum()), 1),
            "cost_yuan": round(float(group.cost_yuan.sum()), 1),
            "units_per_loaded_leg": _ratio(loaded.units.sum(), len(loaded)),
        }
    drones = legs[(legs["mode"] == "drone") & (legs.purpose != "return")]
    if "drone" in by_mode:
        by_mode["drone"]["sorties"] = int(len(drones))
        by_mode["drone"]["units_per_sortie"] = _ratio(drones.units.sum(), len(drones))
    return {
        "legs_by_mode": by_mode,
        "drone_sorties": int(len(drones)),
        "units_by_drone": round(float(drones.units.sum()), 1),
    }


def _collection(ledger: pd.DataFrame, collected: pd.Series) -> dict:
    """Donations, whole blood (U) and apheresis doses among the ``collected`` ledger rows.

    Copies only the columns each figure needs; donations are counted on a bitmap of the ids
    rather than a hash table of every id."""
    product, size = ledger["product"][collected], ledger["size_u"][collected]
    donation = ledger["donation_id"].to_numpy()[
        (collected & (ledger["product"] != "PLT")).to_numpy()
    ]
    return {
        "donations": distinct_ids(donation),
        "whole_blood_u": round(float(size[product == "RBC"].sum()), 1),
        "apheresis_doses": round(float(size[product == "PLT"].sum()), 1),
    }


def distinct_ids(ids: np.ndarray) -> int:
    """How many distinct values an int array holds (``pd.Series(ids).nunique()``): a bitmap
    over the non-negative ones (one byte per id up to the largest, not a hash table of
    every id), ``np.unique`` for the few negative ones (imports have -1)."""
    negative = ids < 0
    if negative.any():
        return distinct_ids(ids[~negative]) + len(np.unique(ids[negative]))
    top = int(ids.max()) if ids.size else -1
    if top >= 8 * ids.size + 1024:  # sparse ids (not a run's own): the hash table is smaller
        return int(pd.Series(ids).nunique())
    seen = np.zeros(top + 1, dtype=bool)
    seen[ids] = True
    return int(np.count_nonzero(seen))


def _summary(values: np.ndarray, *, key: str) -> dict:
    if not len(values):
        return {key: 0, "mean": None, **{name: None for name, _ in PERCENTILES}}
    stats = {name: round(float(np.percentile(values, q)), 2) for name, q in PERCENTILES}
    return {key: int(len(values)), "mean": round(float(values.mean()), 2), **stats}


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else round(float(num) / float(den), 5)
