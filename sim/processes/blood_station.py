"""From donation house to quarantine: pickups, component processing, apheresis platelets."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from weakref import WeakKeyDictionary

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.core.draws import uniforms
from sim.core.scheduling import start_callback
from sim.processes.donors import DonationHouse
from sim.processes.rare import draw_antigens
from sim.state.outages import is_down
from sim.state.world import World

_RBC, _FFP, _CRYO = int(Product.RBC), int(Product.FFP), int(Product.CRYO)  # enum lookups are slow
_PLASMA = (_FFP, _CRYO)


class Station:
    """The processing side of a blood station: components made, samples waiting for the lab."""

    def __init__(self, world: World, site: int) -> None:
        self.world, self.site = world, site
        self.rng = world.streams.get("processing", site)
        self.pending_samples: list[np.ndarray] = []
        self.separated: dict[int, int] = {}  # donations separated per day
        self.discard_rate = np.zeros(len(Product))  # share of bags lost at separation
        for name, share in world.scenario.processing.component_discard_rate.items():
            self.discard_rate[Product[name]] = share
        self._discard_rate = self.discard_rate.tolist()  # the same shares as Python floats

    def take_in(self, ids: np.ndarray) -> None:
        """Separate a delivered batch, then hold it in quarantine; run from event callbacks.

        A station separates at most ``capacity_donations_per_day`` donations a day; the rest
        of a batch waits for the next day's capacity (its plasma may pass the window).
        """
        ids = self._separate_today(ids) if len(ids) else ids
        if len(ids):
            self.world.env.timeout(self._until_tomorrow()).callbacks.append(
                lambda _: self.take_in(ids)
            )

    def _separate_today(self, ids: np.ndarray) -> np.ndarray:
        """Start separating the donations of ``ids`` today's capacity allows; returns the
        rest (counted as deferred)."""
        world = self.world
        now_ids, ids = self._within_capacity(ids)
        if len(now_ids):
            start_callback(world.env, lambda _: self._separate(now_ids))
        if len(ids):
            world.logs.count("processing_deferred_u", float(world.ledger.size_u[ids].sum()))
        return ids

    def _until_tomorrow(self) -> float:
        """Minutes from now to the next midnight."""
        now = self.world.now
        return (int(now // MINUTES_PER_DAY) + 1) * MINUTES_PER_DAY - now

    def _within_capacity(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Split ``ids`` into the donations that fit today's capacity and the rest."""
        world = self.world
        day = int(world.now // MINUTES_PER_DAY)
        donations = world.ledger.donation_id[ids]
        unique = sorted(set(donations.tolist()))  # ascending donation ids, as np.unique
        room = world.scenario.processing.capacity_donations_per_day - self.separated.get(day, 0)
        taken = min(len(unique), max(room, 0))  # the ``taken`` lowest donation ids fit
        self.separated[day] = self.separated.get(day, 0) + taken
        if taken == len(unique):
            return ids, ids[:0]
        fits = donations <= unique[taken - 1] if taken else np.zeros(len(ids), bool)
        return ids[fits], ids[~fits]

    def _separate(self, ids: np.ndarray) -> None:
        """Separate ``ids`` after the processing delay (event callbacks: nothing waits for
        it, so no process of its own; the same events in the same order, less its end)."""
        delay = self.world.env.timeout(self.world.scenario.processing.delay_h * 60.0)
        delay.callbacks.append(lambda _: self._separated(ids))

    def _separated(self, ids: np.ndarray) -> None:
        world = self.world
        if is_down(world.outages, self.site, world.now):  # wait for the station to reopen
            world.env.timeout(60.0).callbacks.append(lambda _: self._separated(ids))
            return
        world.ledger.move(ids, UnitState.IN_TESTING, site=self.site)
        keep = ids[~self._lost(ids)]
        self.pending_samples.append(keep)

    def _lost(self, ids: np.ndarray) -> np.ndarray:
        """Components discarded at separation: plasma past the window, processing faults.

        The flags are formed on Python numbers (the same comparisons and draws as NumPy's);
        the rare discards are then recorded with NumPy."""
        world, ledger = self.world, self.world.ledger
        window, now = world.scenario.processing.window_h * 60.0, world.now
        rate = self._discard_rate
        flags = [
            (p in _PLASMA and now - c > window) or u < rate[p]
            for p, c, u in zip(
                ledger.product[ids].tolist(),
                ledger.collected_at[ids].tolist(),
                uniforms(self.rng, len(ids)),
                strict=True,
            )
        ]
        lost = np.array(flags, bool)
        if any(flags):
            product = ledger.product[ids]
            late = (now - ledger.collected_at[ids]) > window
            plasma = (product == _FFP) | (product == _CRYO)
            ledger.dispose(ids[lost], UnitState.DISCARDED, world.now)
            world.logs.count("plasma_past_window_u", float(ledger.size_u[ids[plasma & late]].sum()))
        return lost

    def take_samples(self) -> np.ndarray:
        """Hand over the quarantined units whose samples go to the lab now."""
        parts, self.pending_samples = self.pending_samples, []
        return np.concatenate(parts) if parts else np.empty(0, np.int64)


def pickups(world: World, house: DonationHouse, station: Station) -> Generator:
    """SimPy process: a vehicle leaves the station so as to reach the house at each pickup hour.

    It collects what is finished when it arrives (the ledger rows are written at pickup).
    """
    env = world.env
    for leave in leave_times(world, house, station):
        yield env.timeout(max(0.0, leave - env.now))
        start_callback(env, lambda _: _collect(world, house, station))


def leave_times(world: World, house: DonationHouse, station: Station) -> Iterator[float]:
    """Minutes at which the station's van leaves for each pickup at the house."""
    drive = world.road.minutes(station.site, house.site, 0.0)
    for day in range(world.scenario.days):
        for hour in world.scenario.supply.pickup_hours:
            yield day * MINUTES_PER_DAY + hour * 60.0 - drive


def _collect(world: World, house: DonationHouse, station: Station) -> None:
    """One pickup, run from event callbacks where a process of its own would resume (the
    same events in the same order, less the process's end): a collection van of the
    station drives to the house, takes what is finished when it arrives and brings it to
    the station, which processes it."""
    request = world.vans.request(station.site, "collection")
    request.callbacks.append(lambda _: _to_house(world, house, station, request))


def _to_house(world: World, house: DonationHouse, station: Station, request: simpy.Event) -> None:
    world.vans.drive_then(
        station.site,
        house.site,
        _NO_IDS,
        "positioning",
        lambda _: _at_house(world, house, station, request),
    )


def _at_house(world: World, house: DonationHouse, station: Station, request: simpy.Event) -> None:
    donations = house.take_buffer(world.now)
    if not donations:
        world.vans.return_to_base(request, house.site, station.site)
        return
    ids = make_components(world, donations, house.site, house.rng)
    world.vans.drive_then(
        house.site,
        station.site,
        ids,
        "collection",
        lambda _: _at_station(world, station, request, ids),
        samples=len(donations),
        loaded=True,
    )


def _at_station(world: World, station: Station, request: simpy.Event, ids: np.ndarray) -> None:
    world.vans.send_back(request, station.site, station.site)
    world.ledger.move(ids, UnitState.COLLECTED, site=station.site)
    station.take_in(ids)


_NO_IDS = np.empty(0, np.int64)
_NO_IDS.flags.writeable = False


def make_components(
    world: World,
    donations: list[tuple[float, float, int, int]],
    site: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Ledger rows for whole-blood donations: red cells plus FFP or cryoprecipitate.

    Parameters
    ----------
    donations : list of (collected_at min, size U, abo, rhd)
    site : int
        Where the bags are now (the donation house).
    """
    times, sizes, abo, rhd = zip(*donations, strict=True)
    n = len(times)
    first = world.next_donation_id
    world.next_donation_id += n
    share = world.scenario.processing.cryo_share
    cryo = [u < share for u in uniforms(rng, n)]
    # red cells, then FFP or cryo from each donation: codes and expiries on Python values
    # (the same float64 sums as NumPy's), one array each for the ledger
    product = [_RBC] * n + [_CRYO if c else _FFP for c in cryo]
    shelf = _shelf_by_code(world)
    collected = times + times
    expires = [t + shelf[p] for t, p in zip(collected, product, strict=True)]
    donation = np.arange(first, first + n, dtype=np.int64)
    antigens = draw_antigens(world, rng, n)
    return world.add_units(
        product=np.array(product, np.int8),  # codes as the ledger keeps them
        abo=np.array(abo + abo, np.int8),
        rhd=np.array(rhd + rhd, np.int8),
        size_u=np.array(sizes + sizes),
        donation_id=_twice(donation),
        collected_at=np.array(collected),
        expires_at=np.array(expires),
        site=site,
        state=UnitState.COLLECTED,
        antigens=_twice(antigens),
    )


def _shelf_by_code(world: World) -> list[float]:
    """``world.shelf_by_code`` as Python floats (minutes), converted once per array."""
    shelf = world.shelf_by_code
    cached = _SHELF_LISTS.get(world)
    if cached is None or cached[0] is not shelf:
        cached = _SHELF_LISTS[world] = (shelf, shelf.tolist())
    return cached[1]


_SHELF_LISTS: WeakKeyDictionary[World, tuple[np.ndarray, list[float]]] = WeakKeyDictionary()


def _twice(values: np.ndarray) -> np.ndarray:
    """``values`` followed by themselves (one row per component of each donation)."""
    return np.concatenate((values, values))


def apheresis(
    world: World,
    station: Station,
    doses_per_day: np.ndarray,
    demand_by_group: np.ndarray,
    weekday: np.ndarray,
) -> Generator:
    """SimPy process: apheresis platelet donations at a station, booked in daily batches.

    ``doses_per_day`` is the fixed policy's mean per day of the run (and 1.5 x it the
    order-up-to cap); ``demand_by_group`` the station's mean daily platelet demand per group
    (doses); ``weekday`` the demand weekday factor of each day of the run (mean 1).

    Order-up-to books to ``target_days - 1`` days of mean use plus the booking day's
    expected use: bookings then replace yesterday's use and move with the day-to-day change
    in use, so in steady state they follow the weekday pattern of use (fewest at weekends).
    """
    env, rng = world.env, world.streams.get("apheresis", station.site)
    spec = world.scenario.supply.apheresis
    for day in range(world.scenario.days):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY + spec.opening_hours[1] * 60.0 - env.now))
        if spec.policy == "order_up_to":
            days = max(spec.target_days - 1.0 + weekday[day], 0.0)
            level = days * demand_by_group
            per_group = _order_up_to(world, station.site, level, 1.5 * doses_per_day[day])
        else:
            n = int(rng.poisson(doses_per_day[day]))
            per_group = rng.multinomial(n, world.groups.shares)
        if per_group.sum():
            _collect_platelets(world, station, rng, day, per_group)


def _order_up_to(world: World, site: int, target: np.ndarray, cap: float) -> np.ndarray:
    """Doses to book per group: up to ``target`` (doses per group), counting stock in testing."""
    ledger = world.ledger
    stock = world.stock[site].on_hand_by_group(Product.PLT, now=world.now).ravel()
    start = ledger.pre_release_start()  # no unit before it is in testing
    held = start + np.flatnonzero(
        (ledger.site[start:] == site)
        & (ledger.product[start:] == Product.PLT)
        & (ledger.state[start:] == UnitState.IN_TESTING)
    )
    testing = np.zeros(len(world.groups.codes))
    index = {code: k for k, code in enumerate(world.groups.codes)}
    for a, r in zip(ledger.abo[held], ledger.rhd[held], strict=True):
        testing[index[(int(a), int(r))]] += 1.0
    order = [index[(a, r)] for a in range(4) for r in range(2)]
    want = np.maximum(np.floor(target - stock[np.argsort(order)] - testing + 0.5), 0.0)
    if want.sum() > cap:
        want = np.floor(want * cap / want.sum())
    return want.astype(int)


def _collect_platelets(
    world: World, station: Station, rng: np.random.Generator, day: int, per_group: np.ndarray
) -> None:
    opening = world.scenario.supply.apheresis.opening_hours
    codes = np.repeat(np.array(world.groups.codes), per_group, axis=0)
    n = len(codes)
    times = day * MINUTES_PER_DAY + rng.uniform(opening[0], opening[1], n) * 60.0
    ids = world.new_bags(
        Product.PLT, codes[:, 0], codes[:, 1], times, station.site, UnitState.IN_TESTING
    )
    rate = world.scenario.processing.component_discard_rate.get("PLT", 0.0)
    lost = rng.random(n) < rate  # bag faults at apheresis (Zhu 2024, facts 3.1)
    if lost.any():
        world.ledger.dispose(ids[lost], UnitState.DISCARDED, times[lost])
        ids, codes = ids[~lost], codes[~lost]
    np.add.at(world.plt_testing[station.site], codes[:, 0] * 2 + codes[:, 1], 1.0)
    station.pending_samples.append(ids)
