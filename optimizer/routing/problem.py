"""The routing problem: frozen, validated data that every engine reads.

Locations are numbered depots first, then clients: client ``i`` sits at location
``len(depots) + i``. Matrices are indexed ``[profile, from_location, to_location]``.
Units: distances in km, times in minutes from the planning origin, loads in units
(e.g. units of red cells), money in yuan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.errors import InvalidProblem

__all__ = ["MAX_PENALTY", "Client", "Depot", "RoutingProblem", "VehicleType"]

MAX_PENALTY = 1e8
"""Largest allowed drop penalty (yuan); keeps every engine's integer objective in int64."""


@dataclass(frozen=True)
class Depot:
    """A place where vehicles start or end their routes.

    Parameters
    ----------
    name
        Label used in plans and messages.
    tw_early, tw_late
        Opening and closing time (minutes): routes leave no earlier than ``tw_early``
        and return no later than ``tw_late``.
    """

    name: str = ""
    tw_early: float = 0.0
    tw_late: float = math.inf


@dataclass(frozen=True)
class Client:
    """A place to serve once: deliver and/or pick up goods within a time window.

    Parameters
    ----------
    name
        Label used in plans and messages.
    delivery, pickup
        Quantity brought from the depot / carried back to the depot (units).
    tw_early, tw_late
        Window for the start of service (minutes); arriving early means waiting.
    service_min
        Time spent on site (minutes).
    required
        A required client must be served; a plan that drops one is infeasible.
    drop_penalty
        Cost (yuan) added to the objective when an optional client is not served.
        Order penalties by priority (emergency >> urgent >> routine).
    max_ride_min
        Longest time (minutes) from the vehicle's departure at its depot to the
        start of service here (cold chain), or ``None`` for no limit.
    """

    name: str = ""
    delivery: float = 0.0
    pickup: float = 0.0
    tw_early: float = 0.0
    tw_late: float = math.inf
    service_min: float = 0.0
    required: bool = True
    drop_penalty: float = 0.0
    max_ride_min: float | None = None


