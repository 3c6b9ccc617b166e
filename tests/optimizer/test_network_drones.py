"""Drone legs: range, no-fly zones, host -> port mapping and payload arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geodata import load_region
from optimizer.network import (
    DroneNetwork,
    DroneParams,
    NoRoute,
    TravelOracle,
    sorties_needed,
    units_per_sortie,
)

PARAMS = DroneParams(payload_kg=5.0, range_km=15.0, cruise_kmh=55.0, turnaround_min=5.0)


@pytest.fixture(scope="module")
def region():
    return load_region("zhejiang")


@pytest.fixture(scope="module")
def net(region) -> DroneNetwork:
    return DroneNetwork.from_region(region, PARAMS)


def _great_circle_km(a: Point, b: Point) -> float:
    """Independent haversine (km) between two lon/lat points."""
    p1, p2 = math.radians(a.y), math.radians(b.y)
    h = math.sin((p2 - p1) / 2) ** 2
    h += math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.x - a.x) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _ends(region, net: DroneNetwork, i: int, j: int) -> tuple[Point, Point]:
    points = region.sites.geometry.array
    return points[net.port_sites[i]], points[net.port_sites[j]]


def _leg_line(region, net: DroneNetwork, i: int, j: int) -> LineString:
    return LineString([(p.x, p.y) for p in _ends(region, net, i, j)])


def test_units_per_sortie():
    assert units_per_sortie(5.0, 0.25) == 20
    assert units_per_sortie(5.0, 0.3) == 16
    assert units_per_sortie(1.0, 2.0) == 0


def test_sorties_needed():
    assert sorties_needed(0, 5.0, 0.25) == 0
    assert sorties_needed(20, 5.0, 0.25) == 1
    assert sorties_needed(41, 5.0, 0.25) == 3
    with pytest.raises(ValueError, match="exceeds the payload"):
        sorties_needed(1, 1.0, 2.0)


def test_every_flyable_leg_avoids_no_fly_and_is_in_range(region, net):
    zones = list(region.no_fly.geometry)
    i, j = np.nonzero(net.flyable)
    assert len(i) > 1000
    for a, b in zip(i, j, strict=True):
        line = _leg_line(region, net, a, b)
        assert not any(zone.intersects(line) for zone in zones), (a, b)
        assert _great_circle_km(*_ends(region, net, a, b)) <= PARAMS.range_km + 1e-9


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_port_pairs_flyable_iff_in_range_and_clear(region, net, data):
    n = len(net.port_sites)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1).filter(lambda k: k != i))
    line = _leg_line(region, net, i, j)
    clear = not any(zone.intersects(line) for zone in region.no_fly.geometry)
    in_range = _great_circle_km(*_ends(region, net, i, j)) <= PARAMS.range_km
    assert bool(net.flyable[i, j]) == (clear and in_range)
    if net.flyable[i, j]:
        expected = net.km[i, j] / PARAMS.cruise_kmh * 60.0
        assert net.minutes[i, j] == pytest.approx(expected)


def test_no_fly_zone_removes_some_in_range_legs(region, net):
    in_range = (net.km <= PARAMS.range_km) & ~np.eye(len(net.km), dtype=bool)
    assert (in_range & ~net.flyable).any()


def test_host_maps_to_its_port(region, net):
    pos = {sid: k for k, sid in enumerate(region.sites["site_id"])}
    port = net.port_of(pos["bc_hangzhou"])
    assert region.sites["site_id"].iloc[net.port_sites[port]] == "dp_bc_hangzhou"
    assert net.port_of(pos["dp_bc_hangzhou"]) == port
    assert net.host_sites[port] == pos["bc_hangzhou"]


def test_quzhou_station_next_to_airport_cannot_fly(region, net):
    pos = {sid: k for k, sid in enumerate(region.sites["site_id"])}
    quzhou, hospital = pos["bs_quzhou"], pos["h_quzhou_002"]
    assert net.port_of(quzhou) == -1
    assert net.port_of(pos["rail_quzhou"]) == -1
    oracle = TravelOracle.from_region(region, PARAMS)
    with pytest.raises(NoRoute):
        oracle.fastest(quzhou, hospital, 600.0, modes=frozenset({"drone"}))
    route = oracle.fastest(quzhou, hospital, 600.0)
    assert all(leg.from_site != quzhou for leg in route.legs if leg.mode == "drone")


def test_extra_zone_removes_crossing_legs(region, net):
    i, j = np.argwhere(net.flyable)[0]
    line = _leg_line(region, net, i, j)
    blocked = net.with_zone(line.centroid.buffer(0.001))
    assert not blocked.flyable[i, j] and not blocked.flyable[j, i]
    assert blocked.flyable.sum() < net.flyable.sum()


def test_synthetic_port_inside_zone_has_no_legs():
    lat = np.array([30.0, 30.05, 30.1])
    lon = np.array([120.0, 120.0, 120.0])
    zone = Point(120.0, 30.1).buffer(0.01)
    net = DroneNetwork.build(lat, lon, [0, 1, 2], [0, 1, 2], [zone], PARAMS)
    assert net.flyable[0, 1] and net.flyable[1, 0]
    assert not net.flyable[2].any() and not net.flyable[:, 2].any()
    assert not net.flyable[0, 0]
