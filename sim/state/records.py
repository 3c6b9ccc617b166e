"""Typed records of a run, one table each, turned into DataFrames after the run.

Each table's columns are declared once, here, as the fields of its record type (plus the
row id column); the README's column tables describe the same columns.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd


class Leg(NamedTuple):
    """One movement by one mode between two places (a row of ``legs.parquet``)."""

    mode: str  # van, drone, rail, external
    purpose: str  # delivery, transfer, samples, collection, positioning, return, import
    from_site: str  # site id (or "other_province")
    to_site: str  # site id
    depart_at: float  # minutes since the scenario start
    arrive_at: float  # minutes since the scenario start
    units: float  # units carried, U
    bags: int  # bags carried
    samples: int  # donation samples carried (to the lab)
    order_id: int  # the order served, -1 if none
    km: float  # distance, km (NaN where unknown)
    cost_yuan: float  # cost of the leg, yuan


class OrderRecord(NamedTuple):
    """One order of a hospital (a row of ``orders.parquet``); later fields filled in as the
    order is shipped, arrives and closes."""

    hospital_id: str
    station_id: str  # the source that fills it
    product: str  # RBC, PLT, FFP, CRYO, FRBC
    group: str  # "O+" ... or "mixed" (routine replenishment)
    priority: str  # routine, urgent, emergency
    quantity_u: float  # units ordered, U
    filled_u: float  # units sent, U
    placed_at: float  # minutes since the scenario start
    required_by: float  # minutes
    shipped_at: float  # minutes (NaN until shipped)
    arrived_at: float  # minutes (NaN until arrived)
    mode: str  # how it travelled ("" until it arrives)
    status: str  # open, filled, partial, unfilled
    level: int  # escalation level of the source (2 own station, 3 region, 4 other province)


class Stockout(NamedTuple):
    """Demand a hospital could not issue from its shelves (a row of ``stockouts.parquet``).

    One row per shortfall (each unit short is in one row only): ``outcome`` says what was
    done when it happened, and the four ``*_u`` columns what became of the units short
    (their sum is ``short_u`` once every unit is resolved; the rest is still open at the
    end of the run).
    """

    time: float  # minutes since the scenario start
    hospital_id: str
    product: str
    group: str
    priority: str
    needed_u: float  # units needed in the block, U
    short_u: float  # units short, U
    outcome: str  # ordered (urgent/emergency order), deferred (routine, waits for the
    # shelf) or patient_order (routine, ordered for the patient: no stock of the group)
    on_time_u: float = 0.0  # ordered and arrived by the required-by time, U
    waited_u: float = 0.0  # deferred, then met from the shelf within its required-by time, U
    late_u: float = 0.0  # ordered and arrived after the required-by time, U
    not_met_u: float = 0.0  # dropped (waited past its required-by time) or never filled, U
    resolved_at: float = float("nan")  # minutes; when the last unit short was resolved


class ServiceRecord(NamedTuple):
    """Demand of one hospital, day, product and priority and what became of it (U); a row
    of the service table. ``open_u`` is demand still waiting or in transit at the end."""

    day: int  # day of the demand (0 = the scenario start)
    hospital_id: str
    product: str
    priority: str  # emergency, urgent, routine
    demanded_u: float  # units demanded, U (platelets: doses)
    on_time_u: float  # issued from the shelf when needed, or ordered and arrived on time
    waited_u: float  # routine: met from the shelf after waiting, within required-by
    late_u: float  # ordered and arrived after the required-by time
    not_met_u: float  # dropped, unfilled, or expired before it could be given
    open_u: float  # still waiting or in transit when the run ended


class StockSnapshot(NamedTuple):
    """Closing available stock of one day, per (site, product) with stock."""

    day: int
    sites: np.ndarray  # site positions
    products: np.ndarray  # product codes
    units: np.ndarray  # units, U


class Table:
    """Append-only table of one record type (one Python list per column).

    Parameters
    ----------
    record : NamedTuple type
        The row type; its fields are the columns after ``id_column``.
    id_column : str, optional
        A first column holding the row number (``leg_id``, ``order_id``).
    """

    def __init__(self, record: type[NamedTuple], id_column: str | None = None) -> None:
        self.record = record
        self.id_column = id_column
        self.columns = ((id_column,) if id_column else ()) + tuple(record._fields)
        self._data: list[list] = [[] for _ in self.columns]
        self._fields = {name: self._data[self.columns.index(name)] for name in record._fields}

    def add(self, row: NamedTuple) -> int:
        """Append one record; returns its row number."""
        if not isinstance(row, self.record):
            raise TypeError(f"expected a {self.record.__name__}, got {type(row).__name__}")
        number = len(self._data[0])
        values = (number, *row) if self.id_column else row
        any(map(list.append, self._data, values))  # one append per column, no Python loop
        return number

    def update(self, row: int, **values: Any) -> None:
        """Overwrite fields of one row (e.g. an order's arrival once it is known)."""
        for name, value in values.items():
            column = self._fields.get(name)
            if column is None:
                raise KeyError(f"{self.record.__name__} has no field {name!r}")
            column[row] = value

    def get(self, row: int, column: str) -> object:
        """Read one cell."""
        return self._data[self.columns.index(column)][row]

    def __len__(self) -> int:
        return len(self._data[0])

    def frame(self) -> pd.DataFrame:
        """The records as a DataFrame."""
        return pd.DataFrame(dict(zip(self.columns, self._data, strict=True)))


LEG_COLUMNS = ("leg_id", *Leg._fields)
ORDER_COLUMNS = ("order_id", *OrderRecord._fields)
STOCKOUT_COLUMNS = Stockout._fields
SERVICE_COLUMNS = ServiceRecord._fields
