"""``bloodflow region PATH`` on bad region files: one line per problem on stderr, exit 2, no
traceback (the command turns GeodataError into lines; load_region lets nothing else escape)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from tests.geodata.test_invalid_region import CASES
from tests.geodata.tiny import tiny_documents, write_region

runner = CliRunner()
SAMPLE = [
    "1e15 beds",
    "EPSG:3857 metres",
    "swapped lon/lat",
    "far site (no outline)",
    "duplicate id",
    "not UTF-8",
    "speed 1e-300",
    "road truncated",
    "rail faster than HSR",
    "projected outline",
]


@pytest.mark.parametrize("case", SAMPLE)
def test_region_command_prints_one_line(tmp_path: Path, case: str) -> None:
    docs = tiny_documents()
    CASES[case][0](docs)
    folder = write_region(tmp_path / "region", docs)
    result = runner.invoke(app, ["region", str(folder)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(folder))


def test_region_command_lists_every_bad_row(tmp_path: Path) -> None:
    docs = tiny_documents()
    for feature in docs["sites.geojson"]["features"][:3]:
        feature["properties"]["beds"] = "lots"
    result = runner.invoke(app, ["region", str(write_region(tmp_path / "region", docs))])
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 3
    assert all("field 'beds'" in line and "'lots'" in line for line in lines)
