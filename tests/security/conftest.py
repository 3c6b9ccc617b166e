"""A tiny world whose names are hostile: HTML and JavaScript payloads in every text field.

Each payload, if the page ran it, sets ``window.__pwned`` (to the payload's number) or changes
``document.title``; the browser test checks that neither happened and that every name is shown
as the literal text the region and scenario files hold.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from sim import run
from tests.sim.conftest import COLUMNS, TINY_SCENARIO, TINY_SITES

PAYLOADS = {
    "site_name": "</script><script>window.__pwned=1;document.title='pwned'</script>",
    "city": '<img src=x onerror="window.__pwned=2">',
    "hospital_name": "${window.__pwned=3}`;window.__pwned=3;`<b onmouseover=x>",
    "site_id": "h_b<svg/onload=window.__pwned=4>",
    "zone_name": "<svg onload=window.__pwned=5>zone",
    "zone_reason": "</script><img src=x onerror=window.__pwned=6>",
    "event_name": "`;window.__pwned=7;`${window.__pwned=7}</script><script>window.__pwned=7</script>",  # noqa: E501
    "scenario_name": "<script>window.__pwned=8</script>drill",
}


def write_hostile_region(folder: Path) -> Path:
    """The tiny region with hostile site names, a city, a site id and a no-fly zone."""
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in TINY_SITES]
    rows[0]["name"] = PAYLOADS["site_name"]  # the blood station
    rows[0]["city"] = PAYLOADS["city"]
    rows[3]["name"] = PAYLOADS["hospital_name"]
    rows[4]["site_id"] = PAYLOADS["site_id"]
    sites = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in rows],
        geometry=[Point(r["lon"], r["lat"]) for r in rows],
        crs="EPSG:4326",
    )
    zone = Polygon([(120.5, 30.4), (120.6, 30.4), (120.6, 30.5), (120.5, 30.5)])
    no_fly = gpd.GeoDataFrame(
        {"zone_id": ["z1"], "name": [PAYLOADS["zone_name"]], "reason": [PAYLOADS["zone_reason"]]},
        geometry=[zone],
        crs="EPSG:4326",
    )
    folder.mkdir(parents=True, exist_ok=True)
    sites.to_file(folder / "sites.geojson", driver="GeoJSON")
    no_fly.to_file(folder / "no_fly.geojson", driver="GeoJSON")
    return folder


def hostile_scenario(folder: Path) -> Path:
    """A two-day scenario of the hostile region with a mass casualty and a road closure."""
    name = PAYLOADS["scenario_name"]
    event = PAYLOADS["event_name"]
    text = TINY_SCENARIO.format(days=2, seed=3).replace("name: tiny world", f"name: {name!r}")
    text = text.replace("region: tiny_region", "region: hostile_region")
    text += (
        "events:\n"
        f"  - {{type: mass_casualty, name: {event!r}, start: 2025-03-03T09:00,\n"
        "     end: 2025-03-03T15:00, lat: 30.2, lon: 120.3, casualties: 12}\n"
        f"  - {{type: road_closure, name: {event!r}, start: 2025-03-03T00:00,\n"
        "     end: 2025-03-04T00:00,\n"
        "     polygon: [[120.28, 30.12], [120.34, 30.12], [120.34, 30.18], [120.28, 30.18]]}\n"
    )
    write_hostile_region(folder / "hostile_region")
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile_scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile scenario file, next to its region folder."""
    return hostile_scenario(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def hostile_run(hostile_scenario_file: Path) -> Path:
    """A run folder of the hostile world, with ``map.html`` and ``report.html``."""
    out = hostile_scenario_file.parent / "run"
    run(hostile_scenario_file, out=out)
    return out
