"""Vehicle pools in motion: emergencies never wait behind routine trips, and a station with
distant houses keeps its quarantine time bounded (issue 11, "operations that hold")."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from sim import run
from sim.core.domain import Priority, Product, UnitState
from sim.processes.orders import new_order, ship_with_others
from sim.state.world import World

HOUR = 60.0


def _hold_every_van(world: World, station: int, fleet: str, minutes: float) -> None:
    """Routine trips take every vehicle of ``fleet`` for ``minutes`` from time 0."""
    pool = world.vans.pools[(station, fleet)]

    def busy():
        with pool.request(priority=-int(Priority.ROUTINE)) as request:
            yield request
            yield world.env.timeout(minutes)

    for _ in range(pool.capacity):
        world.env.process(busy())


def _ship(world: World, priority: int) -> int:
    """A packed box of one red cell from the station to hospital ``h_b``; returns the order."""
    station, hospital = world.sites.position("bs_a"), world.sites.position("h_b")
    ids = world.new_bags(Product.RBC, 0, 1, np.zeros(1), station, UnitState.AVAILABLE)
    order = new_order(world, hospital, station, "RBC", "O+", priority, 1.0, 60.0)
    world.env.process(ship_with_others(world, ids, station, hospital, priority, order))
    return order


def _departure(world: World, order: int) -> float:
    legs = world.logs.legs.frame()
    return float(legs.loc[legs.order_id == order, "depart_at"].min())


@pytest.mark.parametrize("priority", [Priority.EMERGENCY, Priority.URGENT])
def test_an_emergency_leaves_after_packing_while_every_delivery_van_is_out(
    tiny_world, priority
) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    _hold_every_van(world, station, "delivery", 5 * HOUR)
    order = _ship(world, priority)
    world.env.run(until=12 * HOUR)
    packing = world.scenario.escalation.packing_min
    if priority == Priority.EMERGENCY:  # the station's emergency vehicle takes it
        assert _departure(world, order) == pytest.approx(packing)
        assert world.vans.pools[(station, "emergency")].count == 0  # back at its station
    else:  # an urgent order waits for the first delivery van back
        assert _departure(world, order) == pytest.approx(5 * HOUR)


def test_without_an_emergency_vehicle_the_emergency_waits_for_a_van(tiny_world) -> None:
    world = tiny_world(extra="fleet: {vans: {emergency_per_station: 0}}\n")
    station = world.sites.position("bs_a")
    _hold_every_van(world, station, "delivery", 5 * HOUR)
    order = _ship(world, Priority.EMERGENCY)
    world.env.run(until=12 * HOUR)
    assert _departure(world, order) == pytest.approx(5 * HOUR)


def test_a_free_delivery_van_is_taken_before_the_emergency_vehicle(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    order = _ship(world, Priority.EMERGENCY)
    world.env.run(until=20.0)  # packed, on the road
    assert _departure(world, order) == pytest.approx(world.scenario.escalation.packing_min)
    spare = world.vans.pools[(station, "emergency")]
    assert spare.count == 0 and not spare.queue  # kept free; the withdrawn request is gone
    assert world.vans.pools[(station, "delivery")].count == 1


# A station whose 8 donation houses lie ~95 min away and whose lab is ~2 h 15 min away:
# 106 vehicle-hours of pickups and 14 of sample runs a day. The old fixed pool (one vehicle
# per two houses, samples on the same vehicles) had 4 vehicles for it and the quarantine
# time grew without bound (p95 159 h after 30 days).
FAR_SCENARIO = """\
name: far houses
region: far_region
start: 2025-03-03
days: 30
seed: 5
supply:
  donor_base: fixed            # many donors at distant houses: the workload under test
  donors_per_house_per_day: 40
  apheresis: {doses_per_day: 2}
"""


def _far_region(folder: Path) -> None:
    rows = [
        ("bs_far", "blood_station", 120.0, 28.5, None, None, None, "lab_far"),
        ("lab_far", "lab", 121.0, 28.5, None, None, None, None),
        ("h_far", "hospital", 120.02, 28.52, "tertiary", 1000, "bs_far", None),
    ]
    for k in range(8):
        angle = 2 * np.pi * k / 8
        lon, lat = 120.0 + 0.6 * np.cos(angle), 28.5 + 0.5 * np.sin(angle)
        rows.append((f"dh_{k}", "donation_house", lon, lat, None, 8, "bs_far", None))
    columns = ("site_id", "kind", "lon", "lat", "tier", "beds", "station_id", "lab_id")
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    frame = gpd.GeoDataFrame(
        [
            {"name": r["site_id"], "city": "F", **{k: r[k] for k in columns[:2] + columns[4:]}}
            for r in records
        ],
        geometry=[Point(r["lon"], r["lat"]) for r in records],
        crs="EPSG:4326",
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_file(folder / "sites.geojson", driver="GeoJSON")


def test_distant_houses_keep_collection_to_release_within_48_hours(tmp_path) -> None:
    _far_region(tmp_path / "far_region")
    path = tmp_path / "far.yaml"
    path.write_text(FAR_SCENARIO, encoding="utf-8")
    result = run(path)
    ledger = result.ledger
    waiting = ledger.state.astype(str).isin(["collected", "in_testing"])
    bags = ledger[
        (ledger.collected_at >= 0)
        & (ledger["product"] == "RBC")
        & (ledger.released_at.notna() | waiting)
    ]
    lag_h = (bags.released_at.fillna(30 * 1440.0) - bags.collected_at) / HOUR
    assert len(bags) > 5000  # ~320 donations a day were collected
    assert lag_h.quantile(0.95) <= 48.0
    late = bags.collected_at >= 25 * 1440.0  # no backlog building up at the end either
    assert lag_h[late & bags.released_at.notna()].max() <= 48.0
