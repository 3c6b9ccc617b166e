"""The simulated world: SimPy environment, ledger, stocks, transport, logs and policies."""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from optimizer.network import DroneParams, RailParams, RoadTimes, TravelOracle
from optimizer.network.osm import load_road_graph
from sim.core.calendar import Calendar
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Product
from sim.core.registry import make_policy
from sim.core.scheduling import Environment
from sim.core.streams import Streams
from sim.scenario import Scenario
from sim.state.demand_means import hospital_means, served_means, station_safety
from sim.state.fleets import DroneView, VanFleet
from sim.state.groups import GroupShares
from sim.state.hosting import host_positions
from sim.state.ledger import Ledger
from sim.state.outages import station_outages
from sim.state.records import Leg as LegRecord
from sim.state.records import OrderRecord, Stockout, StockSnapshot, Table
from sim.state.regions import RegionLabels, scale_by_region, with_member_roads
from sim.state.sites import SiteIndex
from sim.state.stock import site_stock

__all__ = ["PRODUCTS", "FleetFactory", "World", "build_oracle"]  # PRODUCTS: from sim.core.domain

FleetFactory = Callable[["World"], tuple[VanFleet, DroneView]]
"""Builds the vans and drones of a World under construction (``sim.build.make_world``)."""


@dataclass
class Logs:
    """Everything recorded during a run (turned into tables afterwards)."""

    legs: Table = field(default_factory=lambda: Table(LegRecord, "leg_id"))
    orders: Table = field(default_factory=lambda: Table(OrderRecord, "order_id"))
    stockouts: Table = field(default_factory=lambda: Table(Stockout))
    donor_waits: array = field(default_factory=lambda: array("d"))  # min, one per donor
    stock: list[StockSnapshot] = field(default_factory=list)  # one per day
    counters: dict[str, float] = field(default_factory=dict)

    def count(self, name: str, amount: float = 1.0) -> None:
        """Add ``amount`` to the named counter."""
        self.counters[name] = self.counters.get(name, 0.0) + amount


def build_oracle(
    scenario: Scenario, region: object, road_graph: Path | None = None
) -> TravelOracle:
    """Travel-time oracle over the region with the scenario's drone and rail parameters.

    With ``road_graph`` (a GraphML road network), road times come from shortest paths on it.
    """
    drones, rail = scenario.fleet.drones, scenario.fleet.rail
    oracle = TravelOracle.from_region(
        region,
        DroneParams(drones.payload_kg, drones.range_km, drones.cruise_kmh, drones.turnaround_min),
        RailParams(
            rail.handover_min, rail.first_departure_h, rail.last_departure_h, rail.headway_min
        ),
    )
    if road_graph is None:
        return with_member_roads(oracle, region)  # regions run together keep their own roads
    sites = region.sites
    road, _report = load_road_graph(
        road_graph,
        sites.geometry.y.to_numpy(),
        sites.geometry.x.to_numpy(),
        region.road,
        island=sites["island"].fillna(False).to_numpy(dtype=bool),
        ferry_min=region.road.ferry.extra_min,
    )
    return dataclasses.replace(oracle, road=road)


