"""Run folders and a comparison of the tiny world (tests/sim), with a mass casualty.

The casualties (40) make emergency orders but no import from another province: the map
writer does not yet place the `other_province` site of import legs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sim import run
from sim.compare import Comparison, compare
from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

POLICIES = ["ground_only", "drone_first"]
REPS = 2
DAYS = 2
MCI = """\
events:
  - {type: mass_casualty, name: bus crash, start: 2025-03-03T09:00, end: 2025-03-03T15:00,
     lat: 30.2, lon: 120.3, casualties: 40}
"""
OFF_MACHINE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="session")
def tiny_scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-day tiny-world scenario with a mass casualty, next to its region folder."""
    root = tmp_path_factory.mktemp("reports")
    write_tiny_region(root / "tiny_region")
    path = root / "tiny_mci.yaml"
    path.write_text(TINY_SCENARIO.format(days=DAYS, seed=3) + MCI, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_run(tiny_scenario_file: Path) -> Path:
    """A run folder of the tiny world."""
    folder = tiny_scenario_file.parent / "run"
    run(tiny_scenario_file, out=folder)
    return folder


@pytest.fixture(scope="session")
def tiny_comparison(tiny_scenario_file: Path) -> Comparison:
    """Two policies × two replications of the tiny world, serially."""
    return compare(tiny_scenario_file, POLICIES, reps=REPS)


class Links(HTMLParser):
    """Every src/href-like attribute of a page's tags (not inside iframe srcdoc)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "data")]


def parse(page: Path) -> Links:
    """The page's tags and links."""
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def off_machine(page: Path) -> list[str]:
    """URLs in the page that a browser would fetch from another machine."""
    return [url for url in parse(page).links if OFF_MACHINE.match(url)]
