"""Property tests of the run-folder checks: any value is accepted as valid or is a MapError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.maps import MapError, checks

FILE = Path("run/kpis.json")
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)  # fmt: skip
VALID = {"scenario": "s.yaml", "start": "2025-03-03", "days": 2, "region": "tiny"}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(VALID)), VALUES | st.sampled_from(["2025-13-01", "9999-12-31"]))
def test_any_provenance_value_is_checked(key, value):
    try:
        provenance = checks.provenance({**VALID, key: value}, FILE)
    except MapError as exc:
        assert str(exc).startswith(f"{FILE}: provenance")
        assert "\n" not in str(exc)
        return
    assert 1 <= provenance.days <= checks.MAX_DAYS and provenance.start.year >= 1


COLUMN = st.sampled_from(sorted(checks.COLUMNS["legs"]))
CELLS = st.sampled_from([np.nan, np.inf, -1.0, 0.0, 5.0, 1e300, "x", None, True])


def legs(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {"leg_id": range(rows), "mode": "van", "purpose": "replenishment", "from_site": "a",
         "to_site": "b", "depart_at": 10.0, "arrive_at": 40.0, "units": 4.0, "samples": 0}
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(COLUMN, st.integers(0, 2), CELLS)
def test_any_legs_cell_is_checked(column, row, value):
    numeric = isinstance(value, float) and checks.COLUMNS["legs"][column] == checks.NUMBER
    frame = legs().astype({column: float if numeric else object})  # object: an edited file
    frame.loc[row, column] = value
    try:
        checked = checks.table(frame, "legs", FILE)
        checks.leg_times(checked, 2, FILE)
    except MapError as exc:
        assert str(exc).startswith(f"{FILE}: ") and "\n" not in str(exc)
        return
    numbers = checked[["depart_at", "arrive_at", "units", "samples"]].to_numpy(dtype=float)
    assert np.isfinite(numbers).all() and (numbers >= 0).all()
