"""NAT labs: shift capacity counted in donations, results release or discard units."""

from __future__ import annotations

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.processes.lab import Lab, release

SMALL_LAB = """\
testing: {tests_per_shift: 2, instruments_per_lab: 1, shifts_per_day: 3, discard_rate: 0}
events:
  - {type: lab_outage, start: 2025-03-03T00:00, end: 2025-03-03T08:00, site_id: lab_a}
"""


def _testing_bags(world, donations: int, site: int, expires_at: float = 1e6) -> np.ndarray:
    """Two bags (red cells, plasma) per donation, in testing at ``site``."""
    ids = world.add_units(
        product=np.tile([Product.RBC, Product.FFP], donations),
        abo=0,
        rhd=1,
        size_u=1.0,
        donation_id=np.repeat(np.arange(donations), 2),
        collected_at=0.0,
        expires_at=expires_at,
        site=site,
        state=UnitState.IN_TESTING,
    )
    return ids


def test_a_shift_loads_whole_donations_up_to_its_capacity(tiny_world) -> None:
    world = tiny_world(extra=SMALL_LAB)
    lab = Lab(world, world.sites.position("lab_a"))
    ids = _testing_bags(world, 3, world.sites.position("bs_a"))
    lab.receive(ids)
    lab.receive(np.empty(0, np.int64))  # nothing to queue
    assert lab.per_shift == 2 and len(lab.queue) == 1
    first = lab._load_shift()
    assert sorted(world.ledger.donation_id[first].tolist()) == [0, 0, 1, 1]
    assert world.ledger.donation_id[lab.queue[0]].tolist() == [2, 2]  # the rest waits first


def test_no_shift_runs_during_an_outage_and_results_release_units(tiny_world) -> None:
    world = tiny_world(extra=SMALL_LAB)
    lab = Lab(world, world.sites.position("lab_a"))
    station = world.sites.position("bs_a")
    ids = _testing_bags(world, 1, station)
    lab.receive(ids)
    world.env.process(lab.run())
    turnaround = world.scenario.testing.turnaround_h * 60.0
    world.env.run(until=MINUTES_PER_DAY)
    assert world.logs.counters["lab_shifts_lost"] == 1  # the first 8-h shift
    assert (world.ledger.state[ids] == UnitState.AVAILABLE).all()
    assert world.ledger.released_at[ids].tolist() == [480.0 + turnaround] * 2
    assert set(ids.tolist()) <= set(world.stock[station].ids().tolist())


def test_release_discards_reactive_donations_and_expires_outdated_units(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    reactive = _testing_bags(world, 1, station)
    outdated = _testing_bags(world, 1, station, expires_at=0.0)
    good = _testing_bags(world, 1, station)
    ids = np.concatenate([reactive, outdated, good])
    release(world, ids, np.array([True, True, False, False, False, False]))
    state = world.ledger.state
    assert (state[reactive] == UnitState.DISCARDED).all()
    assert (state[outdated] == UnitState.EXPIRED).all()
    assert (state[good] == UnitState.AVAILABLE).all()
    assert world.logs.counters["screening_discard_u"] == 2.0
