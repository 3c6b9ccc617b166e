"""The scenario: every section a planner can set, with documented defaults."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath, PureWindowsPath

from pydantic import Field, field_validator

from sim.scenario.base import FIRST_DATE, LAST_DATE, Count, PlainText, Section
from sim.scenario.demand import Demand
from sim.scenario.escalation import Escalation
from sim.scenario.events import Event
from sim.scenario.fleet import Fleet
from sim.scenario.groups import BloodGroups
from sim.scenario.hosting import Hosting, Sites
from sim.scenario.inventory import Inventory
from sim.scenario.policies import Policies
from sim.scenario.problems import short
from sim.scenario.products import ProductName, ProductSpec, default_products
from sim.scenario.quality import QcIndicator, Quality
from sim.scenario.rare import RareBlood
from sim.scenario.supply import Supply
from sim.scenario.testing import Processing, Testing


class Outputs(Section):
    """Where and what a run writes."""

    dir: PlainText = Field(
        "runs",
        min_length=1,
        description="parent folder of run folders, relative to the working folder and inside "
        "it (no absolute path, no '..', no '~')",
    )
    map: bool = True
    report: bool = True
    # indicator of the district choropleth (districts.html) of regions with districts
    district_indicator: QcIndicator = "wastage_rate"

    @field_validator("dir")
    @classmethod
    def _inside_working_folder(cls, value: str) -> str:
        return check_inside_path(value)


def check_inside_path(value: str) -> str:
    """``value`` if it is a relative path that stays inside the working folder.

    Both POSIX and Windows readings are checked, so a file written on one system is refused
    on the other too: no root, no drive, no ``..`` component, no leading ``~``.
    """
    for path in (PurePosixPath(value), PureWindowsPath(value)):
        if path.anchor or ".." in path.parts or value.startswith("~"):
            raise ValueError(
                f"{short(value)} leaves the working folder (a relative folder inside it, e.g. runs)"
            )
    return value


class Scenario(Section):
    """A complete what-if: region, horizon, seed and every model parameter."""

    name: PlainText = Field(min_length=1)
    description: str = Field("", max_length=10_000)
    region: PlainText = Field(
        "zhejiang", min_length=1, description="embedded region name or path to region files"
    )
    road_graph: PlainText | None = Field(
        None,
        description="GraphML road network (e.g. saved by osmnx), relative to this file; "
        "replaces the region's straight-line road model",
    )
    start: date = Field(date(2025, 1, 1), description=f"first day, {FIRST_DATE} to {LAST_DATE}")
    days: Count = Field(365, gt=0, le=3660, description="simulated horizon, days (<= 10 years)")
    warmup_days: Count = Field(0, ge=0, le=3659, description="days excluded from the KPIs")
    # Any 63-bit seed: it is stored in int64 columns of the results.
    seed: Count = Field(20250101, ge=0, lt=2**63)
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
    sites: Sites = Sites()  # per-site overrides of the region (e.g. supplied_via)
    hosting: Hosting = Hosting()
    rare_blood: RareBlood = RareBlood()
    quality: Quality = Quality()
    events: list[Event] = Field(default_factory=list, max_length=1000)
    outputs: Outputs = Outputs()

    @field_validator("start")
    @classmethod
    def _calendar(cls, value: date) -> date:
        if not FIRST_DATE <= value <= LAST_DATE:
            raise ValueError(
                f"{value} is outside the supported years (a date from {FIRST_DATE} to {LAST_DATE})"
            )
        return value
