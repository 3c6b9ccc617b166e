"""A mass-casualty incident needs hospitals that can receive its casualties."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from sim.scenario import ScenarioError, load_scenario
from tests.sim.conftest import COLUMNS, TINY_SCENARIO, TINY_SITES

MCI = """\
events:
  - type: mass_casualty
    name: bus crash
    start: 2025-03-04 08:00
    end: 2025-03-04 20:00
    lat: 30.2
    lon: 120.2
    casualties: 40
"""


def _region(folder, tier: str, beds: int):
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in TINY_SITES]
    for row in rows:
        if row["kind"] == "hospital":
            row["tier"], row["beds"] = tier, beds
    frame = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in rows],
        geometry=[Point(r["lon"], r["lat"]) for r in rows],
        crs="EPSG:4326",
    )
    folder.mkdir()
    frame.to_file(folder / "sites.geojson", driver="GeoJSON")


@pytest.mark.parametrize(("tier", "beds"), [("county", 300), ("tertiary", 0)])
def test_an_incident_without_receiving_hospitals_is_refused(tmp_path, tier, beds):
    _region(tmp_path / "tiny_region", tier, beds)
    path = tmp_path / "mci.yaml"
    path.write_text(TINY_SCENARIO.format(days=3, seed=1) + MCI, encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert [p.path for p in error.value.problems] == ["events.0"]
    assert "no tertiary or secondary hospital with beds" in str(error.value)


def test_the_same_incident_loads_where_hospitals_receive(tmp_path):
    _region(tmp_path / "tiny_region", "tertiary", 800)
    path = tmp_path / "mci.yaml"
    path.write_text(TINY_SCENARIO.format(days=3, seed=1) + MCI, encoding="utf-8")
    assert len(load_scenario(path).scenario.events) == 1
