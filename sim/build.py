"""Assemble a world: policies, stations, labs, houses, hospitals and their processes."""

from __future__ import annotations

import numpy as np

from sim.collection import Station, apheresis, pickups
from sim.domain import Product
from sim.donors import DonationHouse
from sim.drones import DroneFleet
from sim.events import (
    donor_event_factor,
    is_down,
    start_event_processes,
    station_outages,
)
from sim.expiry import expiry_sweeps
from sim.hospital import Hospital, served_demand
from sim.initial import stock_opening_inventory
from sim.lab import Lab
from sim.orders import prepare_shipment
from sim.policies import make_policy
from sim.rare import start_requests, stock_frozen_bank
from sim.transport import Vans
from sim.world import World


def populate(world: World) -> None:
    """Create every actor of the scenario and start its SimPy processes."""
    policies = world.scenario.policies
    world.outages = station_outages(world)
    start_event_processes(world)
    start_requests(world)
    world.vans = Vans(world)
    world.drones = DroneFleet(world)
    world.dispatch = make_policy("dispatch", policies.dispatch)
    world.replenishment = make_policy("replenishment", policies.replenishment)
    world.routing = make_policy("routing", policies.routing)
    world.station_safety = station_safety_stock(world)
    stock_opening_inventory(world)
    stock_frozen_bank(world)
    stations = {int(s): Station(world, int(s)) for s in world.sites.stations}
    _start_testing(world, stations)
    _start_collection(world, stations)
    _start_hospitals(world)
    make_policy("rebalancing", policies.rebalancing).start(world)
    world.env.process(expiry_sweeps(world))


def _start_testing(world: World, stations: dict[int, Station]) -> None:
    labs = {int(s): Lab(world, int(s)) for s in world.sites.of_kind("lab")}
    sampler = make_policy("sample_transport", world.scenario.policies.sample_transport)
    for lab in labs.values():
        world.env.process(lab.run())
    for site, station in stations.items():
        sampler.start(world, station, labs[int(world.sites.lab_of[site])])


def _start_collection(world: World, stations: dict[int, Station]) -> None:
    supply = world.scenario.supply
    houses = world.sites.of_kind("donation_house")
    if supply.donation_houses != "all":
        houses = np.array([world.sites.position(h) for h in supply.donation_houses])
    per_day = donor_factor(world) * supply.donors_per_house_per_day
    beds = world.sites.beds[houses]
    weights = beds / beds.mean() if beds.mean() > 0 else np.ones(len(houses))
    world.houses = []
    for site, weight in zip(houses, weights, strict=True):
        events = donor_event_factor(world, world.site_id(int(site)))
        house = DonationHouse(world, int(site), per_day * weight * events)
        world.houses.append(house)
        world.env.process(house.run())
        world.env.process(pickups(world, house, stations[int(world.sites.station_of[site])]))
    _start_apheresis(world, stations)


def _start_apheresis(world: World, stations: dict[int, Station]) -> None:
    """Platelet donations at each station in proportion to the hospital demand it serves."""
    served = {site: mean[Product.PLT] for site, mean in served_demand(world).items()}
    total = sum(served.values()) or 1.0
    per_day = world.scenario.supply.apheresis.doses_per_day
    factors = world.scenario.supply.weekday_factors
    weekday = world.calendar.weekday_factor(factors) / np.mean(factors)
    for site, station in stations.items():
        rate = weekday * per_day * served[site] / total
        by_group = served[site] * world.groups.shares
        world.env.process(apheresis(world, station, rate, by_group))


def _start_hospitals(world: World) -> None:
    review = world.scenario.inventory.hospital.review_hour * 60.0
    world.hospitals = {int(h): Hospital(world, int(h)) for h in world.sites.of_kind("hospital")}
    for hospital in world.hospitals.values():
        world.env.process(hospital.run())
    world.env.process(_reviews(world, review))


def _reviews(world: World, review_min: float):
    """SimPy process: each morning every hospital orders; each station ships by its routing."""
    env = world.env
    by_station: dict[int, list[int]] = {}
    for h in world.hospitals:
        by_station.setdefault(int(world.sites.station_of[h]), []).append(h)
    for day in range(world.scenario.days):
        yield env.timeout(max(0.0, day * 1440.0 + review_min - env.now))
        for station, hospitals in by_station.items():
            if is_down(world, station, env.now):
                world.logs.count("station_down_reviews")
                continue
            shipments = {}
            for h in hospitals:
                needs = world.replenishment.needs(world, h)
                ids, orders = prepare_shipment(world, h, needs) if needs else ((), [])
                if len(ids):
                    shipments[h] = (ids, orders)
            if shipments:
                world.routing.deliver(world, station, shipments)


def station_safety_stock(world: World) -> dict[int, np.ndarray]:
    """Units per product below which a station gives nothing to other stations' hospitals."""
    safety_days = world.scenario.inventory.station.safety_days
    days = np.array([getattr(safety_days, p.name, 0.0) for p in Product])
    return {s: days * mean for s, mean in served_demand(world).items()}


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
