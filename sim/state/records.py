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


CHUNK_ROWS = 4096
"""Rows a table gathers in Python lists before it packs them into NumPy arrays."""


class Table:
    """Append-only table of one record type, columnar.

    Rows are appended to one Python list per column (fast); every :data:`CHUNK_ROWS` rows
    each column's values are packed into a NumPy array where they are all Python ints
    (int64) or floats and ints (float64), so a year's legs and orders take 8 bytes a cell
    instead of a Python object each; other values (strings) stay in lists. The DataFrame
    is the one pandas builds from the values in lists (same dtypes): a column whose chunks
    are all arrays is their concatenation (float64 if any is), any other column goes to
    pandas as one list of the values.

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
        self._data: list[list] = [[] for _ in self.columns]  # rows since the last pack
        self._packed: list[list] = [[] for _ in self.columns]  # chunks (arrays or lists)
        self._n_packed = 0  # rows in the packed chunks
        self._index = {name: i for i, name in enumerate(self.columns)}
        self._fields = len(record._fields)

    def add(self, row: NamedTuple) -> int:
        """Append one record; returns its row number."""
        if not isinstance(row, self.record):
            raise TypeError(f"expected a {self.record.__name__}, got {type(row).__name__}")
        return self.add_values(row)

    def add_values(self, row: tuple) -> int:
        """:meth:`add` of one record given as the plain tuple of its field values, in the
        record's field order (no record made on a hot path: the same row); returns its row
        number.

        Raises
        ------
        ValueError
            If the tuple does not hold one value per field.
        """
        if len(row) != self._fields:
            raise ValueError(
                f"a {self.record.__name__} row needs {self._fields} values, got {len(row)}"
            )
        number = self._n_packed + len(self._data[0])
        values = (number, *row) if self.id_column else row
        any(map(list.append, self._data, values))  # one append per column, no Python loop
        if len(self._data[0]) == CHUNK_ROWS:
            self._pack()
        return number

    def _pack(self) -> None:
        """Move the rows gathered in lists into one chunk per column."""
        for column, chunks in zip(self._data, self._packed, strict=True):
            chunks.append(_packed(column))
        self._n_packed += len(self._data[0])
        self._data = [[] for _ in self.columns]

    def update(self, row: int, **values: Any) -> None:
        """Overwrite fields of one row (e.g. an order's arrival once it is known)."""
        recent = row - self._n_packed  # position among the rows not packed yet
        for name, value in values.items():
            column = self._index.get(name)
            if column is None or name == self.id_column:
                raise KeyError(f"{self.record.__name__} has no field {name!r}")
            if recent >= 0:
                self._data[column][recent] = value  # IndexError beyond the last row
                continue
            cells, position = self._cell(row, column)
            if isinstance(cells, np.ndarray) and type(value) is not _TYPE_OF[cells.dtype.char]:
                cells = self._packed[column][row // CHUNK_ROWS] = cells.tolist()  # as lists
            cells[position] = value

    def get(self, row: int, column: str) -> object:
        """Read one cell (a Python object; an int in a packed float column reads as float)."""
        cells, position = self._cell(row, self._index[column])
        value = cells[position]
        return value.item() if isinstance(value, np.generic) else value

    def _cell(self, row: int, column: int) -> tuple[Any, int]:
        """(list or array, position in it) of one cell."""
        if not 0 <= row < len(self):
            raise IndexError(f"row {row} outside 0..{len(self) - 1}")
        if row >= self._n_packed:
            return self._data[column], row - self._n_packed
        chunk, position = divmod(row, CHUNK_ROWS)
        return self._packed[column][chunk], position

    def __len__(self) -> int:
        return self._n_packed + len(self._data[0])

    def frame(self) -> pd.DataFrame:
        """The records as a DataFrame."""
        data = {}
        for name, chunks, rest in zip(self.columns, self._packed, self._data, strict=True):
            data[name] = _joined([*chunks, _packed(rest)] if rest else chunks)
        return pd.DataFrame(data)


_TYPE_OF = {"q": int, "l": int, "d": float}  # dtype char of a packed chunk -> its values' type


def _packed(values: list) -> np.ndarray | list:
    """``values`` as an int64 array (all ints), a float64 array (floats and ints), or
    the list itself."""
    types = set(map(type, values))
    if not types or not types <= {int, float}:
        return values
    try:
        return np.array(values, np.float64 if float in types else np.int64)
    except OverflowError:  # an int beyond int64: pandas keeps it as an object
        return values


def _joined(chunks: list) -> np.ndarray | list:
    """One column from its chunks: the arrays joined, or all values in one list."""
    if chunks and all(isinstance(chunk, np.ndarray) for chunk in chunks):
        return np.concatenate(chunks)
    return [value for chunk in chunks for value in _values(chunk)]


def _values(chunk: np.ndarray | list) -> list:
    """Python values of a chunk."""
    return chunk.tolist() if isinstance(chunk, np.ndarray) else chunk


LEG_COLUMNS = ("leg_id", *Leg._fields)
ORDER_COLUMNS = ("order_id", *OrderRecord._fields)
STOCKOUT_COLUMNS = Stockout._fields
SERVICE_COLUMNS = ServiceRecord._fields
