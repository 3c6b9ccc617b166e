"""Rail: fastest rides over segments, the headway timetable and courier trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import load_region
from optimizer.network import RailNetwork, RailParams, Timetable

PARAMS = RailParams(handover_min=12.0, first_departure_h=6.5, last_departure_h=22.0)
TABLE = Timetable.from_params(PARAMS)  # 390 .. 1320 every 30 min


@pytest.fixture(scope="module")
def zhejiang() -> tuple[RailNetwork, dict[str, int]]:
    region = load_region("zhejiang")
    rail = RailNetwork.from_region(region, PARAMS)
    names = region.sites["site_id"].to_numpy()[rail.station_sites]
    return rail, {name: k for k, name in enumerate(names)}


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, 390.0),
        (390.0, 390.0),
        (391.0, 420.0),
        (1319.0, 1320.0),
        (1320.0, 1320.0),
        (1321.0, 1440.0 + 390.0),
        (2 * 1440.0 + 700.0, 2 * 1440.0 + 720.0),
    ],
)
def test_next_departure_examples(t, expected):
    assert float(TABLE.next_departure(t)) == expected


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 30 * 1440.0))
def test_next_departure_is_the_first_on_the_grid(t):
    dep = float(TABLE.next_departure(t))
    minute = dep % 1440.0
    assert t <= dep < t + 1440.0
    assert 390.0 <= minute <= 1320.0
    assert (minute - 390.0) % 30.0 == pytest.approx(0.0, abs=1e-6)
    earlier = dep - 30.0
    assert earlier < t or earlier % 1440.0 < 390.0


def test_next_departure_is_vectorised():
    t = np.array([0.0, 400.0, np.inf])
    assert TABLE.next_departure(t).tolist() == [390.0, 420.0, np.inf]


def test_zhejiang_fastest_rides(zhejiang):
    rail, idx = zhejiang
    ride = rail.ride_min
    assert len(rail.station_sites) == 10
    assert np.allclose(ride, ride.T) and np.isfinite(ride).all()
    assert ride[idx["rail_hangzhou_east"], idx["rail_ningbo"]] == 45.0  # direct beats 18 + 30
    assert ride[idx["rail_ningbo"], idx["rail_lishui"]] == 45.0 + 45.0 + 45.0
    assert ride[idx["rail_shaoxing_north"], idx["rail_quzhou"]] == 18.0 + 41.0


def test_trip_is_handover_wait_ride_handover(zhejiang):
    rail, idx = zhejiang
    a, b = idx["rail_hangzhou_east"], idx["rail_wenzhou_south"]
    # Goods at the station 07:05 (425): ready 437, next train 07:30 (450), ride 87, hand-over.
    assert rail.arrival(a, b, 425.0) == 450.0 + 87.0 + 12.0
    assert rail.next_departure(a, 1330.0) == 1440.0 + 390.0
    with pytest.raises(IndexError):
        rail.next_departure(10, 0.0)


def test_segments_are_two_way_and_keep_the_fastest():
    rail = RailNetwork.build([5, 6, 7], [(5, 6, 20.0), (6, 5, 15.0), (6, 7, 10.0)], PARAMS)
    assert rail.ride_min.tolist() == [[0.0, 15.0, 25.0], [15.0, 0.0, 10.0], [25.0, 10.0, 0.0]]
    assert rail.station_of(7) == 2 and rail.station_of(4) == -1
    with pytest.raises(ValueError, match="positive minutes"):
        RailNetwork.build([5, 6], [(5, 6, 0.0)], PARAMS)
