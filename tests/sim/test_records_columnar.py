"""A table packs its numeric columns into arrays, and its DataFrame is the one pandas builds
from the same values in Python lists (the simple reference): same dtypes, same values."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.state import records
from sim.state.records import Table


class Row(NamedTuple):
    name: str
    amount: float
    count: int


values = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=2),
)
rows = st.lists(st.tuples(st.sampled_from(["a", "b"]), values, st.integers(0, 9)), max_size=40)
updates = st.lists(st.tuples(st.integers(0, 39), values), max_size=5)


@settings(max_examples=150, deadline=None)
@given(rows=rows, updates=updates, chunk=st.integers(1, 8), numeric=st.booleans())
def test_table_frame_is_the_frame_of_the_lists(rows, updates, chunk, numeric) -> None:
    if numeric:  # the usual case: numbers only in the numeric columns
        rows = [(n, v if isinstance(v, float | int) else 1.5, c) for n, v, c in rows]
        updates = [(r, v) for r, v in updates if isinstance(v, float | int)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(records, "CHUNK_ROWS", chunk)
        table, reference = Table(Row, "row_id"), [list(row) for row in rows]
        for row in rows:
            table.add(Row(*row))
        for r, value in updates:
            if r < len(rows):
                table.update(r, amount=value)
                reference[r][1] = value
                assert table.get(r, "amount") == value or value != value  # NaN
        frame = table.frame()
    lists = {"row_id": list(range(len(rows)))}
    for i, name in enumerate(Row._fields):
        lists[name] = [row[i] for row in reference]
    expected = pd.DataFrame(lists)
    assert frame.dtypes.tolist() == expected.dtypes.tolist()
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)


def test_packed_columns_are_arrays_and_cells_stay_readable(monkeypatch) -> None:
    monkeypatch.setattr(records, "CHUNK_ROWS", 2)
    table = Table(Row)
    for i in range(5):
        table.add(Row("a", i + 0.5, i))
    assert isinstance(table._packed[1][0], np.ndarray) and len(table._packed[1]) == 2
    assert table.get(1, "count") == 1 and type(table.get(1, "count")) is int
    table.update(0, count=2.5)  # a float in an int column: as pandas would see the lists
    assert table.frame()["count"].tolist() == [2.5, 1, 2, 3, 4]
    with pytest.raises(IndexError):
        table.get(5, "count")
