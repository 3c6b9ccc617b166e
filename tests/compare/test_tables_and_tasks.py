"""Comparison tables from replication rows; tasks run serially and load a scenario once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.compare.errors import CompareError
from sim.compare.execute import execute
from sim.compare.tables import kpi_columns, paired_frame, replications_frame, summary_frame
from sim.compare.tasks import Task, load_cached, run_task

ROWS = [
    {"policy": "b", "replication": 1, "seed": 11, "x": 4.0},
    {"policy": "a", "replication": 1, "seed": 11, "x": 2.0},
    {"policy": "a", "replication": 0, "seed": 10, "x": 1.0},
    {"policy": "b", "replication": 0, "seed": 10, "x": 2.0},
]


def test_replications_are_ordered_by_the_given_labels_then_replication() -> None:
    frame = replications_frame(ROWS, ["a", "b"])
    assert list(frame.columns) == ["policy", "replication", "seed", "x"]
    assert frame[["policy", "replication"]].values.tolist() == [
        ["a", 0], ["a", 1], ["b", 0], ["b", 1]
    ]  # fmt: skip
    assert kpi_columns(frame) == ["x"]


def test_summary_and_paired_differences_against_the_first_policy() -> None:
    frame = replications_frame(ROWS, ["a", "b"])
    summary = summary_frame(frame)
    assert summary[["policy", "kpi", "mean"]].values.tolist() == [["a", "x", 1.5], ["b", "x", 3.0]]
    paired = paired_frame(frame)
    assert paired[["policy", "baseline", "kpi", "mean_diff"]].values.tolist() == [
        ["b", "a", "x", 1.5]
    ]
    assert paired.ci_low[0] <= 1.5 <= paired.ci_high[0]


def test_tasks_run_serially_with_progress(tiny_path: Path) -> None:
    tasks = [
        Task("ground", r, str(tiny_path), (("dispatch", "ground_only"),), 100 + r, 1)
        for r in range(2)
    ]
    calls = []
    rows = execute(tasks, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    assert [(row["policy"], row["replication"], row["seed"]) for row in rows] == [
        ("ground", 0, 100),
        ("ground", 1, 101),
    ]
    assert rows[0] == run_task(tasks[0])  # same seed, same KPIs


def test_a_scenario_is_loaded_once_per_file_version(tiny_path: Path, tmp_path: Path) -> None:
    assert load_cached(tiny_path) is load_cached(str(tiny_path))
    with pytest.raises(CompareError, match="missing.yaml"):
        run_task(Task("x", 0, str(tmp_path / "missing.yaml"), (), 1, 1))
