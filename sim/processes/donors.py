"""Donors at donation houses: arrivals, registration and screening, the donation bed.

Staff and beds are SimPy resources, so waiting times come out of the queue itself; the
walk-in and hour-slot appointment modes differ only in when donors arrive.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import cached_property

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY, Product
from sim.processes.collection_control import Recruitment
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
        Expected arriving donors per day of the run (before collection control).
    recruitment : Recruitment, optional
        The stations' collection control; its factor for the house's station scales each
        day's arrivals.
    """

    def __init__(
        self,
        world: World,
        site: int,
        mean_donors: np.ndarray,
        recruitment: Recruitment | None = None,
    ) -> None:
        queue = world.scenario.supply.queue
        self.world, self.site, self.mean_donors = world, site, mean_donors
        self.recruitment = recruitment
        self.station = int(world.sites.station_of[site])
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
            n = int(self.rng.poisson(self.mean_donors[day] * self._control(day)))
            if n and self.direct:
                self._serve_day(self._draws(day, n))
            elif n:
                yield from self._arrivals(self._draws(day, n))
            yield env.timeout(max(0.0, (day + 1) * MINUTES_PER_DAY - env.now))

    def _control(self, day: int) -> float:
        return self.recruitment.factor(self.station, day) if self.recruitment else 1.0

    def take_buffer(self, until: float = np.inf) -> list[tuple[float, float, int, int]]:
        """Hand over (and remove) the donations finished by minute ``until``."""
        ready = [d for d in self.buffer if d[0] <= until]
        self.buffer = [d for d in self.buffer if d[0] > until]
        return ready

    def _serve_day(self, draws: dict[str, np.ndarray]) -> None:
        """Direct engine: the whole day's queue at once (same rules as the SimPy engine)."""
        wait, done = self._queue(draws, draws["arrive"])
        self.world.logs.donor_waits.extend(wait.tolist())
        self._log_paired(draws, wait)
        self._log_visits(draws, done)
        donors = np.flatnonzero(~draws["deferred"])
        order = donors[np.argsort(done[donors], kind="stable")]  # by the minute they finish
        codes = self.world.groups.codes
        self.buffer.extend(
            (finished, size, *codes[group])
            for finished, size, group in zip(
                done[order].tolist(),
                draws["size"][order].tolist(),
                draws["group"][order].tolist(),
                strict=True,
            )
        )

    def _queue(self, draws: dict[str, np.ndarray], arrive: np.ndarray) -> tuple:
        """Waits and leaving times (min) of ``draws`` arriving at ``arrive`` (sorted)."""
        return serve_donors(
            arrive,
            draws["screen"],
            draws["donate"],
            draws["deferred"],
            self.staff.capacity,
            self.bed_count,
        )

    def _log_paired(self, draws: dict[str, np.ndarray], wait: np.ndarray) -> None:
        """The same donors' waits had they come the other way (walk-in vs appointment).

        Counters ``donor_wait_paired_{walk_in,appointment}_min`` (sums, min) and
        ``donors_paired`` give the appointment effect on the same drawn donors.
        """
        order = np.argsort(draws["other_arrive"], kind="stable")
        other = {k: v[order] for k, v in draws.items()}
        other_wait, _ = self._queue(other, other["other_arrive"])
        walk_in = self.world.scenario.supply.queue.mode == "walk_in"
        logs = self.world.logs
        logs.count("donor_wait_paired_walk_in_min", float((wait if walk_in else other_wait).sum()))
        logs.count(
            "donor_wait_paired_appointment_min", float((other_wait if walk_in else wait).sum())
        )
        logs.count("donors_paired", float(len(wait)))

    def _log_visits(self, draws: dict[str, np.ndarray], done: np.ndarray) -> None:
        """Counter ``donor_visit_min``: arrival to leaving, rest included (sum, min)."""
        rest = self.world.scenario.supply.queue.rest_min * (~draws["deferred"])
        self.world.logs.count("donor_visit_min", float((done - draws["arrive"] + rest).sum()))

    def _arrivals(self, draws: dict[str, np.ndarray]) -> Generator[simpy.Event, object, None]:
        env = self.world.env
        for i, at in enumerate(draws["arrive"]):
            yield env.timeout(max(0.0, at - env.now))
            env.process(self._donor(*(draws[k][i] for k in _DONOR_FIELDS)))

    def _draws(self, day: int, n: int) -> dict[str, np.ndarray]:
        """One day's donors, sorted by arrival: times (min), visit steps (min), outcomes.

        ``other_arrive`` is when the same donor would have come under the other queue mode.
        """
        supply, rng, queue = self.world.scenario.supply, self.rng, self.world.scenario.supply.queue
        walk_in, booked = self._arrival_minutes(n)
        draws = {
            "screen": rng.exponential(queue.registration_min, n)
            + rng.exponential(queue.screening_min, n),
            "donate": rng.gamma(4.0, queue.donation_min / 4.0, n),
            "deferred": rng.random(n) < supply.deferral_share,
            "size": SIZES_ML[chosen(rng, self._cdfs["size"], n)] / 200.0,
            "group": chosen(rng, self._cdfs["group"], n),
        }
        arrive, other = (walk_in, booked) if queue.mode == "walk_in" else (booked, walk_in)
        start = day * MINUTES_PER_DAY
        draws["arrive"], draws["other_arrive"] = start + arrive, start + other
        order = np.argsort(arrive, kind="stable")
        return {k: v[order] for k, v in draws.items()}

    def _arrival_minutes(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Minutes of the day each donor would arrive walking in, and with a booked slot.

        Both come from the same wanted hour; a booked donor takes that hour or the next one
        with space and arrives evenly spaced inside it.
        """
        rng, profile = self.rng, self._profile
        hours = chosen(rng, self._cdfs["hour"], n)
        walk_in = hours * 60.0 + rng.random(n) * 60.0
        slots = _book_slots(hours, self._slot_capacity, profile)
        return walk_in, slots * 60.0 + _spread_in_slots(slots) * 60.0

    @cached_property
    def _size_shares(self) -> list[float]:
        """Shares of the donation sizes :data:`SIZES_ML` (the scenario's mix; constant)."""
        mix = self.world.scenario.supply.donation_size_mix
        return [mix.get(int(s), 0.0) for s in SIZES_ML]

    @cached_property
    def _cdfs(self) -> dict[str, np.ndarray]:
        """Cumulative shares (:func:`cdf`) of the wanted hour, the donation size and the
        blood group (constant)."""
        shares = {"hour": self._profile, "size": self._size_shares}
        return {k: cdf(v) for k, v in {**shares, "group": self.world.groups.shares}.items()}

    @cached_property
    def _profile(self) -> np.ndarray:
        """Share of a day's donors wanting each hour, open hours only (constant)."""
        supply = self.world.scenario.supply
        return _open_profile(supply.hourly_profile, supply.opening_hours)

    @cached_property
    def _slot_capacity(self) -> int:
        """Bookable donors per slot: the slower of registration and beds, times the share."""
        queue = self.world.scenario.supply.queue
        staff_rate = queue.staff / (queue.registration_min + queue.screening_min)
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


def red_cells_per_donor(world: World) -> float:
    """Red cells (U) that reach the shelf per arriving donor, on average.

    Deferral, the mean donation size (1 U = 200 mL), the screening discard rate
    (``testing.discard_rate``) and red-cell faults at separation
    (``processing.component_discard_rate``) all come from the scenario.
    """
    scenario = world.scenario
    supply = scenario.supply
    size_u = sum(share * ml / 200.0 for ml, share in supply.donation_size_mix.items())
    kept = (1.0 - scenario.testing.discard_rate) * (
        1.0 - scenario.processing.component_discard_rate.get("RBC", 0.0)
    )
    return (1.0 - supply.deferral_share) * size_u * kept


def station_donors(world: World) -> dict[int, float]:
    """Arriving donors a normal day at each station's houses, so red cells match use.

    The mean red-cell demand a station serves (``World.served_mean`` x the mean demand
    weekday factor, U/day) divided by :func:`red_cells_per_donor`; seasonal windows,
    campaigns and collection control scale it day by day.
    """
    weekday = float(np.mean(world.scenario.demand.weekday_factors))
    per_donor = red_cells_per_donor(world)
    return {s: m[Product.RBC] * weekday / per_donor for s, m in world.served_mean.items()}


def house_donors(world: World, houses: np.ndarray) -> np.ndarray:
    """Mean arriving donors a normal day per house (before weekday and season factors).

    ``donor_base: demand``: each station's donors (:func:`station_donors`) split
    among its houses by beds, so all houses of a station run at the same bed load.
    ``fixed``: ``donors_per_house_per_day`` weighted by beds over all houses.
    """
    supply = world.scenario.supply
    beds = world.sites.beds[houses].astype(float)
    if supply.donor_base == "fixed":
        weights = beds / beds.mean() if beds.mean() > 0 else np.ones(len(houses))
        return supply.donors_per_house_per_day * weights
    station = world.sites.station_of[houses]
    bed_share = np.maximum(beds, 1.0)  # a house without a bed count still takes donors
    per_station = np.bincount(station, bed_share, minlength=len(world.sites))
    donors = station_donors(world)
    return np.array([donors[int(s)] for s in station]) * bed_share / per_station[station]


_DONOR_FIELDS = ("arrive", "screen", "donate", "deferred", "size", "group")


def _open_profile(profile: tuple[float, ...], opening: tuple[int, int]) -> np.ndarray:
    weights = np.zeros(24)
    weights[opening[0] : opening[1]] = np.asarray(profile)[opening[0] : opening[1]]
    return weights / weights.sum()


def cdf(shares: object) -> np.ndarray:
    """Cumulative shares for :func:`chosen`, as ``Generator.choice`` forms them from its
    ``p``, once; shares ``choice`` refuses raise its ``ValueError`` here."""
    p = np.asarray(shares, dtype=np.float64)
    np.random.default_rng(0).choice(len(p), 0, p=p)  # choice's checks of p (no draws kept)
    out = p.cumsum()
    out /= out[-1]
    return out


def chosen(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    """``rng.choice(len(p), n, p=p)`` given ``cdf(p)``: the same ``n`` uniform draws and the
    same indices (int64), without checking and summing ``p`` again on every call."""
    return cdf.searchsorted(rng.random(n), side="right")


def _book_slots(hours: np.ndarray, capacity: int, profile: np.ndarray) -> np.ndarray:
    """Hour-slot booking: a donor takes the wanted hour or the next one with space.

    Donors who find no slot left that day keep their wanted hour (they walk in).
    """
    open_hours = np.flatnonzero(profile > 0).tolist()
    booked = dict.fromkeys(open_hours, 0)
    out = hours.copy()
    for i, wanted in enumerate(hours.tolist()):
        for h in open_hours:
            if h >= wanted and booked[h] < capacity:
                booked[h] += 1
                out[i] = h
                break
    return out


def _spread_in_slots(hours: np.ndarray) -> np.ndarray:
    """Even spacing of the booked donors inside each hour slot (fraction of the hour)."""
    order = np.argsort(hours, kind="stable")  # each hour's donors in input order
    sorted_hours = hours[order]
    first = np.searchsorted(sorted_hours, sorted_hours, side="left")
    count = np.searchsorted(sorted_hours, sorted_hours, side="right") - first
    offsets = np.zeros(len(hours))
    offsets[order] = (np.arange(len(hours)) - first) / count
    return offsets
