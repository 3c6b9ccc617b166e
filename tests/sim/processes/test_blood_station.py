"""Blood station processing: components of a donation, daily capacity, the plasma window."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.processes.blood_station import Station, make_components

NO_FAULTS = """\
processing:
  capacity_donations_per_day: {capacity}
  component_discard_rate: {{RBC: 0, FFP: 0, CRYO: 0, PLT: 0}}
"""


def _world(tiny_world, capacity: int = 1000):
    return tiny_world(extra=NO_FAULTS.format(capacity=capacity))


def test_a_donation_gives_red_cells_and_one_plasma_component(tiny_world) -> None:
    world = _world(tiny_world)
    house = world.sites.position("dh_a")
    donations = [(30.0, 2.0, 0, 1), (45.0, 1.0, 3, 0)]  # minute, size U, abo, rhd
    ids = make_components(world, donations, house, np.random.default_rng(1))
    ledger = world.ledger
    assert len(ids) == 4
    assert ledger.product[ids[:2]].tolist() == [Product.RBC, Product.RBC]
    assert set(ledger.product[ids[2:]].tolist()) <= {Product.FFP, Product.CRYO}
    assert ledger.donation_id[ids].tolist() == [0, 1, 0, 1]
    assert ledger.size_u[ids].tolist() == [2.0, 1.0, 2.0, 1.0]
    assert ledger.abo[ids].tolist() == [0, 3, 0, 3]
    shelf = world.shelf_min[Product(int(ledger.product[ids[2]]))]
    assert ledger.expires_at[ids[2]] == pytest.approx(30.0 + shelf)
    assert (ledger.state[ids] == UnitState.COLLECTED).all() and world.next_donation_id == 2


def test_donations_beyond_the_daily_capacity_wait_for_the_next_day(tiny_world) -> None:
    world = _world(tiny_world, capacity=1)
    station = Station(world, world.sites.position("bs_a"))
    now = [(0.0, 1.0, 0, 1), (0.0, 1.0, 1, 1)]
    ids = make_components(world, now, world.sites.position("dh_a"), np.random.default_rng(1))
    station.take_in(ids)
    delay = world.scenario.processing.delay_h * 60.0
    world.env.run(until=delay + 1.0)
    first = np.concatenate(station.pending_samples)
    assert sorted(world.ledger.donation_id[first].tolist()) == [0, 0]
    assert world.logs.counters["processing_deferred_u"] == 2.0
    world.env.run(until=MINUTES_PER_DAY + delay + 1.0)
    samples = station.take_samples()
    assert station.take_samples().size == 0  # handed over once
    # The next day's separation is past the plasma window: only the red cells are kept.
    rbc_1, plasma_1 = ids[1], ids[3]
    assert sorted(samples.tolist()) == sorted([*first.tolist(), rbc_1])
    assert world.ledger.state[plasma_1] == UnitState.DISCARDED
    assert world.ledger.state[rbc_1] == UnitState.IN_TESTING


def test_plasma_past_the_separation_window_is_discarded(tiny_world) -> None:
    world = _world(tiny_world)
    station = Station(world, world.sites.position("bs_a"))
    window = world.scenario.processing.window_h * 60.0
    late = [(-window, 1.0, 0, 1)]  # collected a whole window before the station gets it
    ids = make_components(world, late, world.sites.position("dh_a"), np.random.default_rng(1))
    station.take_in(ids)
    world.env.run()
    rbc, plasma = ids
    assert world.ledger.state[plasma] == UnitState.DISCARDED
    assert world.ledger.state[rbc] == UnitState.IN_TESTING
    assert world.logs.counters["plasma_past_window_u"] == 1.0
