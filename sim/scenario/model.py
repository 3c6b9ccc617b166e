"""The scenario: every section a planner can set, with documented defaults."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from sim.scenario.base import Section
from sim.scenario.demand import Demand
from sim.scenario.escalation import Escalation
from sim.scenario.events import Event
from sim.scenario.fleet import Fleet
from sim.scenario.groups import BloodGroups
from sim.scenario.inventory import Inventory
from sim.scenario.policies import Policies
from sim.scenario.products import ProductName, ProductSpec, default_products
from sim.scenario.rare import RareBlood
from sim.scenario.supply import Supply
from sim.scenario.testing import Processing, Testing


class Outputs(Section):
    """Where and what a run writes."""

    dir: str = Field("runs", description="parent folder of run folders, relative to the cwd")
    map: bool = True
    report: bool = True


class Scenario(Section):
    """A complete what-if: region, horizon, seed and every model parameter."""

    name: str = Field(min_length=1)
    description: str = ""
    region: str = Field("zhejiang", description="embedded region name or path to region files")
    road_graph: str | None = Field(
        None,
        description="GraphML road network (e.g. saved by osmnx), relative to this file; "
        "replaces the region's straight-line road model",
    )
    start: date = date(2025, 1, 1)
    days: int = Field(365, gt=0, le=3660, description="simulated horizon, days")
    warmup_days: int = Field(0, ge=0, description="days excluded from the KPIs")
    seed: int = Field(20250101, ge=0)
    products: dict[ProductName, ProductSpec] = Field(default_factory=default_products)
    blood_groups: BloodGroups = BloodGroups()
    supply: Supply = Supply()
    testing: Testing = Testing()
    processing: Processing = Processing()
    demand: Demand = Demand()
    inventory: Inventory = Inventory()
    fleet: Fleet = Fleet()
    policies: Policies = Policies()
    escalation: Escalation = Escalation()
    rare_blood: RareBlood = RareBlood()
    events: list[Event] = Field(default_factory=list)
    outputs: Outputs = Outputs()
