"""Vehicle pools sized from vehicle-hours of work (issue 11, "operations that hold")."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.transport.sizing import pool_sizes, station_work, vehicles_for


def test_vehicles_for_a_hand_computed_day() -> None:
    # Lishui before sizing: 41.4 h of pickups; 2 shifts of 8 h at 60 % -> 9.6 h per vehicle
    assert vehicles_for(41.4, 16.0, 0.6) == 5  # 41.4 / 9.6 = 4.3
    assert vehicles_for(9.6, 16.0, 0.6) == 1  # exactly full: no extra vehicle for rounding
    assert vehicles_for(0.0, 16.0, 0.6) == 1  # a pool is never empty
    assert vehicles_for(10.0, 16.0, 0.6, floor=6) == 6


@settings(max_examples=200, deadline=None)
@given(
    work=st.floats(0, 5000),
    staffed=st.floats(0.5, 24),
    share=st.floats(0.05, 1.0),
)
def test_a_sized_pool_is_never_busier_than_the_stated_share(work, staffed, share) -> None:
    n = vehicles_for(work, staffed, share)
    assert work <= n * staffed * share * (1 + 1e-9)
    assert n == 1 or work > (n - 1) * staffed * share * (1 - 1e-9)  # and no bigger than needed


@pytest.mark.parametrize("staffed, share", [(0.0, 0.5), (16.0, 0.0), (16.0, 1.5)])
def test_vehicles_for_refuses_impossible_staffing(staffed, share) -> None:
    with pytest.raises(ValueError, match="max_utilisation"):
        vehicles_for(1.0, staffed, share)


class FlatRoad:
    """Every drive takes 30 minutes, at any hour."""

    def minutes(self, origin: int, dest: int, depart_min: float) -> float:
        return 30.0

    def offpeak_minutes(self, origin: object, dest: object) -> object:
        return np.full(np.shape(dest), 30.0)


def _world() -> SimpleNamespace:
    # positions: 0 station, 1 lab, 2-4 houses, 5-6 hospitals, 7 another station's house
    kinds = np.array(["st", "lab", "dh", "dh", "dh", "h", "h", "dh"])
    sites = SimpleNamespace(
        station_of=np.array([-1, -1, 0, 0, 0, 0, 0, 9]),
        lab_of=np.array([1, -1, -1, -1, -1, -1, -1, -1]),
        of_kind=lambda kind: np.flatnonzero(kinds == {"hospital": "h"}[kind]),
    )
    vans = SimpleNamespace(
        shift_h=8.0,
        shifts_per_day=2,
        max_utilisation=0.5,
        extra_trips_per_hospital=0.2,
        per_station=1,
        emergency_per_station=1,
    )
    scenario = SimpleNamespace(
        supply=SimpleNamespace(pickup_hours=(11.5, 15.5, 19.5, 21.5)),
        testing=SimpleNamespace(sample_dispatch_hours=(11.0, 17.0, 23.0)),
        inventory=SimpleNamespace(hospital=SimpleNamespace(review_hour=7.0)),
        fleet=SimpleNamespace(vans=vans),
    )
    return SimpleNamespace(sites=sites, road=FlatRoad(), scenario=scenario)


def test_station_work_on_a_hand_computed_case() -> None:
    world = _world()
    work = station_work(world, 0, np.array([2, 3, 4, 7]))
    assert work.collection_h == pytest.approx(3 * 4 * 1.0)  # 3 own houses x 4 pickups x 1 h
    assert work.courier_h == pytest.approx(3 * 1.0)  # 3 sample runs to the lab
    assert work.delivery_h == pytest.approx(2 * 1.0 * 1.2)  # 2 hospitals, +20 % urgent trips
    # 12 h of pickups at 8 h per vehicle (16 staffed x 0.5) -> 2; the rest fit in one each
    assert pool_sizes(world, 0, np.array([2, 3, 4, 7])) == {
        "collection": 2,
        "courier": 1,
        "delivery": 1,
        "emergency": 1,
    }
