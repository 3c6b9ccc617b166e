"""Replication 0 of each arm can write its run folder during the comparison (no rerun after
it): the same tables, and the same files as a run of that seed into a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.compare import CompareError, Comparison, compare
from sim.execution.runner import run
from sim.workflows.run import render_views
from tests.compare.conftest import DAYS, POLICIES, REPS, assert_same_tables

TABLES = ("ledger.parquet", "orders.parquet", "legs.parquet", "stockouts.parquet", "kpis.json")


def _assert_folder_is_the_run(folder: Path, tiny_path: Path, policy: str, seed: int, tmp: Path):
    plain = tmp / f"plain-{policy}"
    run(tiny_path, seed=seed, days=DAYS, policies={"dispatch": policy}, out=plain)
    for name in TABLES:
        assert (folder / name).read_bytes() == (plain / name).read_bytes(), name
    assert (folder / "map.html").is_file() and (folder / "report.html").is_file()


@pytest.mark.parametrize("workers", [None, 2])
def test_first_runs_write_replication_zero_and_keep_the_tables(
    serial: Comparison, tiny_path: Path, tmp_path: Path, workers: int | None
):
    folders = {policy: tmp_path / "runs" / policy for policy in POLICIES}
    result = compare(
        tiny_path, POLICIES, reps=REPS, workers=workers, first_runs=folders,
        render=render_views,
    )  # fmt: skip
    assert_same_tables(result, serial)
    seed = int(serial.replications["seed"].iloc[0])
    for policy, folder in folders.items():
        _assert_folder_is_the_run(folder, tiny_path, policy, seed, tmp_path)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == sorted(POLICIES)


def test_first_runs_of_some_arms_only(serial: Comparison, tiny_path: Path, tmp_path: Path):
    result = compare(tiny_path, POLICIES, reps=REPS, first_runs={POLICIES[1]: tmp_path / "b"})
    assert_same_tables(result, serial)
    assert [p.name for p in tmp_path.iterdir()] == ["b"]
    assert not (tmp_path / "b" / "map.html").exists()  # no views asked for


def test_first_runs_name_arms_of_the_comparison(tiny_path: Path, tmp_path: Path):
    with pytest.raises(CompareError, match=r"first_runs: \['multimodal'\] are not arms"):
        compare(tiny_path, POLICIES, reps=1, first_runs={"multimodal": tmp_path / "m"})
    assert list(tmp_path.iterdir()) == []
