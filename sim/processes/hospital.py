"""Hospital blood banks: daily transfusion demand issued from stock, shortfalls ordered."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.compatibility import donor_groups, keeping
from sim.core.compiled import built
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Priority, Product, UnitState
from sim.core.draws import checked_pvals, gamma, multinomial_rows, poisson_each
from sim.core.scheduling import urgent_first
from sim.policies.hosting import site_targets
from sim.policies.replenishment import emergency_o, stocked_groups
from sim.processes.orders import urgent_order
from sim.state.demand_outcomes import URGENCY, DemandBook, Waiting, index_of
from sim.state.world import World

issue_core = built("issue_core", "sim.processes")
"""The compiled commonest issue path (None: not built, or ``BLOODFLOW_PURE_PYTHON`` set);
:meth:`Hospital._issue_pairs` runs it where it is set, else its Python twin."""

ROUTINE_INDEX = URGENCY.index(Priority.ROUTINE)  # position of routine demand in URGENCY
SHORT_U = 1e-9  # units (U) short below this are not a shortfall (rounding)
_PRODUCT_CODES = [int(p) for p in PRODUCTS]  # product code of each row of a day's cells
_PRODUCT_ROWS = index_of(_PRODUCT_CODES)
_PRODUCT_ROWS_OF = {code: row for row, code in enumerate(_PRODUCT_CODES)}  # code -> row
_RBC = int(Product.RBC)
_NO_UNITS = (0,) * len(URGENCY)  # units per urgency of a (product, group) without demand in a block
_PRODUCT_CODES_T, _URGENCY_CODES = tuple(_PRODUCT_CODES), tuple(int(p) for p in URGENCY)


class Hospital:
    """One hospital: draws each day's demand and issues it in blocks through the day
    (:func:`issue_blocks` runs every hospital's blocks).

    Emergency and urgent patients are served first; what the shelf cannot give them is
    ordered. Routine patients of a group the hospital stocks wait for the shelf (dropped
    once older than their required-by time); those of a group it keeps no stock of (a
    target under one unit, e.g. platelets at small hospitals) are ordered for at once.
    """

    def __init__(self, world: World, site: int) -> None:
        demand = world.scenario.demand
        self.world, self.site = world, site
        self.rng = world.streams.get("demand", site)
        self.mean = world.demand_mean[site]
        self.weekday = demand_factor(world)
        # The same as Python floats for the daily draw: U/day per product of PRODUCTS, factor
        self._mean_u = self.mean[_PRODUCT_CODES].tolist()
        self._weekday_u = self.weekday.tolist()
        share = [demand.emergency_share, demand.urgent_share]
        self.urgency = np.array([*share, 1.0 - sum(share)])
        blocks = demand.blocks_per_day  # a unit's chance of each [block, group, urgency]:
        self.cell_p = checked_pvals(
            np.einsum(
                "b,g,u->bgu", np.full(blocks, 1.0 / blocks), world.groups.shares, self.urgency
            ).ravel()
        )
        groups = (len(Product), len(world.groups.shares))
        self.targets = site_targets(world, site)  # order-up-to, U per [product, abo, rhd]
        self.stocked = stocked_groups(self.targets).reshape(len(Product), -1)
        if not world.scenario.inventory.patient_orders:
            self.stocked[:] = True  # every group waits for the shelf
        self.emergency_o = emergency_o(world, site)  # red cells held for emergencies, U
        # Routine units waiting (backorders), per [product, group]: this hospital's row of
        # the World's table, which the replenishment policy reads.
        self.backorders = world.backorders[site]
        self.waiting: dict[tuple[int, int], list[Waiting]] = {}  # oldest first
        self.credit = np.zeros(groups)  # units issued beyond the need (part of a larger bag)
        self._credited: set[tuple[int, int]] = set()  # (product, group) ever given a credit
        self.book = DemandBook(world, site)
        self._donors: dict[tuple[int, tuple[int, int]], tuple[tuple[int, int], ...]] = {}
        self._issue_core = (  # the compiled twin of _issue_pairs (None: the Python one runs)
            issue_core.IssueCore(self, _PRODUCT_CODES_T, _URGENCY_CODES, _RBC)
            if issue_core is not None and _runs_compiled(type(self))
            else None
        )

    def plan_day(self, day: int) -> list[list[tuple[int, int, list[int]]]]:
        """Draw and book a day's demand; returns, per block, the ``(product row, group,
        units per urgency)`` to issue (:func:`_day_plan`).

        The day's demand is booked when it is drawn (whole units: the sums are exact in any
        order, and nothing reads them before the end of the run)."""
        cells = self._draw(day)
        self._book_day(day, cells)
        if issue_core is not None and cells.dtype == np.int64 and cells.flags.c_contiguous:
            return issue_core.day_plan(cells)
        return _day_plan(cells)

    def issue_drawn(self, day: int, demand: list[tuple[int, int, list[int]]]) -> list[np.ndarray]:
        """Issue one block of the day's drawn demand (booked already): ``(row, group,
        units per urgency)`` of each (product row, group) with demand, sorted. Returns the
        ids of the units issued, for the caller to record as transfused now
        (:func:`transfuse_now`).

        A function of its own so that its Python lists die with it: kept as locals of the
        :func:`issue_blocks` generator they would live across its yields and be scanned
        again and again by the cyclic garbage collector.
        """
        if self.waiting:
            demand = self._with_waiting(demand)
        return self._issue_pairs(day, demand) if demand else []

    def _draw(self, day: int) -> np.ndarray:
        """Units demanded per [product, block, group, urgency] for one day (integers).

        The day's means are multiplied and the totals drawn product by product on Python
        floats: the products and draws of NumPy's array calls, in the same order."""
        world, demand = self.world, self.world.scenario.demand
        blocks, n_groups = demand.blocks_per_day, len(world.groups.shares)
        rng = self.rng
        noise = _gamma_noise(rng, demand.daily_cv)
        totals = poisson_each(rng, self._mean_u, self._weekday_u[day], noise)
        cells = multinomial_rows(rng, totals, self.cell_p)  # product by product
        return cells.reshape(len(PRODUCTS), blocks, n_groups, len(URGENCY))

    def _book_day(self, day: int, cells: np.ndarray) -> None:
        """Book a day's demand ``cells[product, block, group, urgency]`` (whole units)."""
        by_urgency = cells.sum(axis=(1, 2))
        self.world.demand_u[day, _PRODUCT_ROWS] += by_urgency.sum(axis=1)
        self.book.demanded_block(day, by_urgency)

    def _issue_block(self, day: int, cells: np.ndarray) -> None:
        """Issue one block's demand now; ``cells[product, group, urgency]`` in units.

        Demand is booked for every product at once (cells hold whole units, so the sums are
        exact in any order); then each (product, group) with demand or waiting routine
        demand is issued in turn, products in :data:`PRODUCTS` order, groups ascending.
        """
        world, by_group = self.world, cells.sum(axis=2)
        world.demand_u[day, _PRODUCT_ROWS] += by_group.sum(axis=1)
        self.book.demanded_block(day, cells.sum(axis=1))
        rows, groups = (by_group + self.backorders[_PRODUCT_ROWS]).nonzero()
        units = cells.tolist()
        pairs = zip(rows.tolist(), groups.tolist(), strict=True)
        transfuse_now(world, self._issue_pairs(day, [(r, g, units[r][g]) for r, g in pairs]))

    def _with_waiting(
        self, demand: list[tuple[int, int, list[int]]]
    ) -> list[tuple[int, int, list[int]]]:
        """The (row, group, units) to issue in a block: those with demand (``demand``,
        sorted) and those with routine demand waiting (no units this block), where demand
        plus backorders is not 0, sorted as :meth:`_issue_block` finds them. Backorders are
        0 where nothing waits (:meth:`_share_out`)."""
        waiting = [key for key, queue in self.waiting.items() if queue]
        if not waiting:
            return demand
        units = {(r, g): u for r, g, u in demand}
        for p, g in waiting:
            units.setdefault((_PRODUCT_ROWS_OF[p], g), _NO_UNITS)
        backorders = self.backorders
        return [
            (r, g, u)
            for (r, g), u in sorted(units.items())
            if sum(u) + backorders[_PRODUCT_CODES[r], g] != 0
        ]

    def _issue_pairs(self, day: int, demand: list[tuple[int, int, list]]) -> list[np.ndarray]:
        """Issue each (row, group, units per urgency) of ``demand`` in order (U); returns
        the ids issued (non-empty arrays), not yet recorded as transfused.

        Compiled where :data:`issue_core` is built: the same steps, arithmetic and calls."""
        if self._issue_core is not None:
            return self._issue_core.issue_pairs(day, demand)
        taken, issue = [], self._issue
        for r, g, units in demand:
            ids = issue(day, _PRODUCT_CODES[r], g, units)
            if len(ids):
                taken.append(ids)
        return taken

    def inject(self, product: int, by_group: np.ndarray, priority: int) -> None:
        """Extra demand now (e.g. a mass-casualty incident): units per group at a priority."""
        world = self.world
        day = min(int(world.now // MINUTES_PER_DAY), world.scenario.days - 1)
        cells = np.zeros((len(PRODUCTS), len(by_group), len(URGENCY)))
        cells[PRODUCTS.index(product), :, URGENCY.index(priority)] = by_group
        self._issue_block(day, cells)

    def _issue(self, day: int, product: int, group: int, by_urgency: list[float]) -> np.ndarray:
        """Take one group's units FEFO (with waiting routine demand); handle the shortfall.

        ``by_urgency`` holds the block's units (U) per :data:`URGENCY`. Demand is in units
        but bags come in 1, 1.5 and 2 U: the part of the last bag beyond the need is
        credited to the group's next demand at this hospital (volume accounting), so
        transfused units track demanded units instead of exceeding them.
        """
        world, credits, key = self.world, self.credit, (product, group)
        need = float(sum(by_urgency))
        waits = bool(self.waiting.get(key))
        if waits:  # else its backorders are 0.0 (adding them changes nothing)
            need += float(self.backorders[product, group])
        credited = self._credited  # credits are 0.0 outside it
        credit = min(float(credits[product, group]) if key in credited else 0.0, need)
        if credit:  # subtracting or adding 0.0 changes nothing (credits are never -0.0)
            credits[product, group] -= credit
            credited.add(key)
        ids, got = self._take(
            product, world.groups.codes[group], float(by_urgency[0]), need - credit
        )
        got += credit
        if got > need:
            credits[product, group] += got - need
            credited.add(key)
        met = min(got, need)
        world.met_u[day, product] += met
        if met == need and not waits and type(by_urgency[0]) is int:
            self._all_on_time(day, product, by_urgency)
        else:
            self._share_out(day, product, group, by_urgency, met)
        return ids

    def _all_on_time(self, day: int, product: int, by_urgency: list[int]) -> None:
        """:meth:`_share_out` when the whole need is met, nothing waits and the units are
        whole (ints): every priority is served its units (the subtractions of
        :meth:`_share_out` are exact on whole units, so it serves the same) and none is
        short."""
        on_time = self.book.on_time
        for units, priority in zip(by_urgency, URGENCY, strict=True):
            if units > 0:
                on_time(day, product, priority, float(units))

    def _take(
        self, product: int, group: tuple[int, int], emergency: float, need: float
    ) -> tuple[np.ndarray, float]:
        """Take ``need`` units (U) FEFO for a recipient group; returns (ids, units taken).

        Emergency group O red cells at or below their floor go to emergencies (or their own
        group) only: the emergency part is taken first under the full rule, the rest under
        the rule that keeps them.
        """
        world, stock = self.world, self.world.stock[self.site]
        now, donors = world.now, self._donors.get((product, group))
        if donors is None:  # the rule's donor groups of a recipient group, looked up once
            donors = self._donors[product, group] = donor_groups(world.rules[product], *group)
        if product != _RBC or not self.emergency_o:  # nothing kept (:meth:`_kept`)
            return stock.take_groups(product, donors, need, now)
        kept = self._kept(product, group)
        if not kept:
            return stock.take_groups(product, donors, need, now)
        return self._take_keeping(product, group, donors, emergency, need, kept)

    def _take_keeping(
        self,
        product: int,
        group: tuple[int, int],
        donors: tuple[tuple[int, int], ...],
        emergency: float,
        need: float,
        kept: tuple[tuple[int, int], ...],
    ) -> tuple[np.ndarray, float]:
        """:meth:`_take` when emergency O groups ``kept`` are at or below their floor: the
        emergency part from every donor group, the rest from those not kept."""
        world, stock = self.world, self.world.stock[self.site]
        now = world.now
        first, got = stock.take_groups(product, donors, min(emergency, need), now)
        rest, more = stock.take_groups(
            product, donor_groups(keeping(world.rules[product], kept), *group), need - got, now
        )
        return np.concatenate([first, rest]), got + more

    def _kept(self, product: int, group: tuple[int, int]) -> tuple[tuple[int, int], ...]:
        """Emergency O groups at or below their floor that ``group`` is not (red cells)."""
        if product != _RBC or not self.emergency_o:
            return ()
        stock, now = self.world.stock[self.site], self.world.now
        return tuple(
            o
            for o, floor in self.emergency_o.items()
            if o != group and stock.on_hand(product, *o, now=now) <= floor
        )

    def _share_out(
        self, day: int, product: int, group: int, by_urgency: list[float], met: float
    ) -> None:
        """Give ``met`` units (U) to the most urgent first, then to routine patients waiting
        (oldest first), then to this block's routine patients; the rest is short."""
        queue = self.waiting.get((product, group))
        if queue:
            self._share_out_waiting(day, product, group, by_urgency, met, queue)
            return
        # Nothing waits: its backorders are already 0.0 (set when the queue emptied).
        short, on_time = [], self.book.on_time
        for units, priority in zip(by_urgency, URGENCY, strict=True):
            want = float(units)
            served = min(met, want)
            met -= served
            short.append(want - served)
            if served > 0:
                on_time(day, product, priority, served)
        if short[0] > SHORT_U or short[1] > SHORT_U or short[2] > SHORT_U:
            self._short(day, product, group, by_urgency, short)

    def _share_out_waiting(
        self,
        day: int,
        product: int,
        group: int,
        by_urgency: list[float],
        met: float,
        queue: list[Waiting],
    ) -> None:
        """:meth:`_share_out` when routine demand of the group waits in ``queue``."""
        short = [float(units) for units in by_urgency]
        book = self.book
        for u, priority in enumerate(URGENCY):
            if u == ROUTINE_INDEX:
                met = self._serve_waiting(product, group, met)
            served = min(met, short[u])
            met -= served
            short[u] -= served
            if served > 0:
                book.resolved(day, product, priority, "on_time", served)
        if queue:
            self._drop_overdue(product, group)
        else:
            self.backorders[product, group] = 0.0  # nothing waits: no rounding residue
        if max(short) > SHORT_U:
            self._short(day, product, group, by_urgency, short)

    def _serve_waiting(self, product: int, group: int, units: float) -> float:
        """Serve waiting routine demand of a group, oldest first; returns the units left."""
        queue = self.waiting.get((product, group), [])
        while queue and units > 1e-9:
            first = queue[0]
            served = min(units, first.units)
            units -= served
            first.units -= served
            self.backorders[product, group] -= served
            self.book.resolved(first.day, product, Priority.ROUTINE, "waited", served, first.row)
            if first.units <= 1e-9:
                queue.pop(0)
        return units

    def _drop_overdue(self, product: int, group: int) -> None:
        """Routine demand waiting past its required-by time is dropped (not met)."""
        world, queue = self.world, self.waiting.get((product, group), [])
        due = world.scenario.demand.required_by_min["routine"]
        while queue and world.now - queue[0].since >= due:
            old = queue.pop(0)
            self.backorders[product, group] -= old.units
            self.book.resolved(old.day, product, Priority.ROUTINE, "not_met", old.units, old.row)
        if not queue:
            self.backorders[product, group] = 0.0  # no rounding residue

    def _short(
        self, day: int, product: int, group: int, by_urgency: list[float], short: list[float]
    ) -> None:
        """Urgent and emergency shortfalls are ordered; routine ones wait for the shelf, or
        are ordered for the patient where the hospital keeps no stock of the group."""
        world = self.world
        codes = world.groups.codes[group]
        for u in (1, 0, ROUTINE_INDEX):  # urgent, emergency, routine
            part, priority = float(short[u]), URGENCY[u]
            if part <= SHORT_U:
                continue
            waits = priority == Priority.ROUTINE and self.stocked[product, group]
            outcome = "deferred" if waits else "ordered"
            if priority == Priority.ROUTINE and not waits:
                outcome = "patient_order"
            needed = float(by_urgency[u])
            row = self.book.shortfall(product, codes, priority, needed, part, outcome)
            if waits:
                self.backorders[product, group] += part
                self.waiting.setdefault((product, group), []).append(
                    Waiting(world.now, day, part, row)
                )
                continue
            self._order(product, codes, part, (day, product, int(priority), row))

    def _order(self, product: int, codes: tuple, units: float, demand: tuple) -> None:
        """Order ``units`` (U) of ``product`` for patients of group ``codes`` (abo, rhd);
        ``demand`` is (day, product, priority, stockouts row) of the shortfall."""
        self.world.env.process(urgent_order(self.world, self.site, product, *codes, units, demand))


_COMPILED_STEPS = ("_issue_pairs", "_issue", "_take", "_kept", "_all_on_time")
"""The methods whose work :data:`issue_core` does itself (it calls the others)."""


def _runs_compiled(kind: type[Hospital]) -> bool:
    """Whether hospitals of ``kind`` may issue through :data:`issue_core`: not where a
    subclass changes a step that the compiled path does itself instead of calling it."""
    return all(getattr(kind, name) is getattr(Hospital, name) for name in _COMPILED_STEPS)


def issue_blocks(world: World, hospitals: list[Hospital]) -> Generator:
    """SimPy process: every hospital's demand, block by block, in one pass per block.

    The same events in the same order as one process per hospital waking at each block's
    midpoint, without those wake-ups (one timeout per hospital and block, 11 % of a Zhejiang
    year's events): hospitals issue in the order given, each draws its next day's demand
    right after its day's last block, and the urgent events a hospital's issue causes (the
    start of an urgent order, which takes units at once) run before the next hospital
    issues, as they would run before the next hospital's wake-up. The units issued are
    recorded as transfused in one ledger call per pass (and before any urgent work runs):
    the same states and times, in fewer calls.
    """
    env, days = world.env, world.scenario.days
    blocks = world.scenario.demand.blocks_per_day
    block_min = MINUTES_PER_DAY / blocks
    plans = [hospital.plan_day(0) for hospital in hospitals]
    for day in range(days):
        for block in range(blocks):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + (block + 0.5) * block_min - env.now))
            next_day = day + 1 if block == blocks - 1 and day + 1 < days else None
            issued: list[np.ndarray] = []
            for k, hospital in enumerate(hospitals):
                issued += hospital.issue_drawn(day, plans[k][block])
                if next_day is not None:
                    plans[k] = hospital.plan_day(next_day)
                if env.urgent_due():
                    issued = transfuse_now(world, issued)
                    while env.urgent_due():
                        yield urgent_first(env)
            transfuse_now(world, issued)


