"""Fixtures for the routing tests: small Euclidean problems built from coordinates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType


def euclid_problem(
    depot_xy: Sequence[tuple[float, float]],
    clients: Sequence[Client],
    client_xy: Sequence[tuple[float, float]],
    vehicle_types: Sequence[VehicleType],
    depots: Sequence[Depot] | None = None,
    speed_km_per_min: float = 1.0,
) -> RoutingProblem:
    """Problem whose distance (km) is Euclidean and duration = distance / speed (min)."""
    xy = np.array([*depot_xy, *client_xy], dtype=float)
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    return RoutingProblem(
        depots=tuple(depots or [Depot(name=f"D{i}") for i in range(len(depot_xy))]),
        clients=tuple(clients),
        vehicle_types=tuple(vehicle_types),
        distance=dist[None],
        duration=dist[None] / speed_km_per_min,
    )


@pytest.fixture
def make_problem() -> Callable[..., RoutingProblem]:
    """Factory for Euclidean problems (see :func:`euclid_problem`)."""
    return euclid_problem


@pytest.fixture
def small() -> RoutingProblem:
    """Five clients on a line and a square, one depot, two vehicles of capacity 10."""
    xy = [(10, 0), (20, 0), (0, 10), (0, 20), (10, 10)]
    clients = [Client(name=str(i + 1), delivery=4, service_min=1) for i in range(5)]
    return euclid_problem([(0, 0)], clients, xy, [VehicleType(count=2, capacity=10)])
