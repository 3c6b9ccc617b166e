"""A run folder of the tiny world (tests/sim) with a mass casualty, and copies to edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim import run
from tests.sim.conftest import TINY_SCENARIO

MCI = """\
events:
  - {type: mass_casualty, name: bus crash, start: 2025-03-04T09:00, end: 2025-03-04T15:00,
     lat: 30.2, lon: 120.3, casualties: 40}
"""


@pytest.fixture(scope="session")
def tiny_run(tiny_dir: Path) -> Path:
    """A 3-day run folder of the tiny world (region ``tiny_region``: no shipped reference)."""
    scenario = tiny_dir / "calibration_mci.yaml"
    scenario.write_text(TINY_SCENARIO.format(days=3, seed=3) + MCI, encoding="utf-8")
    folder = tiny_dir / "calibration_run"
    run(scenario, out=folder)
    return folder


@pytest.fixture
def run_copy(tiny_run: Path, tmp_path: Path):
    """Factory: a copy of the tiny run folder, its ``kpis.json`` provenance region replaced."""

    def make(region: str = "zhejiang") -> Path:
        folder = tmp_path / f"run_{region}"
        shutil.copytree(tiny_run, folder, ignore=shutil.ignore_patterns("*.html"))
        kpis = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
        kpis["provenance"]["region"] = region
        (folder / "kpis.json").write_text(json.dumps(kpis), encoding="utf-8")
        return folder

    return make
