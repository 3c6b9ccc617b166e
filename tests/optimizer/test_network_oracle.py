"""Travel oracle: hand-computed chains on a tiny network, and properties on Zhejiang."""

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
    RailNetwork,
    RailParams,
    RoadTimes,
    TravelOracle,
)

DRONES = DroneParams(payload_kg=5.0, range_km=15.0, cruise_kmh=55.0, turnaround_min=5.0)
RAIL = RailParams(handover_min=12.0, first_departure_h=6.5, last_departure_h=22.0)
A, S1, S2, D = 0, 1, 2, 3  # origin, rail station, rail station, destination
DEG_KM = 6371.0088 * math.pi / 180.0  # km per degree of latitude


def tiny_oracle(ports: list[int]) -> TravelOracle:
    """Four sites on a meridian: A, S1 (rail), S2 (rail, 60 min from S1), D 0.09 deg from S2.

    Road minutes (no peak): A-S1 20, S2-D 25, everything else 500.
    """
    lat = np.array([29.0, 29.1, 30.0, 30.09])
    lon = np.full(4, 120.0)
    rest = np.full((4, 4), 500.0)
    rest[A, S1] = rest[S1, A] = 20.0
    rest[S2, D] = rest[D, S2] = 25.0
    np.fill_diagonal(rest, 0.0)
    road = RoadTimes(rest / 2.0, np.zeros((4, 4)), rest, (), 1.0)
    drones = DroneNetwork.build(lat, lon, ports, ports, [], DRONES)
    rail = RailNetwork.build([S1, S2], [(S1, S2, 60.0)], RAIL)
    return TravelOracle(road, drones, rail, DRONES.turnaround_min, np.column_stack([lon, lat]))


def test_rail_chain_arrival_is_first_mile_wait_handovers_ride_last_mile():
    route = tiny_oracle([]).fastest(A, D, 400.0)
    # 400 + 20 van = 420 at S1; + 12 hand-over = 432; next train 07:30 = 450 (wait 18);
    # ride 60 -> 510; + 12 hand-over = 522; + 25 van = 547.
    assert route.arrival_min == 400.0 + 20.0 + 18.0 + 12.0 + 60.0 + 12.0 + 25.0
    assert route.modes == "van+rail+van"
    assert [(g.mode, g.from_site, g.to_site) for g in route.legs] == [
        ("van", A, S1),
        ("rail", S1, S2),
        ("van", S2, D),
    ]
    assert [(g.depart_min, g.arrive_min) for g in route.legs] == [
        (400.0, 420.0),
        (450.0, 510.0),
        (522.0, 547.0),
    ]


def test_rail_chain_with_drone_last_mile():
    route = tiny_oracle([S2, D]).fastest(A, D, 400.0)
    flight = 0.09 * DEG_KM / DRONES.cruise_kmh * 60.0  # 10.0 km at 55 km/h: 10.9 min
    assert route.modes == "van+rail+drone"
    assert route.arrival_min == pytest.approx(522.0 + DRONES.turnaround_min + flight)
    assert route.legs[-1].km == pytest.approx(0.09 * DEG_KM)


def test_grounding_sends_the_last_mile_back_to_the_van():
    oracle = tiny_oracle([S2, D])
    assert oracle.fastest(A, D, 400.0, drone_grounded=lambda a, b: True).modes == "van+rail+van"
    assert oracle.with_grounding([(500.0, 540.0)]).fastest(A, D, 400.0).modes == "van+rail+van"
    assert oracle.with_grounding([(0.0, 100.0)]).fastest(A, D, 400.0).modes == "van+rail+drone"


def test_closed_road_reroutes_and_full_closure_raises():
    oracle = tiny_oracle([])
    mask = np.zeros((4, 4), dtype=bool)
    mask[S2, D] = mask[D, S2] = True
    closed = oracle.with_closed_roads(mask)
    assert closed.fastest(A, D, 400.0).modes == "van"  # 500 min direct is all that is left
    with pytest.raises(NoRoute):
        oracle.with_closed_roads(~mask | mask).fastest(A, D, 400.0)
    slower = oracle.with_closed_roads(mask, factor=2.0)
    assert slower.fastest(A, D, 400.0).arrival_min == 547.0 + 25.0


def test_closure_polygon_hits_legs_that_cross_it():
    oracle = tiny_oracle([])
    closed = oracle.with_closed_roads(Point(120.0, 30.05).buffer(0.01))  # between S2 and D
    assert np.isinf(closed.road.minutes(S2, D, 0.0))
    assert np.isinf(closed.road.minutes(A, D, 0.0))
    assert closed.road.minutes(A, S1, 0.0) == 20.0


def test_same_site_and_bad_modes():
    oracle = tiny_oracle([])
    assert oracle.fastest(A, A, 10.0).legs == ()
    with pytest.raises(ValueError, match="modes"):
        oracle.fastest(A, D, 10.0, modes=frozenset({"boat"}))


# -- Zhejiang --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def region():
    return load_region("zhejiang")


@pytest.fixture(scope="module")
def oracle(region) -> TravelOracle:
    return TravelOracle.from_region(region, DRONES, RAIL)


@pytest.fixture(scope="module")
def pos(region) -> dict[str, int]:
    return {sid: k for k, sid in enumerate(region.sites["site_id"])}


