"""Mass-casualty incidents: casualties to the nearest capable hospitals, blood used early.

Each incident's demand per product is casualties x units per admission (planning rules,
facts 8), drawn as Poisson totals per hospital and released hour by hour with an
exponential profile whose half-time is ``half_used_h``; a share ``o_share`` of the red
cells is given as group O (uncrossmatched emergency release). All of it is emergency demand
at the hospitals, so shortfalls escalate through the four levels at once.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from optimizer.network.geometry import haversine_km
from sim.core.domain import ABO, MINUTES_PER_HOUR, Priority, Product
from sim.scenario.events import RECEIVING_TIERS, MassCasualty
from sim.state.world import World


def start_incidents(world: World) -> None:
    """Start one process per mass-casualty event of the scenario."""
    for number, event in enumerate(world.scenario.events):
        if isinstance(event, MassCasualty):
            world.env.process(_incident(world, number, event))


def receiving_hospitals(world: World, event: MassCasualty) -> tuple[np.ndarray, np.ndarray]:
    """The nearest capable hospitals (by road-like distance) and their share of casualties
    (in proportion to their beds)."""
    sites = world.sites
    capable = np.flatnonzero(
        (sites.kinds == "hospital") & np.isin(sites.tiers, RECEIVING_TIERS) & (sites.beds > 0)
    )
    km = haversine_km(event.lat, event.lon, sites.lat[capable], sites.lon[capable])
    chosen = capable[np.argsort(km, kind="stable")[: event.hospitals]]
    beds = sites.beds[chosen]
    return chosen, beds / beds.sum()


def _incident(world: World, number: int, event: MassCasualty) -> Generator:
    rng = world.streams.get("incident", number)
    t0, t1 = (world.calendar.minutes(event.start), world.calendar.minutes(event.end))
    hospitals, shares = receiving_hospitals(world, event)
    casualties = rng.multinomial(event.casualties, shares)
    hours = max(1, int(np.ceil((t1 - t0) / MINUTES_PER_HOUR)))
    profile = _hourly_profile(hours, event.half_used_h)
    plan = {
        (int(h), Product[name]): rng.multinomial(rng.poisson(n * per), profile)
        for h, n in zip(hospitals, casualties, strict=True)
        for name, per in event.per_admission.items()
    }
    world.logs.count("mci_casualties", float(event.casualties))
    yield world.env.timeout(max(0.0, t0 - world.env.now))
    for hour in range(hours):
        for (hospital, product), units in plan.items():
            if units[hour]:
                _admit(world, rng, event, hospital, product, int(units[hour]))
        yield world.env.timeout(MINUTES_PER_HOUR)


def _hourly_profile(hours: int, half_h: float) -> np.ndarray:
    """Share of the blood used in each hour: exponential decay, truncated and renormalised."""
    edges = 1.0 - np.exp(-np.log(2.0) / half_h * np.arange(hours + 1))
    share = np.diff(edges)
    return share / share.sum()


def _admit(
    world: World,
    rng: np.random.Generator,
    event: MassCasualty,
    hospital: int,
    product: Product,
    units: int,
) -> None:
    """Issue one hour's incident demand at a hospital as emergency demand by group."""
    groups = world.groups
    counts = rng.multinomial(units, groups.shares)
    if (
        product == Product.RBC
        and event.o_share > 0
        and world.scenario.escalation.emergency_o_release
    ):
        o_units = rng.binomial(units, event.o_share)
        counts = rng.multinomial(units - o_units, groups.shares)
        o_pos = groups.codes.index((int(ABO.O), 1))
        counts[o_pos] += o_units
        world.logs.count("emergency_o_release_u", float(o_units))
    world.logs.count("mci_units_demanded", float(units))
    world.hospitals[hospital].inject(product, counts, Priority.EMERGENCY)
