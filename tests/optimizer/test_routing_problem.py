"""RoutingProblem validates its data at construction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optimizer.errors import InvalidProblem
from optimizer.routing import Client, Depot, RoutingProblem, VehicleType


def _problem(**changes) -> RoutingProblem:
    base = {
        "depots": (Depot(),),
        "clients": (Client(delivery=1),),
        "vehicle_types": (VehicleType(count=1, capacity=5),),
        "distance": np.ones((1, 2, 2)),
        "duration": np.ones((1, 2, 2)),
    }
    return RoutingProblem(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"depots": ()}, "at least one depot"),
        ({"vehicle_types": ()}, "at least one vehicle type"),
        ({"distance": np.ones((2, 2))}, "distance: expected shape"),
        ({"duration": np.ones((1, 3, 3))}, "duration: expected shape"),
        ({"distance": -np.ones((1, 2, 2))}, "non-negative"),
        ({"duration": np.full((1, 2, 2), np.nan)}, "finite"),
        ({"clients": (Client(tw_early=5, tw_late=2),)}, r"clients\[0\].*tw_early <= tw_late"),
        ({"clients": (Client(delivery=-1),)}, r"clients\[0\]\.delivery"),
        ({"clients": (Client(drop_penalty=1e12, required=False),)}, "drop_penalty"),
        ({"clients": (Client(max_ride_min=-3),)}, "max_ride_min"),
        ({"depots": (Depot(tw_early=10, tw_late=0),)}, r"depots\[0\]"),
        ({"vehicle_types": (VehicleType(count=1, capacity=5, start_depot=1),)}, "start_depot"),
        ({"vehicle_types": (VehicleType(count=1, capacity=5, profile=1),)}, "profile"),
        ({"vehicle_types": (VehicleType(count=-1, capacity=5),)}, "count"),
        ({"vehicle_types": (VehicleType(count=1, capacity=math.inf),)}, "capacity"),
    ],
)
def test_invalid_problem_raises_clear_error(changes: dict, match: str) -> None:
    with pytest.raises(InvalidProblem, match=match):
        _problem(**changes)


def test_problem_is_immutable() -> None:
    problem = _problem()
    with pytest.raises(ValueError, match="read-only"):
        problem.distance[0, 0, 1] = 5.0
    with pytest.raises(AttributeError):
        problem.name = "x"  # type: ignore[misc]
    assert problem.location(0) == 1
    assert problem.num_profiles == 1
