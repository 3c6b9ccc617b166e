"""Crossmatch reservations at hospital blood banks: red cells held for patients, returned late.

At the start of every demand block a hospital crossmatches its coming non-emergency
red-cell patients (:mod:`sim.policies.crossmatch`): units crossmatched beyond what the
patients use are taken off the shelf (ledger state RESERVED) for the reservation period
(``inventory.crossmatch.hold_h``), then go back to the shelf, or are disposed of as expired
at their own expiry time if it passed meanwhile. While held they are not issuable: the
daily review orders to replace them, and they come back older.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, Product, RhD, UnitState
from sim.core.draws import poisson_each
from sim.policies.crossmatch import held_positions_listed, held_units_expected
from sim.policies.replenishment import emergency_o
from sim.processes.hospital import demand_factor
from sim.state.hosting import hosted_by
from sim.state.world import World

_RBC = int(Product.RBC)


class CrossmatchHolds:
    """The reservations of every hospital of a world; :meth:`run` is the SimPy process."""

    def __init__(self, world: World, hospitals: np.ndarray, weekday: np.ndarray) -> None:
        rules, demand = world.scenario.inventory.crossmatch, world.scenario.demand
        self.world, self.hospitals = world, [int(h) for h in hospitals]
        self.hold_min = rules.hold_h * 60.0
        blocks = demand.blocks_per_day
        planned = 1.0 - demand.emergency_share  # urgent and routine patients are crossmatched
        share = world.groups.shares * planned / blocks  # of a day's use, per group and block
        # Units (U) crossmatched per block per [hospital, group] on a day of factor 1.
        self.use = np.array([_banked_use(world, h) * share for h in self.hospitals])
        self.hold = held_units_expected(self.use, rules.ct_ratio)
        self.weekday = weekday  # demand factor per day
        self.floor = [self._floors(h) for h in self.hospitals]
        # The same per hospital as Python floats, for the per-block loop (U).
        self._hold_u, self._use_u = self.hold.tolist(), self.use.tolist()
        self._floor_u = [floor.tolist() for floor in self.floor]
        self.rngs = [world.streams.get("crossmatch", h) for h in self.hospitals]
        self.held: deque[tuple[float, np.ndarray]] = deque()  # (release time, ids), in order

    def _floors(self, hospital: int) -> np.ndarray:
        """Emergency group O units (U) per group the hospital keeps on its shelf."""
        floor = np.zeros(len(self.world.groups.shares))
        for (abo, rhd), units in emergency_o(self.world, hospital).items():
            floor[abo * len(RhD) + rhd] = units  # groups are ordered (abo, rhd)
        return floor

    def run(self) -> Generator:
        """SimPy process: at the start of each demand block, release due reservations and
        crossmatch the block's patients at every hospital."""
        world = self.world
        blocks = world.scenario.demand.blocks_per_day
        block_min = MINUTES_PER_DAY / blocks
        for day in range(world.scenario.days):
            for block in range(blocks):
                start = day * MINUTES_PER_DAY + block * block_min
                yield world.env.timeout(max(0.0, start - world.env.now))
                self.release(world.env.now)
                self._crossmatch_all(self.weekday[day])

    def _crossmatch_all(self, factor: float) -> None:
        """Crossmatch every hospital's next block (demand ``factor``); the units held are
        marked RESERVED on the ledger in one call (nothing reads their state meanwhile).

        ``factor`` is used as a Python float: the same products as with NumPy's float64,
        without a NumPy scalar operation per group."""
        crossmatch, hospitals, factor = self._crossmatch, range(len(self.hospitals)), float(factor)
        held = [r for i in hospitals if (r := crossmatch(i, factor)) is not None]
        if held:
            ids = held[0].ids if len(held) == 1 else np.concatenate([r.ids for r in held])
            self.world.ledger.move(ids, UnitState.RESERVED)
            self.held.extend(held)

    def release(self, now: float) -> None:
        """Reservations whose period has ended go back to their shelf (expired ones are
        disposed of at their expiry time). The expiries and sizes of the units are read
        from the ledger once for all of them."""
        ledger, due = self.world.ledger, self._due(now)
        if not due:
            return
        ids = np.concatenate([held.ids for held in due])
        exp = ledger.expires_at[ids]
        old = self._expire(ids, now, exp)
        back = None if old is None else ~old  # None: every unit goes back
        ledger.move(ids if back is None else ids[back], UnitState.AVAILABLE)
        size, stock, codes = ledger.size_u[ids], self.world.stock, self.world.groups.codes
        for (site, group), at in _back_positions(due, back, ids, exp).items():
            stock[site].restore(_RBC, *codes[group], ids[at], expires_at=exp[at], size_u=size[at])

    def _due(self, now: float) -> list[Reservation]:
        """The reservations whose period has ended at ``now`` (minutes), taken off the list."""
        due = []
        while self.held and self.held[0].release_at <= now + 1e-9:
            due.append(self.held.popleft())
        return due

    def expire_at_end(self) -> None:
        """At the end of the run, held units whose expiry has passed are disposed of as
        expired at their expiry time, as their release would have done, so they are counted
        as expired and not as stock at the end."""
        if self.held:
            self._expire(np.concatenate([held.ids for held in self.held]), self.world.horizon_min)

    def _expire(
        self, ids: np.ndarray, now: float, exp: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Dispose of the held ``ids`` whose expiry is at or before ``now`` (minutes) as
        expired at their expiry time; returns which of ``ids`` expired (None: none).
        ``exp``: their expiries (minutes) if read already."""
        ledger = self.world.ledger
        exp = ledger.expires_at[ids] if exp is None else exp
        old = exp <= now
        if not old.any():
            return None
        ledger.dispose(ids[old], UnitState.EXPIRED, exp[old])
        return old

    def _crossmatch(self, i: int, factor: float) -> Reservation | None:
        """Take off the shelf the crossmatched units of hospital ``i``'s next block that its
        patients will not use (units drawn around the expected number); returns their
        reservation (None: none), which the caller marks RESERVED and keeps."""
        rng = self.rngs[i]
        hold_u = poisson_each(rng, self._hold_u[i], factor)  # one draw per group, in order
        if not any(hold_u):
            return None
        world, site = self.world, self.hospitals[i]
        stock, now = world.stock[site], world.now
        codes, use_u, floor_u = world.groups.codes, self._use_u[i], self._floor_u[i]
        taken, held_groups = [], []
        for g, units in enumerate(hold_u):
            if not units:
                continue
            abo, rhd = codes[g]
            sizes = stock.fresh_sizes(_RBC, abo, rhd, now)  # this group's FEFO shelf (U)
            if not sizes:
                continue  # nothing to hold (pick_held draws nothing then)
            use = use_u[g] * factor
            picked = held_positions_listed(sizes, use, float(units), use + floor_u[g], rng)
            if picked:
                taken.append(stock.take_fresh(_RBC, abo, rhd, now, picked))
                held_groups.append(g)
        if not taken:
            return None
        return Reservation(now + self.hold_min, site, tuple(held_groups), tuple(taken))


class Reservation:
    """Units of one hospital held at one crossmatch, per group in FEFO order."""

    __slots__ = ("release_at", "site", "groups", "parts", "ids")

    def __init__(
        self, release_at: float, site: int, groups: tuple[int, ...], parts: tuple[np.ndarray, ...]
    ) -> None:
        self.release_at, self.site = release_at, site  # minutes, site position
        self.groups, self.parts = groups, parts  # group positions, ids per group
        self.ids = parts[0] if len(parts) == 1 else np.concatenate(parts)


def _back_positions(
    due: list[Reservation], back: np.ndarray | None, ids: np.ndarray, exp: np.ndarray
) -> dict[tuple[int, int], slice | np.ndarray]:
    """Positions in ``ids`` (the concatenated ids of the ``due`` reservations, expiring at
    ``exp``, minutes) of the units going back to each (site, group) shelf; ``back`` marks
    the units that go back (None: all of them). A slice where one part goes back whole
    (the usual case), else an index array sorted by (expiry, id)."""
    parts: dict[tuple[int, int], list[slice | np.ndarray]] = {}
    start = 0
    for held in due:
        for group, part in zip(held.groups, held.parts, strict=True):
            at: slice | np.ndarray = slice(start, start + len(part))
            start += len(part)
            if back is not None and not back[at].all():
                at = at.start + np.flatnonzero(back[at])
            parts.setdefault((held.site, group), []).append(at)
    return {key: _fefo_positions(at, ids, exp) for key, at in parts.items()}


def _fefo_positions(
    parts: list[slice | np.ndarray], ids: np.ndarray, exp: np.ndarray
) -> slice | np.ndarray:
    """One part as it is, else the positions of all parts sorted by (expiry, id)."""
    if len(parts) == 1:
        return parts[0]
    at = np.concatenate([np.arange(a.start, a.stop) if isinstance(a, slice) else a for a in parts])
    return at[np.lexsort((ids[at], exp[at]))]


def _fefo(parts: list[np.ndarray], expires_at: np.ndarray) -> np.ndarray:
    """One array sorted by (expiry, id) from parts each sorted so: one part as it is (the
    ids of :func:`_fefo_positions`)."""
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate(parts)
    return ids[np.lexsort((ids, expires_at[ids]))]


def crossmatch_banks(world: World) -> np.ndarray:
    """Positions of the hospitals that crossmatch: every hospital with its own blood bank."""
    hospitals = world.sites.of_kind("hospital")
    return hospitals[world.host_of[hospitals] < 0]


def _banked_use(world: World, hospital: int) -> np.ndarray:
    """Mean daily red-cell use (U per group) crossmatched at a hospital's blood bank: its
    own and that of the hospitals it hosts (their patients are crossmatched at the host)."""
    use = world.demand_mean[hospital][Product.RBC]
    for hosted in hosted_by(world.host_of, hospital):
        use = use + world.demand_mean[int(hosted)][Product.RBC]
    return use


def start_crossmatch_holds(world: World) -> None:
    """Start the crossmatch reservations of every hospital with its own blood bank (a hosted
    hospital's patients are crossmatched at its host); none when ``ct_ratio`` is 1."""
    if world.scenario.inventory.crossmatch.ct_ratio <= 1.0:
        return
    holds = CrossmatchHolds(world, crossmatch_banks(world), demand_factor(world))
    world.env.process(holds.run())
    world.finalizers.append(holds.expire_at_end)
