"""Composition root: register the built-in policies, assemble a world, start its processes.

This is the one module that wires processes to policies; nothing below it imports it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.core.domain import Product
from sim.policies import make_policy, register
from sim.policies.delivery_planning import DirectTrips, VrpRoutes
from sim.policies.dispatch import DroneFirst, GroundOnly, Multimodal
from sim.policies.rebalancing import OptimizedRebalancing
from sim.policies.replenishment import OrderUpTo
from sim.policies.simple import NoRebalancing, ScheduledVan
from sim.processes.blood_station import Station, apheresis, pickups
from sim.processes.collection_control import Recruitment
from sim.processes.county_banks import county_bank_reviews
from sim.processes.crossmatch import start_crossmatch_holds
from sim.processes.deliveries import daily_reviews
from sim.processes.disruptions import donor_event_factor, start_event_processes
from sim.processes.donors import DonationHouse, house_donors
from sim.processes.drone_routes import start_routine_routes
from sim.processes.expiry import expiry_sweeps
from sim.processes.hospital import issue_blocks
from sim.processes.hosted import fridge_reviews, hospital_for
from sim.processes.initial import stock_opening_inventory
from sim.processes.lab import Lab, sample_runs
from sim.processes.rare import start_requests, stock_frozen_bank
from sim.scenario import Scenario
from sim.state.world import World
from sim.transport.drones import DroneFleet
from sim.transport.vans import Vans

BUILTIN_POLICIES = {
    "replenishment": {"order_up_to": OrderUpTo},
    "dispatch": {"ground_only": GroundOnly, "drone_first": DroneFirst, "multimodal": Multimodal},
    "routing": {"direct": DirectTrips, "vrp": VrpRoutes},
    "rebalancing": {"none": NoRebalancing, "optimized": OptimizedRebalancing},
    "sample_transport": {"scheduled_van": ScheduledVan},
}


def register_builtin_policies() -> None:
    """Register every built-in policy under its role and name (idempotent)."""
    for role, named in BUILTIN_POLICIES.items():
        for name, factory in named.items():
            register(role, name)(factory)


register_builtin_policies()


def make_world(
    scenario: Scenario, region: object, seed: int, road_graph: Path | None = None
) -> World:
    """The World of one run, with its vans and drones (see :class:`sim.state.world.World`)."""
    return World(scenario, region, seed, road_graph, fleets=fleets)


def fleets(world: World) -> tuple[Vans, DroneFleet]:
    """The vans and drones of ``world`` (its ``fleets`` factory)."""
    return Vans(world), DroneFleet(world)


def populate(world: World) -> None:
    """Create every actor of the scenario and start its SimPy processes."""
    policies = world.scenario.policies
    start_event_processes(world)
    start_requests(world)
    stock_opening_inventory(world)
    stock_frozen_bank(world)
    stations = {int(s): Station(world, int(s)) for s in world.sites.stations}
    _start_testing(world, stations)
    _start_collection(world, stations)
    _start_hospitals(world)
    start_routine_routes(world)
    make_policy("rebalancing", policies.rebalancing).start(world)
    world.env.process(expiry_sweeps(world))


def _start_testing(world: World, stations: dict[int, Station]) -> None:
    labs = {int(s): Lab(world, int(s)) for s in world.sites.of_kind("lab")}
    sampler = make_policy("sample_transport", world.scenario.policies.sample_transport)
    hours = sampler.dispatch_hours(world)
    for lab in labs.values():
        world.env.process(lab.run())
    for site, station in stations.items():
        lab = labs[int(world.sites.lab_of[site])]
        world.env.process(sample_runs(world, station, lab, hours))


def _start_collection(world: World, stations: dict[int, Station]) -> None:
    supply = world.scenario.supply
    houses = world.sites.of_kind("donation_house")
    if supply.donation_houses != "all":
        houses = np.array([world.sites.position(h) for h in supply.donation_houses])
    recruitment = Recruitment(world, world.sites.stations)
    if supply.control.enabled:
        world.env.process(recruitment.run())
    per_day = donor_factor(world)
    for site, base in zip(houses, house_donors(world, houses), strict=True):
        events = donor_event_factor(world, world.site_id(int(site)))
        house = DonationHouse(world, int(site), per_day * base * events, recruitment)
        world.houses.append(house)
        world.env.process(house.run())
        world.env.process(pickups(world, house, stations[int(world.sites.station_of[site])]))
    _start_apheresis(world, stations)


def _start_apheresis(world: World, stations: dict[int, Station]) -> None:
    """Platelet donations at each station in proportion to the hospital demand it serves.

    Bookings follow the weekday pattern of platelet use (``demand.weekday_factors``:
    fewest at weekends), not that of whole-blood donors.
    """
    served = {site: mean[Product.PLT] for site, mean in world.served_mean.items()}
    total = sum(served.values()) or 1.0
    per_day = world.scenario.supply.apheresis.doses_per_day
    factors = world.scenario.demand.weekday_factors
    weekday = world.calendar.weekday_factor(factors) / np.mean(factors)
    for site, station in stations.items():
        rate = weekday * per_day * served[site] / total
        by_group = served[site] * world.groups.shares
        world.env.process(apheresis(world, station, rate, by_group, weekday))


def _start_hospitals(world: World) -> None:
    review = world.scenario.inventory.hospital.review_hour * 60.0
    world.hospitals.update(
        {int(h): hospital_for(world, int(h)) for h in world.sites.of_kind("hospital")}
    )
    if world.hospitals:
        world.env.process(issue_blocks(world, list(world.hospitals.values())))
    world.env.process(daily_reviews(world, review))
    world.env.process(county_bank_reviews(world, review))
    world.env.process(fridge_reviews(world, review))
    start_crossmatch_holds(world)


def donor_factor(world: World) -> np.ndarray:
    """Per-day multiplier on donor arrivals: weekday x seasonal windows."""
    supply = world.scenario.supply
    factor = world.calendar.weekday_factor(supply.weekday_factors)
    factor = factor / np.mean(supply.weekday_factors)
    for season in supply.seasons:
        factor = np.where(
            world.calendar.window_mask(season.start, season.end), factor * season.factor, factor
        )
    return factor
