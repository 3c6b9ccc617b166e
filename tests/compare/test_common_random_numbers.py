"""Replication i of every policy sees the same demand and donors; replications differ."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.compare import Comparison, compare, replication_seeds
from sim.compare.flatten import flatten_kpis
from sim.execution.runner import run
from tests.compare.conftest import DAYS, POLICIES, REPS


def _shared_columns(frame: pd.DataFrame) -> list[str]:
    prefixes = ("units_demanded.", "units_collected.")
    return [c for c in frame.columns if c.startswith(prefixes)]


def _policy(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame[frame["policy"] == label].reset_index(drop=True)


def test_same_replication_same_demand_and_donors(serial: Comparison):
    table = serial.replications
    columns = _shared_columns(table)
    assert any(c.startswith("units_demanded.") for c in columns)
    first, second = (_policy(table, label) for label in POLICIES)
    pd.testing.assert_frame_equal(first[["replication", "seed", *columns]],
                                  second[["replication", "seed", *columns]])  # fmt: skip


def test_different_replications_differ(serial: Comparison):
    table = _policy(serial.replications, POLICIES[0])
    columns = _shared_columns(table)
    assert table["seed"].nunique() == REPS
    assert not table.loc[0, columns].equals(table.loc[1, columns])


def test_table_shapes(serial: Comparison):
    table = serial.replications
    assert list(table.columns[:3]) == ["policy", "replication", "seed"]
    assert list(table["policy"]) == [p for p in POLICIES for _ in range(REPS)]
    assert list(table["replication"]) == list(range(REPS)) * len(POLICIES)
    assert "emergency_lead_time_min.p90" in table.columns
    assert "provenance.seed" not in table.columns
    kpis = len(table.columns) - 3
    assert len(serial.summary) == len(POLICIES) * kpis
    assert list(serial.summary.columns) == ["policy", "kpi", "mean", "ci_low", "ci_high"]
    assert len(serial.paired) == (len(POLICIES) - 1) * kpis
    assert set(serial.paired["baseline"]) == {POLICIES[0]}


def test_each_row_is_an_independent_run(serial: Comparison, tiny_path: Path):
    seed = replication_seeds(11, REPS)[1]
    kpis = flatten_kpis(
        run(tiny_path, seed=seed, days=DAYS, policies={"dispatch": "drone_first"}).kpis
    )
    row = _policy(serial.replications, "drone_first").iloc[1]
    assert row["seed"] == seed
    for name, value in kpis.items():
        assert row[name] == pytest.approx(value, nan_ok=True), name


def test_summary_is_the_mean_of_replications(serial: Comparison):
    table = _policy(serial.replications, POLICIES[0])
    summary = serial.summary.set_index(["policy", "kpi"])
    mean = summary.loc[(POLICIES[0], "units_collected.total"), "mean"]
    assert mean == pytest.approx(table["units_collected.total"].mean())


def test_policies_that_change_logistics_still_share_demand(tiny_path: Path):
    result = compare(tiny_path, ["ground_only", "routing=vrp"], reps=2)
    table = result.replications
    base, vrp = (_policy(table, label) for label in ("ground_only", "routing=vrp"))
    columns = _shared_columns(table)
    pd.testing.assert_frame_equal(base[columns], vrp[columns])
    assert not base["legs_by_mode.van.km"].equals(vrp["legs_by_mode.van.km"])
