"""The views read only the columns they draw (issue 12), and a run folder lacking one of them
still gets one line naming the file and the column."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import run
from sim.maps import checks
from sim.maps.errors import MapError
from sim.maps.run_folder import read_run
from sim.reports.errors import ReportError
from sim.reports.run_report import TABLES, read_run_tables
from tests.sim.conftest import TINY_SCENARIO


@pytest.fixture(scope="module")
def run_folder(tiny_dir: Path) -> Path:
    """A two-day run folder of the tiny world (tests/sim/conftest.py)."""
    scenario = tiny_dir / "mem_cli_columns.yaml"
    scenario.write_text(TINY_SCENARIO.format(days=2, seed=4), encoding="utf-8")
    run(scenario, out=tiny_dir / "mem_cli_columns")
    return tiny_dir / "mem_cli_columns"


def test_the_map_reads_only_the_columns_it_checks(run_folder):
    folder = read_run(run_folder)
    on_disk = pd.read_parquet(run_folder / "legs.parquet").columns
    assert len(on_disk) > len(checks.COLUMNS["legs"])  # there are columns to leave out
    for name in ("legs", "stock", "stockouts"):
        assert set(getattr(folder, name).columns) == set(checks.COLUMNS[name])


def test_the_report_reads_only_the_columns_it_draws(run_folder):
    tables = read_run_tables(run_folder)
    for name, columns in TABLES.items():
        assert list(getattr(tables, name).columns) == columns


def without_column(run_folder: Path, tmp_path: Path, table: str, column: str) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run_folder, copy)
    frame = pd.read_parquet(copy / f"{table}.parquet")
    frame.drop(columns=[column]).to_parquet(copy / f"{table}.parquet", index=False)
    return copy


def test_a_map_input_without_a_column_is_one_line(run_folder, tmp_path):
    folder = without_column(run_folder, tmp_path, "legs", "mode")
    with pytest.raises(MapError) as error:
        read_run(folder)
    assert "legs.parquet: missing column mode" in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("table", list(TABLES))
def test_a_report_input_without_a_column_is_one_line(run_folder, tmp_path, table):
    column = TABLES[table][0]
    folder = without_column(run_folder, tmp_path, table, column)
    with pytest.raises(ReportError) as error:
        read_run_tables(folder)
    message = str(error.value)
    assert f"{table}.parquet: missing column {column}" in message
    assert "\n" not in message


FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=60, deadline=None)
@given(st.lists(FLOATS, min_size=1, max_size=30))
def test_a_number_column_is_refused_at_its_first_non_finite_row(values):
    frame = pd.DataFrame({"day": 0, "site_id": "s", "product": "RBC", "units": values})
    bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
    if not bad:
        checked = checks.table(frame, "stock", Path("stock.parquet"))
        assert np.array_equal(checked["units"].to_numpy(), np.array(values))
        return
    with pytest.raises(MapError, match=rf"column units: .* row {bad[0]} holds"):
        checks.table(frame, "stock", Path("stock.parquet"))
