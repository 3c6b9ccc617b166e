"""Fixtures for the routing tests: small Euclidean problems built from coordinates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.schedule import assemble_plan


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


def plan_of(problem: RoutingProblem, seqs):
    """The validated plan of ``(vehicle type, clients)`` sequences."""
    return assemble_plan(problem, seqs, engine="t", solve_time_s=0, stop_reason="", seed=0)


def rough_plan(problem: RoutingProblem) -> list[tuple[int, list[int]]]:
    """Non-empty routes of a short ILS search (5 solutions, deterministic)."""
    seqs, _, _ = solve_ortools(problem, time_limit_s=None, max_iterations=5, config="ils")
    return [(t, list(v)) for t, v in seqs if v]


@pytest.fixture(scope="module")
def blood() -> RoutingProblem:
    """A blood-like instance: 30 hospitals, 2 stations, vans with fixed costs."""
    return blood_instance(3, hospitals=30, stations=2)
