"""What became of hospital demand: met on time, after waiting, late, or not met (U).

Each hospital keeps a :class:`DemandBook`, the one writer of the stockouts table and of the
service table (:func:`service_frame`). The hospital books the demand it draws and what its
shelf issues; the order process books what a delivery for a patient brings
(:func:`book_delivery`). A unit short is in one stockouts row only, whatever happens to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.core.domain import PRODUCTS, Priority, Product, group_label
from sim.state.records import ServiceRecord, Stockout

URGENCY = (Priority.EMERGENCY, Priority.URGENT, Priority.ROUTINE)
"""Priorities in the order patients are served."""


def index_of(codes: list[int]) -> slice | np.ndarray:
    """An index picking ``codes`` in order: a slice when they are consecutive (a view, and
    faster than an index array on small arrays), else an index array."""
    step = 1 if len(codes) < 2 else codes[1] - codes[0]
    if step in (1, -1) and list(codes) == list(range(codes[0], codes[-1] + step, step)):
        return slice(codes[0], None if codes[-1] + step < 0 else codes[-1] + step, step)
    return np.array(codes, np.intp)


def _block_cells() -> tuple:
    """Index of the ``[product, priority]`` cells of a day for ``[PRODUCTS, URGENCY]``."""
    products, urgency = [int(p) for p in PRODUCTS], [int(p) for p in URGENCY]
    index = (index_of(products), index_of(urgency))
    return index if all(isinstance(i, slice) for i in index) else np.ix_(products, urgency)


_BLOCK_CELLS = _block_cells()
OUTCOMES = ("on_time", "waited", "late", "not_met")
"""What became of a unit demanded (columns of the service table, with ``_u``)."""


@dataclass
class Waiting:
    """Routine demand deferred at one hospital for one (product, group)."""

    since: float  # minutes since the start: when it first waited
    day: int  # day of the demand
    units: float  # units still waiting, U
    row: int  # its stockouts row


class DemandBook:
    """One hospital's demand per (day, product, priority) and its outcomes (U).

    Parameters
    ----------
    world : World
        The run's world (stockouts table, clock, site ids, horizon in days).
    site : int
        The hospital's site position.
    """

    def __init__(self, world: object, site: int) -> None:
        self.world, self.site = world, site
        shape = (world.scenario.days + 1, len(Product), len(Priority), 1 + len(OUTCOMES))
        self.units = np.zeros(shape, np.float64)

    def demanded(self, day: int, product: int, priority: int, units: float) -> None:
        """Units demanded on ``day`` (U)."""
        self.units[day, product, priority, 0] += units

    def demanded_block(self, day: int, units: np.ndarray) -> None:
        """Units demanded on ``day`` (U) per ``[product, urgency]``: ``units[i, u]`` of
        product ``PRODUCTS[i]`` at priority ``URGENCY[u]`` (each cell added once)."""
        self.units[day, :, :, 0][_BLOCK_CELLS] += units

    def on_time(self, day: int, product: int, priority: int, units: float) -> None:
        """``units`` (U) of the demand of ``day`` issued at once: :meth:`resolved` with
        outcome ``"on_time"`` and no stockouts row, for ``units`` > 0."""
        self.units[day, product, priority, 1] += units

    def resolved(
        self,
        day: int,
        product: int,
        priority: int,
        outcome: str,
        units: float,
        row: int = -1,
        at: float | None = None,
    ) -> None:
        """``units`` (U) of the demand of ``day`` had ``outcome`` (one of :data:`OUTCOMES`);
        ``row`` is their stockouts row (-1: issued at once), resolved at minute ``at``."""
        if units <= 0:
            return
        self.units[day, product, priority, 1 + OUTCOMES.index(outcome)] += units
        if row >= 0:
            table, column = self.world.logs.stockouts, f"{outcome}_u"
            when = self.world.now if at is None else at
            table.update(row, **{column: table.get(row, column) + units, "resolved_at": when})

    def shortfall(
        self,
        product: int,
        group: tuple[int, int],
        priority: int,
        needed: float,
        short: float,
        outcome: str,
    ) -> int:
        """Record a shortfall now (a stockouts row) and return its row number."""
        world = self.world
        return world.logs.stockouts.add(
            Stockout(
                time=world.now,
                hospital_id=world.site_id(self.site),
                product=Product(product).name,
                group=group_label(*group),
                priority=Priority(priority).name.lower(),
                needed_u=needed,
                short_u=short,
                outcome=outcome,
            )
        )


def book_delivery(
    world: object,
    hospital: int,
    demand: tuple[int, int, int, int],
    wanted: float,
    given: float,
    on_time: bool,
    at: float,
) -> None:
    """A delivery for a patient: ``given`` of ``wanted`` units (U) could be transfused at
    minute ``at``, on time or late; the rest is not met. ``demand`` is ``(day, product,
    priority, stockouts row)`` of the shortfall it serves."""
    book = world.hospitals[hospital].book
    given = min(given, wanted)
    book.resolved(*demand[:3], "on_time" if on_time else "late", given, demand[3], at)
    book.resolved(*demand[:3], "not_met", wanted - given, demand[3], at)


def service_frame(world: object) -> pd.DataFrame:
    """The service table: one row per (day, hospital, product, priority) with demand.

    Columns are the fields of :class:`~sim.state.records.ServiceRecord`; units in U (platelets:
    doses). ``open_u`` = demanded minus every outcome (waiting or in transit at the end).
    """
    sites = sorted(world.hospitals)
    if not sites:
        return pd.DataFrame(columns=list(ServiceRecord._fields))
    h, day, product, priority, cells = _demand_cells([world.hospitals[s].book.units for s in sites])
    frame = pd.DataFrame(
        {
            "day": day.astype(np.int32),
            "hospital_id": _labels(h, [world.site_id(s) for s in sites]),
            "product": pd.Categorical(np.array([p.name for p in Product])[product]),
            "priority": pd.Categorical(np.array([p.name.lower() for p in Priority])[priority]),
            "demanded_u": cells[:, 0],
        }
    )
    for k, outcome in enumerate(OUTCOMES, start=1):
        frame[f"{outcome}_u"] = cells[:, k]
    frame["open_u"] = np.maximum(cells[:, 0] - cells[:, 1:].sum(axis=1), 0.0)
    return frame


def _demand_cells(books: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """``(book, day, product, priority)`` of every cell with demand, in C order, and its
    ``cells`` (demand then outcomes, U): one book at a time, not a stacked copy of all."""
    picked = [(b, np.nonzero(units[..., 0])) for b, units in enumerate(books)]
    index = [np.concatenate([np.full(len(at[0]), b, np.intp) for b, at in picked])]
    index += [np.concatenate([at[k] for _, at in picked]) for k in range(3)]
    cells = np.concatenate([books[b][at] for b, at in picked])
    return (*index, cells)


def _labels(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """``pd.Categorical([names[c] for c in codes])`` (the names used, sorted, as categories)
    without a list of a Python string per row; ``names`` are unique."""
    labels = pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=str))
    labels = labels.remove_unused_categories()
    return labels.set_categories(sorted(labels.categories))
