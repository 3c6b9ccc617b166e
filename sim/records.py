"""Flat typed records collected during a run and turned into DataFrames afterwards."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


class Recorder:
    """Append-only table with fixed columns (one Python list per column).

    Parameters
    ----------
    columns : sequence of str
        Column names, in order; :meth:`add` takes values in the same order.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self._data: list[list] = [[] for _ in self.columns]

    def add(self, *values: object) -> int:
        """Append one row; returns its row number."""
        if len(values) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} values, got {len(values)}")
        for column, value in zip(self._data, values, strict=True):
            column.append(value)
        return len(self._data[0]) - 1

    def set(self, row: int, column: str, value: object) -> None:
        """Overwrite one cell (e.g. an order's arrival time once it is known)."""
        self._data[self.columns.index(column)][row] = value

    def get(self, row: int, column: str) -> object:
        """Read one cell."""
        return self._data[self.columns.index(column)][row]

    def __len__(self) -> int:
        return len(self._data[0])

    def frame(self) -> pd.DataFrame:
        """The records as a DataFrame."""
        return pd.DataFrame(dict(zip(self.columns, self._data, strict=True)))
