"""Pickups run from event callbacks equal the pickup processes they replaced (issue 12).

A pickup (``blood_station._collect``) used to be a SimPy process nothing waited for: van
request, positioning drive, collection, loaded drive, the van's return and the station's
processing. It now runs from the callbacks of the same events, so a run gives the same
ledger, legs, orders and counters with one event fewer per pickup (the process's end).
The reference below is that process, kept here as it was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim.build as build
from sim import run
from sim.core.domain import MINUTES_PER_DAY, UnitState
from sim.processes.blood_station import Station, leave_times, make_components
from sim.scenario.loader import load_scenario
from tests.sim.conftest import TINY_SCENARIO, merged_yaml

# a pickup before the houses open (nothing to collect: the van drives back empty) and a
# station that separates few donations a day (the rest waits for the next day)
_EXTRA = """
supply: {pickup_hours: [6.0, 12.0, 19.5]}
processing: {capacity_donations_per_day: 10}
"""


def _collect_as_process(world, house, station):
    """The reference: the pickup process as it was."""
    vans = world.vans
    request = yield from vans.acquire(station.site, "collection")
    yield from vans.drive(station.site, house.site, np.empty(0, np.int64), "positioning")
    donations = house.take_buffer(world.now)
    if not donations:
        yield from vans.drive_back(request, house.site, station.site, "collection")
        return
    ids = make_components(world, donations, house.site, house.rng)
    yield from vans.carry(house.site, station.site, ids, "collection", samples=len(donations))
    vans.send_back(request, station.site, station.site)
    world.ledger.move(ids, UnitState.COLLECTED, site=station.site)
    yield from _process(station, ids)


def _process(station, ids):
    """The station's former process body (the reference for ``take_in``)."""
    while len(ids):
        ids = station._separate_today(ids)
        if len(ids):
            yield station.world.env.timeout(station._until_tomorrow())


def _pickups_as_processes(world, house, station):
    env = world.env
    for leave in leave_times(world, house, station):
        yield env.timeout(max(0.0, leave - env.now))
        env.process(_collect_as_process(world, house, station))


@pytest.fixture
def loaded(tiny_dir):
    text = merged_yaml(TINY_SCENARIO.format(days=4, seed=5), _EXTRA)
    path = tiny_dir / "pickups_by_callbacks.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_pickups_from_callbacks_give_the_run_the_processes_gave(loaded, monkeypatch) -> None:
    fast = run(loaded)
    with monkeypatch.context() as patch:
        patch.setattr(build, "pickups", _pickups_as_processes)
        slow = run(loaded)
    for name in ("ledger", "legs", "orders"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name))
    kpis = [{k: v for k, v in r.kpis.items() if k != "simulation"} for r in (fast, slow)]
    assert kpis[0] == kpis[1]
    legs = fast.legs[fast.legs["purpose"].isin(["positioning", "collection", "return"])]
    empty = legs[(legs["purpose"] == "return") & legs["from_site"].astype(str).str.startswith("dh")]
    assert len(empty), "no pickup found nothing (the empty branch is not exercised)"
    assert fast.kpis["counters"]["processing_deferred_u"] > 0  # the next-day branch too
    pickups = int((legs["purpose"] == "positioning").sum())
    events = fast.kpis["simulation"]["simpy_events"], slow.kpis["simulation"]["simpy_events"]
    # one process end fewer per pickup (less the ends that would come after the horizon:
    # a batch left for the next day keeps its process open)
    assert events[1] - pickups <= events[0] < events[1]


def test_take_in_separates_as_the_process_does(tiny_world) -> None:
    def separated(start) -> list:
        world = tiny_world(extra="processing: {capacity_donations_per_day: 1}")
        station = Station(world, world.sites.position("bs_a"))
        batch = [(0.0, 1.0, 0, 1), (0.0, 1.5, 1, 1), (0.0, 1.0, 2, 0)]
        house = world.sites.position("dh_a")
        ids = make_components(world, batch, house, np.random.default_rng(1))
        start(world, station, ids)
        log = []
        while world.env.peek() < 3 * MINUTES_PER_DAY:
            world.env.step()
            log.append((world.now, station.take_samples().tolist()))
        states = world.ledger.state[ids].tolist()
        return [entry for entry in log if entry[1]], states, world.logs.counters

    fast = separated(lambda world, station, ids: station.take_in(ids))
    slow = separated(lambda world, station, ids: world.env.process(_process(station, ids)))
    assert fast == slow
    assert len(fast[0]) == 3  # one donation a day
