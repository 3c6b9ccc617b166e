"""Centralized NAT labs: samples queue for shifts of limited capacity; results release units."""

from __future__ import annotations

from collections import deque
from collections.abc import Generator

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.core.scheduling import start_callback
from sim.processes.blood_station import Station
from sim.state.outages import in_windows, outage_windows
from sim.state.world import World


class Lab:
    """One regional lab: a FIFO of sample batches, tested shift by shift.

    Capacity is counted in donations (one sample tube per donation).
    """

    def __init__(self, world: World, site: int) -> None:
        testing = world.scenario.testing
        self.world, self.site = world, site
        self.rng = world.streams.get("lab", site)
        self.queue: deque[np.ndarray] = deque()
        self.per_shift = testing.tests_per_shift * testing.instruments_per_lab
        self.shift_min = MINUTES_PER_DAY / testing.shifts_per_day
        self.outages = outage_windows(
            world.scenario, world.calendar, world.site_id(site), "lab_outage"
        )

    def receive(self, ids: np.ndarray) -> None:
        """Samples of the units ``ids`` arrive at the lab."""
        if len(ids):
            self.queue.append(ids)

    def run(self) -> Generator[simpy.Event, object, None]:
        """SimPy process: at each shift start, load up to the shift's capacity."""
        env, turnaround = self.world.env, self.world.scenario.testing.turnaround_h * 60.0
        while env.now < self.world.horizon_min:
            if in_windows(env.now, self.outages):
                self.world.logs.count("lab_shifts_lost")
                yield env.timeout(self.shift_min)
                continue
            batch = self._load_shift()
            if len(batch):
                start_callback(env, lambda _, ids=batch: self._results(ids, turnaround))
            yield env.timeout(self.shift_min)

    def _load_shift(self) -> np.ndarray:
        taken, room = [], self.per_shift
        while self.queue and room > 0:
            ids = self.queue.popleft()
            donations = np.unique(self.world.ledger.donation_id[ids])
            if len(donations) > room:
                cut = self.world.ledger.donation_id[ids] <= donations[room - 1]  # lowest ``room``
                self.queue.appendleft(ids[~cut])
                ids = ids[cut]
            room -= min(room, len(donations))
            taken.append(ids)
        return np.concatenate(taken) if taken else np.empty(0, np.int64)

    def _results(self, ids: np.ndarray, turnaround: float) -> None:
        """Results of ``ids`` after the turnaround (event callbacks, as :meth:`Station._separate
        <sim.processes.blood_station.Station._separate>`)."""
        arrive = self.world.env.timeout(turnaround)
        arrive.callbacks.append(lambda _: release(self.world, ids, self._reactive(ids)))

    def _reactive(self, ids: np.ndarray) -> np.ndarray:
        """Per unit: its donation screened reactive (all components of it are discarded)."""
        donation = self.world.ledger.donation_id[ids]
        unique, inverse = np.unique(donation, return_inverse=True)
        reactive = self.rng.random(len(unique)) < self.world.scenario.testing.discard_rate
        return reactive[inverse]


def release(world: World, ids: np.ndarray, reactive: np.ndarray) -> None:
    """Apply lab results: discard reactive donations, release the rest into station stock."""
    ledger, now = world.ledger, world.now
    alive = ledger.state[ids] == UnitState.IN_TESTING
    leave_testing(world, ids[alive])
    ids, reactive = ids[alive], reactive[alive]
    if reactive.any():
        ledger.dispose(ids[reactive], UnitState.DISCARDED, now)
        world.logs.count("screening_discard_u", float(ledger.size_u[ids[reactive]].sum()))
    good = ids[~reactive]
    outdated = ledger.expires_at[good] <= now
    if outdated.any():
        ledger.dispose(good[outdated], UnitState.EXPIRED, ledger.expires_at[good[outdated]])
    good = good[~outdated]
    ledger.release(good, now)
    for site in np.unique(ledger.site[good]):
        world.stock[int(site)].add(good[ledger.site[good] == site])


def sample_runs(world: World, station: Station, lab: Lab, hours: tuple[float, ...]) -> Generator:
    """SimPy process: samples leave the station for its lab at the dispatch ``hours`` of
    each day (0-24, from the sample transport policy)."""
    env = world.env
    for day in range(world.scenario.days):
        for hour in hours:
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + hour * 60.0 - env.now))
            ids = station.take_samples()
            if len(ids):
                env.process(_carry(world, station, lab, ids))


def _carry(world: World, station: Station, lab: Lab, ids: np.ndarray) -> Generator:
    n = len(np.unique(world.ledger.donation_id[ids]))
    empty = np.empty(0, np.int64)
    yield from world.vans.trip(
        station.site, station.site, lab.site, empty, "samples", samples=n, fleet="courier"
    )
    lab.receive(ids)


def leave_testing(world: World, ids: np.ndarray) -> None:
    """Platelets leaving testing (results in, or expired while waiting) no longer count as
    "in testing" at their station."""
    ledger = world.ledger
    plt = ids[ledger.product[ids] == Product.PLT]
    if len(plt):
        np.subtract.at(
            world.plt_testing, (ledger.site[plt], ledger.abo[plt] * 2 + ledger.rhd[plt]), 1
        )