@dataclass(frozen=True)
class VehicleType:
    """A fleet of identical vehicles.

    Parameters
    ----------
    count
        Number of vehicles available (each drives at most one route).
    capacity
        Largest load on board at any time (units).
    start_depot, end_depot
        Depot indices where routes start and end.
    fixed_cost
        Cost (yuan) of using one vehicle.
    max_duration_min
        Longest route, departure to return (minutes), or ``None``.
    max_distance_km
        Longest route (km), or ``None``.
    cost_per_km
        Driving cost (yuan per km).
    profile
        Index of the distance/duration matrices this type travels on (e.g. van or drone).
    name
        Label used in plans and messages.
    """

    count: int
    capacity: float
    start_depot: int = 0
    end_depot: int = 0
    fixed_cost: float = 0.0
    max_duration_min: float | None = None
    max_distance_km: float | None = None
    cost_per_km: float = 1.0
    profile: int = 0
    name: str = ""


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """A multi-depot, heterogeneous-fleet VRP with time windows and optional clients.

    Parameters
    ----------
    depots, clients, vehicle_types
        The problem's entities; see :class:`Depot`, :class:`Client`, :class:`VehicleType`.
    distance
        Array ``[profile, from, to]`` of travel distances (km) over all locations.
    duration
        Array ``[profile, from, to]`` of travel times (minutes), same shape.
    name
        Label of the instance.

    Raises
    ------
    InvalidProblem
        If shapes, signs, windows or references are inconsistent.
    """

    depots: tuple[Depot, ...]
    clients: tuple[Client, ...]
    vehicle_types: tuple[VehicleType, ...]
    distance: NDArray[np.float64]
    duration: NDArray[np.float64]
    name: str = ""

    def __post_init__(self) -> None:
        for attr in ("depots", "clients", "vehicle_types"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        for attr in ("distance", "duration"):
            arr = np.array(getattr(self, attr), dtype=np.float64)
            arr.flags.writeable = False
            object.__setattr__(self, attr, arr)
        _check_problem(self)

    @property
    def num_locations(self) -> int:
        """Number of locations (depots + clients)."""
        return len(self.depots) + len(self.clients)

    @property
    def num_profiles(self) -> int:
        """Number of travel profiles (matrix layers)."""
        return int(self.distance.shape[0])

    def location(self, client: int) -> int:
        """Location index of client ``client`` (clients follow the depots)."""
        return len(self.depots) + client


def _fail(message: str) -> None:
    raise InvalidProblem(message)


def _check_problem(p: RoutingProblem) -> None:
    if not p.depots:
        _fail("RoutingProblem.depots: expected at least one depot")
    if not p.vehicle_types:
        _fail("RoutingProblem.vehicle_types: expected at least one vehicle type")
    _check_matrices(p)
    for i, depot in enumerate(p.depots):
        _check_window(f"depots[{i}]", depot.tw_early, depot.tw_late)
    for i, client in enumerate(p.clients):
        _check_client(i, client)
    for i, vt in enumerate(p.vehicle_types):
        _check_vehicle_type(i, vt, len(p.depots), p.num_profiles)


def _check_matrices(p: RoutingProblem) -> None:
    n = p.num_locations
    for name, arr in (("distance", p.distance), ("duration", p.duration)):
        if arr.ndim != 3 or arr.shape[1:] != (n, n) or arr.shape[0] < 1:
            _fail(f"RoutingProblem.{name}: expected shape (profiles, {n}, {n}), got {arr.shape}")
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            _fail(f"RoutingProblem.{name}: expected finite non-negative values")
    if p.distance.shape != p.duration.shape:
        _fail(
            f"RoutingProblem.duration: expected the same shape as distance {p.distance.shape}, "
            f"got {p.duration.shape}"
        )


def _check_window(where: str, early: float, late: float) -> None:
    if math.isnan(early) or math.isnan(late) or early < 0 or early > late:
        _fail(f"{where}: expected 0 <= tw_early <= tw_late, got [{early}, {late}]")


def _check_client(i: int, c: Client) -> None:
    where = f"clients[{i}]"
    _check_window(where, c.tw_early, c.tw_late)
    for attr in ("delivery", "pickup", "service_min", "drop_penalty"):
        value = getattr(c, attr)
        if not (math.isfinite(value) and value >= 0):
            _fail(f"{where}.{attr}: expected a finite value >= 0, got {value}")
    if c.drop_penalty > MAX_PENALTY:
        _fail(f"{where}.drop_penalty: expected <= {MAX_PENALTY:g} yuan, got {c.drop_penalty}")
    if c.max_ride_min is not None and not c.max_ride_min >= 0:
        _fail(f"{where}.max_ride_min: expected None or >= 0, got {c.max_ride_min}")


def _check_vehicle_type(i: int, vt: VehicleType, n_depots: int, n_profiles: int) -> None:
    where = f"vehicle_types[{i}]"
    if vt.count < 0:
        _fail(f"{where}.count: expected >= 0, got {vt.count}")
    if not (math.isfinite(vt.capacity) and vt.capacity >= 0):
        _fail(f"{where}.capacity: expected a finite value >= 0, got {vt.capacity}")
    for attr in ("start_depot", "end_depot"):
        if not 0 <= getattr(vt, attr) < n_depots:
            _fail(
                f"{where}.{attr}: expected a depot index in [0, {n_depots}), got "
                f"{getattr(vt, attr)}"
            )
    if not 0 <= vt.profile < n_profiles:
        _fail(f"{where}.profile: expected a profile index in [0, {n_profiles}), got {vt.profile}")
    for attr in ("fixed_cost", "cost_per_km"):
        if not (math.isfinite(getattr(vt, attr)) and getattr(vt, attr) >= 0):
            _fail(f"{where}.{attr}: expected a finite value >= 0, got {getattr(vt, attr)}")
    for attr in ("max_duration_min", "max_distance_km"):
        value = getattr(vt, attr)
        if value is not None and not value >= 0:
            _fail(f"{where}.{attr}: expected None or >= 0, got {value}")
