"""Mean daily transfusion demand per hospital and per supplying station, computed once.

Demand means do not change during a run, so the world computes them at construction
(``World.demand_mean`` and ``World.served_mean``) and every process and policy reads them.
"""

from __future__ import annotations

import numpy as np

from sim.core.domain import PRODUCTS, Product
from sim.scenario.demand import Demand
from sim.state.sites import SiteIndex


def hospital_means(demand: Demand, sites: SiteIndex) -> dict[int, np.ndarray]:
    """Mean units per day by product code (RBC, PLT, FFP, CRYO), per hospital position.

    Parameters
    ----------
    demand : Demand
        The scenario's demand section (units per 100 beds per day, by hospital tier).
    sites : SiteIndex
        The region's sites (tier and beds of each hospital).
    """
    out = {}
    for hospital in sites.of_kind("hospital"):
        rates = demand.per_100_beds[str(sites.tiers[hospital])]
        beds = sites.beds[hospital]
        mean = np.zeros(max(PRODUCTS) + 1)
        for product in PRODUCTS:
            mean[product] = beds / 100.0 * getattr(rates, product.name)
        mean[Product.RBC] *= demand.autologous.rbc_factor()  # 1.0 at the baseline rate
        mean.setflags(write=False)
        out[int(hospital)] = mean
    return out


def station_safety(served: dict[int, np.ndarray], safety_days: object) -> dict[int, np.ndarray]:
    """Units per product code below which a station gives nothing to other stations'
    hospitals: the station's safety days (per product, 0 where unset) x the mean daily
    demand it serves."""
    days = np.array([getattr(safety_days, p.name, 0.0) for p in Product])
    return {s: days * mean for s, mean in served.items()}


def served_means(means: dict[int, np.ndarray], sites: SiteIndex) -> dict[int, np.ndarray]:
    """Mean daily demand (units by product code) of the hospitals each station supplies."""
    served = {int(s): np.zeros(len(Product)) for s in sites.stations}
    for hospital, mean in means.items():
        served[int(sites.station_of[hospital])][: len(mean)] += mean
    for mean in served.values():
        mean.setflags(write=False)
    return served