class World:
    """Shared state of one run; processes in other modules act on it.

    Parameters
    ----------
    scenario : Scenario
        Validated scenario (with any overrides applied).
    region : geodata.Region
        Its region.
    seed : int
        Seed of all random streams.
    road_graph : Path, optional
        GraphML road network for road times (default: the region's road model).
    fleets : FleetFactory
        Builds the vans and drones from the otherwise complete World (they act on it); called
        last in the constructor, so ``vans`` and ``drones`` are set like every other field.
    """

    def __init__(
        self,
        scenario: Scenario,
        region: object,
        seed: int,
        road_graph: Path | None = None,
        *,
        fleets: FleetFactory,
    ) -> None:
        self.scenario = scenario
        self.region = region
        self.env = Environment()
        self.streams = Streams(seed)
        self.calendar = Calendar(scenario.start, scenario.days)
        self.sites = SiteIndex.from_sites(region.sites)
        # Host of each hospital supplied through another's blood bank (-1: its own bank).
        self.host_of = host_positions(region.sites, self.sites, scenario.sites)
        self.regions = RegionLabels.from_sites(region.sites)  # member region of each site
        self.ledger = Ledger(capacity=1 << 16)
        self.logs = Logs()
        self.outages = station_outages(scenario, self.calendar, self.sites)  # station windows
        self.imported_u: dict[int, float] = {}  # units from other provinces, per day
        self.boxes: dict[tuple[int, int], object] = {}  # urgent shipments being packed
        self.plt_testing = np.zeros((len(self.sites), 8))  # platelet doses in testing by group
        self.groups = GroupShares.from_scenario(scenario.blood_groups)
        self.demand_mean = scale_by_region(  # U/day per hospital
            hospital_means(scenario.demand, self.sites), self.regions, scenario.demand.region_factor
        )
        self.served_mean = served_means(self.demand_mean, self.sites)  # U/day per station
        self.station_safety = station_safety(
            self.served_mean, scenario.inventory.station.safety_days
        )  # U per product a station keeps for its own hospitals
        policies = scenario.policies
        self.dispatch = make_policy("dispatch", policies.dispatch)
        self.replenishment = make_policy("replenishment", policies.replenishment)
        self.routing = make_policy("routing", policies.routing)
        self.transferred_at = np.empty(0)  # minute each bag last left on a transfer (-inf)
        self.hospitals: dict[int, object] = {}  # Hospital processes by site (sim.build)
        self.houses: list = []  # DonationHouse processes (sim.build)
        # called once after the last day, before the ledger is checked (end-of-run sweeps)
        self.finalizers: list[Callable[[], None]] = []
        self.next_donation_id = 0
        self.bags_created = np.zeros(len(Product), dtype=np.int64)
        self.oracle = build_oracle(scenario, region, road_graph)
        self.road: RoadTimes = self.oracle.road  # swapped while a road closure is active
        holders = np.concatenate(
            [self.sites.stations, self.sites.county_banks, self.sites.of_kind("hospital")]
        )
        self.stock = {int(s): site_stock(self.ledger, int(s)) for s in holders}
        shape = (len(self.sites), len(Product), 4, 2)
        self.on_order = np.zeros(shape)  # units ordered and not yet arrived, per site/group
        # Routine units deferred at each hospital (backorders), U per [site, product, group];
        # written by the hospital processes, read by the replenishment policy.
        self.backorders = np.zeros((len(self.sites), len(Product), len(self.groups.shares)))
        self.demand_u = np.zeros((scenario.days + 1, len(Product)))  # demanded, per day
        self.met_u = np.zeros((scenario.days + 1, len(Product)))  # met by the required time
        self.rules = {Product[name]: spec.compatibility for name, spec in scenario.products.items()}
        self.shelf_min = {
            Product[name]: spec.shelf_life_days * MINUTES_PER_DAY
            for name, spec in scenario.products.items()
        }
        # shelf life (min) by product code, inf where the scenario gives none
        self.shelf_by_code = np.array([self.shelf_min.get(p, np.inf) for p in Product])
        self.site_ids = [str(s) for s in self.sites.ids]  # site id of each site position
        self.vans: VanFleet
        self.drones: DroneView
        self.vans, self.drones = fleets(self)

    def add_units(self, **columns: object) -> np.ndarray:
        """Append bags to the ledger (``Ledger.add`` arguments), counting them independently.

        The independent count per product is what the end-of-run conservation check
        compares the ledger against.
        """
        ids = self.ledger.add(**columns)
        product = self.ledger.col("product")[ids[0] : ids[-1] + 1] if len(ids) else ids
        self.bags_created += np.bincount(product, minlength=len(Product))
        return ids

    def new_bags(
        self,
        product: int,
        abo: object,
        rhd: object,
        collected_at: np.ndarray,
        site: int,
        state: int,
        *,
        size_u: float = 1.0,
        antigens: object = 0,
    ) -> np.ndarray:
        """Bags from single-component donations (one new donation id each), expiring after
        the product's shelf life; returns their ids."""
        collected_at = np.asarray(collected_at, dtype=float)
        n = collected_at.size
        donation = self.next_donation_id + np.arange(n)
        self.next_donation_id += n
        return self.add_units(
            product=product,
            abo=abo,
            rhd=rhd,
            size_u=size_u,
            donation_id=donation,
            collected_at=collected_at,
            expires_at=collected_at + self.shelf_min[Product(product)],
            site=site,
            state=state,
            antigens=antigens,
        )

    def events_processed(self) -> int:
        """SimPy events scheduled so far (SimPy numbers every event it schedules)."""
        return next(self.env._eid)  # noqa: SLF001 - SimPy keeps no public counter

    @property
    def now(self) -> float:
        """Current simulation time, minutes since the scenario start."""
        return float(self.env._now)  # noqa: SLF001 - Environment.now without its property call

    @property
    def horizon_min(self) -> float:
        """End of the run, minutes."""
        return self.scenario.days * MINUTES_PER_DAY

    def site_id(self, position: int) -> str:
        """Site id of a ledger site position."""
        return self.site_ids[position]
