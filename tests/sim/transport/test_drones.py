"""Drones: loads split into sorties within the payload, one leg per sortie, weather holds."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from sim.build import make_world
from sim.core.domain import Product, UnitState
from sim.scenario import load_scenario
from sim.transport.drones import grounding_windows
from tests.sim.conftest import COLUMNS, TINY_SCENARIO, TINY_SITES

PORTS = [  # site_id, lon, lat, host
    ("dp_a", 120.20, 30.25, "bs_a"),
    ("dp_b", 120.18, 30.22, "h_a"),
]
DRONES = """\
fleet:
  drones: {{per_port: 1, payload_kg: {payload}, turnaround_min: 5}}
events:
  - {{type: drone_grounding, start: 2025-03-04T00:00, end: 2025-03-04T06:00, wind_ms: 20}}
  - {{type: drone_grounding, start: 2025-03-05T00:00, end: 2025-03-05T06:00, wind_ms: 5}}
"""


@pytest.fixture(scope="module")
def drone_region(tmp_path_factory) -> object:
    folder = tmp_path_factory.mktemp("drones")
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in TINY_SITES]
    rows += [
        {"site_id": s, "kind": "drone_port", "name": s, "city": "A", "lon": x, "lat": y,
         "host_site_id": host}
        for s, x, y, host in PORTS
    ]  # fmt: skip
    frame = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in rows],
        geometry=[Point(r["lon"], r["lat"]) for r in rows],
        crs="EPSG:4326",
    )
    (folder / "tiny_region").mkdir()
    frame.to_file(folder / "tiny_region" / "sites.geojson", driver="GeoJSON")
    return folder


def _world(folder, payload: float = 5.0):
    path = folder / f"drones_{payload}.yaml"
    text = TINY_SCENARIO.format(days=3, seed=1) + DRONES.format(payload=payload)
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    return make_world(loaded.scenario, loaded.region, 1)


def _bags(world, products: list[Product], site: int) -> np.ndarray:
    return np.concatenate(
        [world.new_bags(p, 0, 1, np.zeros(1), site, UnitState.AVAILABLE) for p in products]
    )


def test_only_winds_above_the_limit_ground_the_drones(drone_region) -> None:
    world = _world(drone_region)
    day = 1440.0
    assert grounding_windows(world) == [(day, day + 360.0)]
    assert world.drones.grounded(day + 300.0, day + 400.0)
    assert not world.drones.grounded(0.0, day)  # the end of a window is open
    assert not world.drones.grounded(2 * day, 2 * day + 60.0)


def test_sorties_fit_the_payload_in_ledger_order(drone_region) -> None:
    world = _world(drone_region, payload=0.7)
    station = world.sites.position("bs_a")
    ids = _bags(world, [Product.RBC] * 5, station)
    kg = world.drones.bag_kg[Product.RBC]
    per_sortie = int(0.7 // kg)
    loads = world.drones.sorties(ids)
    assert np.concatenate(loads).tolist() == ids.tolist()
    assert [len(load) for load in loads[:-1]] == [per_sortie] * (len(loads) - 1)
    assert all(kg * len(load) <= 0.7 + 1e-9 for load in loads)


def test_a_flight_records_one_leg_per_sortie_and_the_way_back(drone_region) -> None:
    world = _world(drone_region)
    station, hospital = world.sites.position("bs_a"), world.sites.position("h_a")
    ids = _bags(world, [Product.PLT, Product.PLT], station)
    minutes = world.drones.flight_min(station, hospital)
    assert np.isfinite(minutes)
    assert world.drones.can_fly(station, hospital, ids, max_sorties=1)
    assert not world.drones.can_fly(station, world.sites.position("h_b"), ids, 1)  # no port
    flight = world.env.process(world.drones.fly(station, hospital, ids, "delivery", order=4))
    world.env.run()
    turnaround = world.scenario.fleet.drones.turnaround_min
    assert flight.value == pytest.approx(turnaround + minutes)
    legs = world.logs.legs.frame()
    assert legs["mode"].tolist() == ["drone", "drone"]
    assert legs.purpose.tolist() == ["delivery", "return"]
    assert legs.order_id.tolist() == [4, -1] and legs.bags.tolist() == [2, 0]
    assert world.ledger.state[ids].tolist() == [UnitState.IN_TRANSIT] * 2
