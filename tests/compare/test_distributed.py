"""A Dask run gives exactly the serial tables, with progress reported."""

from __future__ import annotations

from pathlib import Path

import dask
import distributed  # noqa: F401  (its default settings, read below)
import pytest

from sim.compare.api import compare
from sim.compare.errors import CompareError
from sim.compare.execute import _client
from sim.compare.result import Comparison
from tests.compare.conftest import POLICIES, REPS, assert_same_tables


def test_threaded_local_cluster_equals_serial(serial: Comparison, tiny_path: Path):
    calls: list[tuple[int, int]] = []
    result = compare(
        tiny_path, POLICIES, reps=REPS, workers=2, progress=lambda d, t: calls.append((d, t)),
        _processes=False,
    )  # fmt: skip
    assert_same_tables(result, serial)
    total = len(POLICIES) * REPS
    assert calls == [(i, total) for i in range(1, total + 1)]


def test_process_local_cluster_equals_serial(serial: Comparison, tiny_path: Path):
    assert_same_tables(compare(tiny_path, POLICIES, reps=REPS, workers=2), serial)


def test_workers_and_scheduler_are_exclusive(tiny_path: Path):
    with pytest.raises(CompareError, match="together"):
        compare(tiny_path, POLICIES, reps=1, workers=2, scheduler="tcp://127.0.0.1:1")


def test_local_cluster_workers_do_not_sample_the_running_task():
    """The workers' profiler (a stack sample every 10 ms) is off on a local cluster, and the
    caller's own Dask settings are as they were afterwards."""
    key = "distributed.worker.profile.enabled"
    before = dask.config.get(key)
    with _client(2, None, processes=True) as client:
        seen = client.run(dask.config.get, key)
    assert list(seen.values()) == [False, False]
    assert dask.config.get(key) == before