def check_route(oracle: TravelOracle, region, route, o: int, d: int, t: float) -> None:
    """Legs chain from o to d in time order; drone legs are in range and clear of no-fly."""
    assert route.legs[0].from_site == o and route.legs[-1].to_site == d
    handover = RAIL.handover_min if route.legs[-1].mode == "rail" else 0.0  # ends at a station
    assert route.arrival_min == route.legs[-1].arrive_min + handover
    assert route.modes == "+".join(g.mode for g in route.legs)
    clock, here = t, o
    for leg in route.legs:
        assert leg.from_site == here and leg.depart_min >= clock - 1e-9
        assert leg.arrive_min >= leg.depart_min
        clock, here = leg.arrive_min, leg.to_site
        if leg.mode == "drone":
            assert leg.km <= DRONES.range_km
            ends = region.sites.geometry.array[[leg.from_site, leg.to_site]]
            line = LineString([(p.x, p.y) for p in ends])
            assert not any(zone.intersects(line) for zone in region.no_fly.geometry)


sites = st.integers(0, 538)
times = st.floats(0.0, 3 * 1440.0)


@settings(max_examples=120, deadline=None)
@given(o=sites, d=sites, t=times)
def test_never_slower_than_direct_van_and_legs_are_valid(oracle, region, o, d, t):
    route = oracle.fastest(o, d, t)
    assert route.arrival_min <= t + oracle.road.minutes(o, d, t) + 1e-9
    if o != d:
        check_route(oracle, region, route, o, d, t)


@settings(max_examples=80, deadline=None)
@given(o=sites, d=sites, t=times, start=times, length=st.floats(10.0, 600.0))
def test_grounding_window_has_no_drone_legs(oracle, o, d, t, start, length):
    end = start + length
    route = oracle.with_grounding([(start, end)]).fastest(o, d, t)
    for leg in route.legs:
        if leg.mode == "drone":
            assert leg.arrive_min <= start or leg.depart_min >= end
    free = oracle.fastest(o, d, t)
    if all(g.arrive_min <= start or g.depart_min >= end for g in free.legs if g.mode == "drone"):
        assert route == free
    else:
        assert route.arrival_min >= free.arrival_min


def test_grounding_in_and_outside_the_window(oracle, pos):
    o, d = pos["bc_hangzhou"], pos["h_hangzhou_003"]
    assert oracle.fastest(o, d, 480.0).modes == "drone"
    grounded = oracle.with_grounding([(400.0, 700.0)])
    assert grounded.fastest(o, d, 480.0).modes == "van"
    assert grounded.fastest(o, d, 800.0).modes == "drone"
    always = oracle.fastest(o, d, 800.0, drone_grounded=lambda a, b: True)
    assert "drone" not in always.modes


def test_mode_restriction(oracle, pos):
    o, d = pos["bc_hangzhou"], pos["h_wenzhou_001"]
    assert oracle.fastest(o, d, 600.0, modes=frozenset({"van"})).modes == "van"
    assert "rail" in oracle.fastest(o, d, 600.0).modes
    no_drone = oracle.fastest(o, d, 600.0, modes=frozenset({"van", "rail"}))
    assert no_drone.modes == "van+rail+van"


def test_rail_chain_matches_the_rail_trip(oracle, pos):
    o, d, t = pos["bc_hangzhou"], pos["h_wenzhou_001"], 600.0
    route = oracle.fastest(o, d, t)
    first, ride, last = route.legs
    i, j = (oracle.rail.station_of(s) for s in (ride.from_site, ride.to_site))
    assert oracle.rail.arrival(i, j, first.arrive_min) == ride.arrive_min + RAIL.handover_min
    assert last.depart_min >= ride.arrive_min + RAIL.handover_min


def test_deterministic(region, oracle):
    again = TravelOracle.from_region(region, DRONES, RAIL)
    rng = np.random.default_rng(7)
    for o, d, t in zip(rng.integers(539, size=100), rng.integers(539, size=100),
                       rng.uniform(0, 4000, size=100), strict=True):  # fmt: skip
        assert oracle.fastest(int(o), int(d), t) == again.fastest(int(o), int(d), t)


def _peak_reference(road, t):
    """The vectorised rule the oracle's chains apply, written plainly: one departure at a
    time, ``inf`` counted as midnight."""
    out = []
    for value in np.atleast_1d(np.asarray(t, dtype=float)).ravel():
        minute = (value if np.isfinite(value) else 0.0) % 1440.0
        hit = any(start <= minute < end for start, end in road.peak_windows_min)
        out.append(road.peak_factor if hit else 1.0)
    return np.array(out)


@settings(max_examples=60, deadline=None)
@given(
    times=st.lists(
        st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(np.inf)), min_size=1, max_size=12
    ),
    windows=st.lists(st.tuples(st.floats(0, 1440), st.floats(0, 1440)), max_size=3),
)
def test_peak_factor_is_the_same_for_one_departure_and_for_arrays(times, windows):
    from optimizer.network.oracle import _peak

    road = RoadTimes(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), tuple(windows), 1.4)
    expected = _peak_reference(road, times)
    assert np.array_equal(_peak(road, np.array(times)), expected)
    assert [_peak(road, float(t)) for t in times] == expected.tolist()