def transfuse_now(world: World, issued: list[np.ndarray]) -> list[np.ndarray]:
    """Record the units ``issued`` (id arrays) as transfused now, in one ledger call;
    returns an empty list for the next ones."""
    if issued:
        ids = issued[0] if len(issued) == 1 else np.concatenate(issued)
        world.ledger.dispose(ids, UnitState.TRANSFUSED, world.now)
    return []


def _day_plan(cells: np.ndarray) -> list[list[tuple[int, int, list[int]]]]:
    """Per block, the (product row, group, units per urgency) with demand in a day's
    ``cells[row, block, group, urgency]`` (U), sorted by (row, group): one NumPy pass for
    the day's blocks. A cell has demand where its units summed over urgency are not 0
    (summed column by column: cheaper than a reduction over the short last axis)."""
    n_blocks, n_groups = cells.shape[1], cells.shape[2]
    flat = cells.reshape(-1, cells.shape[3])  # one line per (row, block, group), C order
    total = flat[:, 0].copy()
    for u in range(1, flat.shape[1]):
        total += flat[:, u]
    at = total.nonzero()[0]
    plan: list[list[tuple[int, int, list[int]]]] = [[] for _ in range(n_blocks)]
    for k, units in zip(at.tolist(), flat.take(at, axis=0).tolist(), strict=True):
        row_block, g = divmod(k, n_groups)
        plan[row_block % n_blocks].append((row_block // n_blocks, g, units))
    return plan


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
    return gamma(rng, shape, 1.0 / shape)
