"""Crossmatch reservations in the tiny world: red cells held for patients leave the shelf,
come back after the reservation period, and expire there if their date passed."""

from __future__ import annotations

import numpy as np
import pytest

from sim.build import make_world, populate
from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.execution.runner import run
from sim.processes.crossmatch import CrossmatchHolds, Reservation, start_crossmatch_holds
from sim.scenario.loader import load_scenario
from sim.state.world import World

CROSSMATCH = """\
inventory:
  crossmatch: {{ct_ratio: {ct}, hold_h: {hold}}}
"""


@pytest.fixture
def world_of(tiny_scenario):
    def make(ct: float = 2.0, hold: float = 48.0, days: int = 4) -> World:
        path = tiny_scenario(days=days, extra=CROSSMATCH.format(ct=ct, hold=hold))
        loaded = load_scenario(path)
        world = make_world(loaded.scenario, loaded.region, loaded.scenario.seed)
        populate(world)
        return world

    return make


def _held_at_hospitals(world: World) -> np.ndarray:
    ledger = world.ledger
    hospitals = np.isin(ledger.site, world.sites.of_kind("hospital"))
    return np.flatnonzero(
        (ledger.state == UnitState.RESERVED) & hospitals & (ledger.product == Product.RBC)
    )


def _two_held(world: World, release_at: float, first_expires: float):
    """Two red cells of the first hospital's best-stocked group held until ``release_at``,
    the first expiring at ``first_expires`` (minutes); returns (holds, hospital, ids)."""
    holds = CrossmatchHolds(world, world.sites.of_kind("hospital"), np.ones(4))
    hospital = int(world.sites.of_kind("hospital")[0])
    stock, codes = world.stock[hospital], world.groups.codes
    group = int(np.argmax([len(stock.fresh(Product.RBC, *g, 0.0)) for g in codes]))
    ids = stock.take_fresh(Product.RBC, *codes[group], 0.0, np.arange(2))
    world.ledger.move(ids, UnitState.RESERVED)
    world.ledger.set_expiry(ids[:1], first_expires)
    holds.held.append(Reservation(release_at, hospital, (group,), (ids,)))
    return holds, hospital, ids


def test_crossmatched_units_are_held_then_returned(world_of) -> None:
    world = world_of(ct=2.0, hold=48.0)
    world.env.run(until=0.5 * MINUTES_PER_DAY)
    held = _held_at_hospitals(world)
    assert len(held)  # units crossmatched beyond use are off the shelf
    site = int(world.ledger.site[held[0]])
    assert held[0] not in world.stock[site].ids(Product.RBC)
    world.env.run(until=1.9 * MINUTES_PER_DAY)
    assert (world.ledger.state[held] == UnitState.RESERVED).all()  # still within 48 h
    world.env.run(until=2.6 * MINUTES_PER_DAY)
    back = held[world.ledger.state[held] == UnitState.AVAILABLE]
    assert len(back) and back[0] in world.stock[int(world.ledger.site[back[0]])].ids()
    world.ledger.check_conservation()


def test_no_units_are_held_at_a_ct_ratio_of_one(world_of) -> None:
    world = world_of(ct=1.0)
    world.env.run(until=1.5 * MINUTES_PER_DAY)
    assert not len(_held_at_hospitals(world))


def test_more_held_at_a_higher_ct_ratio(world_of) -> None:
    held = []
    for ct in (1.5, 3.0):
        world = world_of(ct=ct)
        world.env.run(until=1.1 * MINUTES_PER_DAY)
        held.append(world.ledger.size_u[_held_at_hospitals(world)].sum())
    assert 0 < held[0] < held[1]


def test_units_expired_while_held_are_disposed_at_their_expiry(world_of) -> None:
    world = world_of(ct=1.0)
    holds, hospital, ids = _two_held(world, release_at=200.0, first_expires=100.0)
    holds.release(200.0)
    assert world.ledger.state[ids[0]] == UnitState.EXPIRED
    assert world.ledger.disposed_at[ids[0]] == 100.0
    assert world.ledger.state[ids[1]] == UnitState.AVAILABLE
    assert ids[1] in world.stock[hospital].ids(Product.RBC)


def test_start_is_skipped_when_off(world_of) -> None:
    world = world_of(ct=1.0)
    before = len(world.env._queue)
    start_crossmatch_holds(world)
    assert len(world.env._queue) == before


def test_units_held_past_their_expiry_at_the_end_are_expired(world_of) -> None:
    """A reservation still running at the horizon: units whose date passed are counted as
    expired (at their expiry time), the others stay held."""
    world = world_of(ct=1.0)
    expiry = world.horizon_min - 60.0  # expires before the end, while held
    holds, _, ids = _two_held(world, release_at=world.horizon_min + 600.0, first_expires=expiry)
    holds.expire_at_end()
    assert world.ledger.state[ids[0]] == UnitState.EXPIRED
    assert world.ledger.disposed_at[ids[0]] == expiry
    assert world.ledger.state[ids[1]] == UnitState.RESERVED


def test_a_run_ends_with_no_expired_unit_held(tiny_scenario) -> None:
    """Week-long holds in a run long enough for opening stock to reach its date (red cells
    start 10-50 % into their 35 days)."""
    path = tiny_scenario(days=26, extra=CROSSMATCH.format(ct=3.0, hold=168))
    result = run(path)
    ledger, horizon = result.ledger, 26 * MINUTES_PER_DAY
    assert ((ledger.state == "expired") & (ledger.disposed_at > horizon - 7 * 1440)).any()
    held = ledger[ledger.state == "reserved"]
    assert not (held.expires_at <= horizon).any()
