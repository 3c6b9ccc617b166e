"""Hospital blood banks: daily transfusion demand issued from stock, shortfalls ordered."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Priority, Product, UnitState, group_label
from sim.processes.orders import urgent_order
from sim.state.records import Stockout
from sim.state.world import World

URGENCY = (Priority.EMERGENCY, Priority.URGENT, Priority.ROUTINE)
ROUTINE_INDEX = 2


class Hospital:
    """One hospital: draws each day's demand and issues it in blocks through the day."""

    def __init__(self, world: World, site: int) -> None:
        demand = world.scenario.demand
        self.world, self.site = world, site
        self.rng = world.streams.get("demand", site)
        self.mean = world.demand_mean[site]
        self.weekday = demand_factor(world)
        share = [demand.emergency_share, demand.urgent_share]
        self.urgency = np.array([*share, 1.0 - sum(share)])
        groups = (len(Product), len(world.groups.shares))
        self.carry = np.zeros(groups)  # routine units deferred, per [product, group]
        self.carry_since = np.zeros(groups)  # when the deferred demand first waited, min
        self.credit = np.zeros(groups)  # units issued beyond the need (part of a larger bag)

    def run(self) -> Generator:
        """SimPy process: each day, draw demand and issue it block by block."""
        env, blocks = self.world.env, self.world.scenario.demand.blocks_per_day
        block_min = MINUTES_PER_DAY / blocks
        for day in range(self.world.scenario.days):
            cells = self._draw(day)
            for block in range(blocks):
                yield env.timeout(
                    max(0.0, day * MINUTES_PER_DAY + (block + 0.5) * block_min - env.now)
                )
                self._issue_block(day, cells[:, block])

    def _draw(self, day: int) -> np.ndarray:
        """Units demanded per [product, block, group, urgency] for one day (integers)."""
        world, demand = self.world, self.world.scenario.demand
        blocks, n_groups = demand.blocks_per_day, len(world.groups.shares)
        noise = _gamma_noise(self.rng, demand.daily_cv)
        means = self.mean * self.weekday[day] * noise
        totals = self.rng.poisson(means[list(PRODUCTS)])
        probs = np.einsum(
            "b,g,u->bgu", np.full(blocks, 1.0 / blocks), world.groups.shares, self.urgency
        ).ravel()
        cells = np.stack([self.rng.multinomial(t, probs) for t in totals])
        return cells.reshape(len(PRODUCTS), blocks, n_groups, len(URGENCY))

    def _issue_block(self, day: int, cells: np.ndarray) -> None:
        """Issue one block's demand; ``cells[product, group, urgency]`` in units."""
        world, taken = self.world, []
        for p_index, product in enumerate(PRODUCTS):
            need = cells[p_index].sum(axis=1)
            world.demand_u[day, product] += need.sum()
            for group in np.flatnonzero(need + self.carry[product]):
                ids = self._issue(day, int(product), int(group), cells[p_index, group])
                taken.append(ids)
        if taken:
            world.ledger.dispose(np.concatenate(taken), UnitState.TRANSFUSED, world.now)

    def inject(self, product: int, by_group: np.ndarray, priority: int) -> None:
        """Extra demand now (e.g. a mass-casualty incident): units per group at a priority."""
        world = self.world
        day = min(int(world.now // MINUTES_PER_DAY), world.scenario.days - 1)
        cells = np.zeros((len(PRODUCTS), len(by_group), len(URGENCY)))
        cells[PRODUCTS.index(product), :, URGENCY.index(priority)] = by_group
        self._issue_block(day, cells)

    def _issue(self, day: int, product: int, group: int, by_urgency: np.ndarray) -> np.ndarray:
        """Take one group's units FEFO (with deferred routine demand); handle the shortfall.

        Demand is in units but bags come in 1, 1.5 and 2 U: the part of the last bag beyond
        the need is credited to the group's next demand at this hospital (volume
        accounting), so transfused units track demanded units instead of exceeding them.
        """
        world = self.world
        abo, rhd = world.groups.codes[group]
        need = float(by_urgency.sum()) + self.carry[product, group]
        credit = min(self.credit[product, group], need)
        self.credit[product, group] -= credit
        ids, got = world.stock[self.site].take_counted(
            product, abo, rhd, need - credit, rule=world.rules[product], now=world.now
        )
        got += credit
        self.credit[product, group] += max(0.0, got - need)
        world.met_u[day, product] += min(got, need)
        self._short(product, group, by_urgency, max(0.0, need - got))
        return ids

    def _short(self, product: int, group: int, by_urgency: np.ndarray, short: float) -> None:
        """Routine patients wait (deferred) before urgent ones; urgent shortfalls are ordered.

        The most urgent patients are served first, so a shortfall falls on routine demand
        first. Deferred routine demand is dropped once older than its required-by time.
        """
        world = self.world
        waiting = float(by_urgency[ROUTINE_INDEX]) + self.carry[product, group]
        routine = min(short, waiting)
        self._defer(product, group, routine, waiting)
        short -= routine
        abo, rhd = world.groups.codes[group]
        for u in (1, 0):  # urgent, then emergency
            part = min(short, float(by_urgency[u]))
            if part <= 0:
                continue
            short -= part
            self._log(product, group, URGENCY[u], float(by_urgency[u]), part, "ordered")
            world.env.process(urgent_order(world, self.site, product, abo, rhd, part, URGENCY[u]))

    def _defer(self, product: int, group: int, short: float, waiting: float) -> None:
        """Keep ``short`` of the ``waiting`` routine units for later, or drop them if too old."""
        world, since = self.world, self.carry_since
        before = self.carry[product, group]
        if short <= 0:
            self.carry[product, group] = 0.0
            return
        if before == 0:
            since[product, group] = world.now
        self.carry[product, group] = short
        if world.now - since[product, group] >= world.scenario.demand.required_by_min["routine"]:
            dropped = min(before, short)  # the old demand goes; this block's demand waits
            self.carry[product, group] = short - dropped
            since[product, group] = world.now
            self._log(product, group, Priority.ROUTINE, waiting, dropped, "dropped")
            if short > dropped + 1e-9:
                self._log(product, group, Priority.ROUTINE, waiting, short - dropped, "deferred")
        elif short > before + 1e-9:  # log only the newly short units, once
            self._log(product, group, Priority.ROUTINE, waiting, short - before, "deferred")

    def _log(
        self, product: int, group: int, priority: int, needed: float, short: float, outcome: str
    ) -> None:
        world = self.world
        abo, rhd = world.groups.codes[group]
        stockout = Stockout(
            time=world.now,
            hospital_id=world.site_id(self.site),
            product=Product(product).name,
            group=group_label(abo, rhd),
            priority=Priority(priority).name.lower(),
            needed_u=needed,
            short_u=short,
            outcome=outcome,
        )
        world.logs.stockouts.add(stockout)


def demand_factor(world: World) -> np.ndarray:
    """Per-day multiplier on hospital demand: weekday pattern x seasonal windows."""
    demand = world.scenario.demand
    factor = world.calendar.weekday_factor(demand.weekday_factors)
    for season in demand.seasons:
        inside = world.calendar.window_mask(season.start, season.end)
        factor = np.where(inside, factor * season.factor, factor)
    return factor


def _gamma_noise(rng: np.random.Generator, cv: float) -> float:
    """A mean-1 gamma multiplier with coefficient of variation ``cv`` (1 when cv is 0)."""
    if cv <= 0:
        return 1.0
    shape = 1.0 / cv**2
    return float(rng.gamma(shape, 1.0 / shape))
