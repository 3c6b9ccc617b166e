"""Fixtures: the tiny world as a scenario file, and one serial comparison shared by tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.compare import Comparison, compare
from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

POLICIES = ["ground_only", "drone_first"]
REPS = 2
DAYS = 1


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-day tiny-world scenario file next to its region folder."""
    root = tmp_path_factory.mktemp("compare")
    write_tiny_region(root / "tiny_region")
    path = root / "tiny.yaml"
    path.write_text(TINY_SCENARIO.format(days=DAYS, seed=11), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def serial(tiny_path: Path) -> Comparison:
    """Two policies on two replications, run serially in-process."""
    return compare(tiny_path, POLICIES, reps=REPS)


def assert_same_tables(a: Comparison, b: Comparison) -> None:
    """The replications, summary and paired tables of two comparisons are equal exactly."""
    for name in ("replications", "summary", "paired"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
