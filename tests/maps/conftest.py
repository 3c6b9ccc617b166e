"""A tiny run folder (the tests/sim fixture world, two days, two events) and its map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim import run
from sim.maps import COUNTS_ID, write_map
from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

EVENTS = """\
events:
  - {type: mass_casualty, name: bus crash, start: 2025-03-03T09:00, end: 2025-03-03T15:00,
     lat: 30.2, lon: 120.3, casualties: 12}
  - {type: road_closure, name: bridge works, start: 2025-03-03T00:00, end: 2025-03-04T00:00,
     polygon: [[120.28, 30.12], [120.34, 30.12], [120.34, 30.18], [120.28, 30.18]]}
"""
COUNTS = re.compile(rf'<script type="application/json" id="{COUNTS_ID}">(.*?)</script>')


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder of the tiny world: 2 days, a mass casualty and a road closure."""
    root = tmp_path_factory.mktemp("maps")
    write_tiny_region(root / "tiny_region")
    scenario = root / "tiny_map.yaml"
    scenario.write_text(TINY_SCENARIO.format(days=2, seed=3) + EVENTS, encoding="utf-8")
    run(scenario, out=root / "run")
    return root / "run"


@pytest.fixture(scope="session")
def tiny_map(tiny_run: Path) -> Path:
    """The tiny run's map, written to the default place (``run/map.html``)."""
    return write_map(tiny_run)


def embedded_counts(page: Path) -> dict:
    """The counts the map code embedded in the page."""
    match = COUNTS.search(page.read_text(encoding="utf-8"))
    assert match, "no counts element in the page"
    return json.loads(match.group(1))
