"""Hospital blood banks: demand issued from stock, shortfalls ordered or deferred."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import Priority, Product, UnitState
from sim.processes.hospital import Hospital, demand_factor

SEASON = """\
demand:
  per_100_beds:
    tertiary: {RBC: 2.0, PLT: 0.3, FFP: 1.2, CRYO: 0.2}
    county: {RBC: 1.0, PLT: 0.1, FFP: 0.8, CRYO: 0.1}
  weekday_factors: [1, 1, 1, 1, 1, 0.5, 0.5]
  seasons: [{name: test day, start: 03-04, end: 03-04, factor: 2.0}]
"""


def _stock(world, site: int, n: int, group: tuple[int, int] = (0, 1)) -> np.ndarray:
    ids = world.add_units(
        product=Product.RBC, abo=group[0], rhd=group[1], size_u=1.0, donation_id=np.arange(n),
        collected_at=0.0, expires_at=1e6, site=site, state=UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, 0.0)
    world.stock[site].add(ids)
    return ids


def _o_pos(world) -> np.ndarray:
    by_group = np.zeros(len(world.groups.codes))
    by_group[world.groups.codes.index((0, 1))] = 2.0
    return by_group


def test_demand_factor_is_weekday_times_season(tiny_world) -> None:
    world = tiny_world(days=6, extra=SEASON)  # Monday 3 March 2025 .. Sunday
    assert demand_factor(world).tolist() == [1.0, 2.0, 1.0, 1.0, 1.0, 0.5, 0.5]


def test_injected_demand_is_transfused_from_stock(tiny_world) -> None:
    world = tiny_world()
    site = world.sites.position("h_a")
    world.hospitals[site] = hospital = Hospital(world, site)
    ids = _stock(world, site, 3)
    hospital.inject(Product.RBC, _o_pos(world), Priority.EMERGENCY)
    transfused = world.ledger.state[ids] == UnitState.TRANSFUSED
    assert transfused.sum() == 2
    assert world.demand_u[0, Product.RBC] == 2.0 and world.met_u[0, Product.RBC] == 2.0
    assert len(world.logs.stockouts) == 0


def test_an_emergency_shortfall_is_logged_and_ordered(tiny_world) -> None:
    world = tiny_world()
    site = world.sites.position("h_a")
    world.hospitals[site] = hospital = Hospital(world, site)
    _stock(world, site, 1)
    hospital.inject(Product.RBC, _o_pos(world), Priority.EMERGENCY)
    stockouts = world.logs.stockouts.frame()
    assert stockouts[["priority", "needed_u", "short_u", "outcome"]].values.tolist() == [
        ["emergency", 2.0, 1.0, "ordered"]
    ]
    world.env.run(until=1.0)  # the urgent order process places its order
    orders = world.logs.orders.frame()
    assert orders[["hospital_id", "priority", "quantity_u"]].values.tolist() == [
        ["h_a", "emergency", pytest.approx(1.0)]
    ]


def test_routine_shortfall_waits_then_is_dropped_after_its_due_time(tiny_world) -> None:
    world = tiny_world()
    site = world.sites.position("h_a")
    hospital = Hospital(world, site)
    routine = np.zeros(len(world.groups.codes))
    routine[world.groups.codes.index((0, 1))] = 2.0
    hospital.inject(Product.RBC, routine, Priority.ROUTINE)
    group = world.groups.codes.index((0, 1))
    assert hospital.backorders[Product.RBC, group] == 2.0
    assert world.backorders[site, Product.RBC, group] == 2.0  # what replenishment reads
    due = world.scenario.demand.required_by_min["routine"]
    world.env.run(until=due)
    hospital.inject(Product.RBC, np.zeros(len(world.groups.codes)), Priority.ROUTINE)
    rows = world.logs.stockouts.frame()  # one row per unit short: deferred, then not met
    assert rows[["outcome", "short_u", "not_met_u", "waited_u"]].values.tolist() == [
        ["deferred", 2.0, 2.0, 0.0]
    ]
    assert rows["resolved_at"].tolist() == [due]
    assert hospital.backorders[Product.RBC, group] == 0.0
