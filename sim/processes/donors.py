"""Donors at donation houses: arrivals, registration and screening, the donation bed.

Staff and beds are SimPy resources, so waiting times come out of the queue itself; the
walk-in and hour-slot appointment modes differ only in when donors arrive.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY
from sim.processes.donor_queue import serve_donors
from sim.state.world import World

SIZES_ML = np.array([200, 300, 400])


class DonationHouse:
    """One donation house: donor arrivals each day and a buffer of finished donations.

    Parameters
    ----------
    world : World
    site : int
        Site position of the house.
    mean_donors : ndarray
        Expected arriving donors per day of the run.
    """

    def __init__(self, world: World, site: int, mean_donors: np.ndarray) -> None:
        queue = world.scenario.supply.queue
        self.world, self.site, self.mean_donors = world, site, mean_donors
        self.rng = world.streams.get("donors", site)
        self.staff = simpy.Resource(world.env, capacity=queue.staff)
        self.bed_count = max(1, int(world.sites.beds[site]) or 1)
        self.beds = simpy.Resource(world.env, capacity=self.bed_count)
        self.buffer: list[tuple[float, float, int, int]] = []  # time, size U, abo, rhd
        self.direct = queue.engine == "direct"

    def run(self) -> Generator[simpy.Event, object, None]:
        """SimPy process: every day, let that day's donors arrive."""
        env = self.world.env
        for day in range(self.world.scenario.days):
            n = int(self.rng.poisson(self.mean_donors[day]))
            if n and self.direct:
                self._serve_day(self._draws(day, n))
            elif n:
                yield from self._arrivals(self._draws(day, n))
            yield env.timeout(max(0.0, (day + 1) * MINUTES_PER_DAY - env.now))

    def take_buffer(self, until: float = np.inf) -> list[tuple[float, float, int, int]]:
        """Hand over (and remove) the donations finished by minute ``until``."""
        ready = [d for d in self.buffer if d[0] <= until]
        self.buffer = [d for d in self.buffer if d[0] > until]
        return ready

    def _serve_day(self, draws: dict[str, np.ndarray]) -> None:
        """Direct engine: the whole day's queue at once (same rules as the SimPy engine)."""
        wait, done = serve_donors(
            draws["arrive"],
            draws["screen"],
            draws["donate"],
            draws["deferred"],
            self.staff.capacity,
            self.bed_count,
        )
        self.world.logs.donor_waits.extend(wait.tolist())
        donors = np.flatnonzero(~draws["deferred"])
        codes = self.world.groups.codes
        self.buffer.extend(
            (float(done[i]), float(draws["size"][i]), *codes[draws["group"][i]])
            for i in donors[np.argsort(done[donors], kind="stable")]
        )

    def _arrivals(self, draws: dict[str, np.ndarray]) -> Generator[simpy.Event, object, None]:
        env = self.world.env
        for i, at in enumerate(draws["arrive"]):
            yield env.timeout(max(0.0, at - env.now))
            env.process(self._donor(*(draws[k][i] for k in _DONOR_FIELDS)))

    def _draws(self, day: int, n: int) -> dict[str, np.ndarray]:
        supply, rng = self.world.scenario.supply, self.rng
        groups = self.world.groups
        mix = supply.donation_size_mix
        return {
            "arrive": day * MINUTES_PER_DAY + self._arrival_minutes(n),
            "screen": rng.exponential(supply.queue.screening_min, n),
            "donate": rng.gamma(4.0, supply.queue.donation_min / 4.0, n),
            "deferred": rng.random(n) < supply.deferral_share,
            "size": rng.choice(SIZES_ML, n, p=[mix.get(int(s), 0.0) for s in SIZES_ML]) / 200.0,
            "group": rng.choice(len(groups.shares), n, p=groups.shares),
        }

    def _arrival_minutes(self, n: int) -> np.ndarray:
        supply, rng = self.world.scenario.supply, self.rng
        profile = _open_profile(supply.hourly_profile, supply.opening_hours)
        hours = rng.choice(24, n, p=profile)
        if supply.queue.mode == "appointment":
            hours = _book_slots(hours, self._slot_capacity(), profile)
            offsets = _spread_in_slots(hours) * 60.0
        else:
            offsets = rng.random(n) * 60.0
        return np.sort(hours * 60.0 + offsets)

    def _slot_capacity(self) -> int:
        """Bookable donors per slot: the slower of registration and beds, times the share."""
        queue = self.world.scenario.supply.queue
        staff_rate = queue.staff / queue.screening_min
        bed_rate = self.bed_count / queue.donation_min
        per_slot = min(staff_rate, bed_rate) * queue.slot_min * queue.slot_capacity_share
        return max(1, int(per_slot))

    def _donor(
        self,
        arrive: float,
        screen: float,
        donate: float,
        deferred: bool,
        size: float,
        group: int,
    ) -> Generator[simpy.Event, object, None]:
        env = self.world.env
        with self.staff.request() as turn:
            yield turn
            waited = env.now - arrive
            yield env.timeout(screen)
        if not deferred:
            queued = env.now
            with self.beds.request() as bed:
                yield bed
                waited += env.now - queued
                yield env.timeout(donate)
            abo, rhd = self.world.groups.codes[group]
            self.buffer.append((env.now, float(size), abo, rhd))
        self.world.logs.donor_waits.append(waited)


_DONOR_FIELDS = ("arrive", "screen", "donate", "deferred", "size", "group")


def _open_profile(profile: tuple[float, ...], opening: tuple[int, int]) -> np.ndarray:
    weights = np.zeros(24)
    weights[opening[0] : opening[1]] = np.asarray(profile)[opening[0] : opening[1]]
    return weights / weights.sum()


def _book_slots(hours: np.ndarray, capacity: int, profile: np.ndarray) -> np.ndarray:
    """Hour-slot booking: a donor takes the wanted hour or the next one with space.

    Donors who find no slot left that day keep their wanted hour (they walk in).
    """
    open_hours = np.flatnonzero(profile > 0)
    booked = {int(h): 0 for h in open_hours}
    out = hours.copy()
    for i, wanted in enumerate(hours):
        for h in open_hours[open_hours >= wanted]:
            if booked[int(h)] < capacity:
                booked[int(h)] += 1
                out[i] = h
                break
    return out


def _spread_in_slots(hours: np.ndarray) -> np.ndarray:
    """Even spacing of the booked donors inside each hour slot (fraction of the hour)."""
    offsets = np.zeros(len(hours))
    for h in np.unique(hours):
        idx = np.flatnonzero(hours == h)
        offsets[idx] = np.arange(len(idx)) / len(idx)
    return offsets
