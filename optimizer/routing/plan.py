"""The result of a routing solve: plain frozen records, independent of any engine."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DroppedClient", "Route", "RoutePlan"]


@dataclass(frozen=True)
class Route:
    """One vehicle's trip: depot → clients → depot.

    Parameters
    ----------
    vehicle_type
        Index into ``problem.vehicle_types``.
    start_depot, end_depot
        Depot indices where the route starts and ends.
    visits
        Client indices in visiting order.
    departure
        Time the vehicle leaves the start depot (minutes).
    arrivals
        Arrival time at each visit (minutes).
    starts
        Start of service at each visit (minutes); ``starts[k] - arrivals[k]`` is waiting.
    return_time
        Arrival time back at the end depot (minutes).
    loads
        Load on board (units): ``loads[0]`` leaving the depot, ``loads[k + 1]`` after visit k.
    distance
        Route length (km).
    duration
        ``return_time - departure`` (minutes).
    """

    vehicle_type: int
    start_depot: int
    end_depot: int
    visits: tuple[int, ...]
    departure: float
    arrivals: tuple[float, ...]
    starts: tuple[float, ...]
    return_time: float
    loads: tuple[float, ...]
    distance: float
    duration: float


@dataclass(frozen=True)
class DroppedClient:
    """A client left unserved.

    Parameters
    ----------
    client
        Client index.
    penalty
        Penalty paid (yuan); ``inf`` for a required client (which makes the plan infeasible).
    """

    client: int
    penalty: float


@dataclass(frozen=True)
class RoutePlan:
    """A complete answer to a :class:`~optimizer.routing.problem.RoutingProblem`.

    Parameters
    ----------
    routes
        Non-empty routes, one per used vehicle.
    dropped
        Clients not served.
    objective
        Fixed costs + driving costs + drop penalties of optional clients (yuan).
    engine
        Name of the engine that produced the routes.
    feasible
        ``True`` when the independent validator found no violation.
    solve_time_s
        Wall-clock time of the solve (seconds).
    stop_reason
        Why the engine stopped (``"time_limit"``, ``"iteration_limit"``, ...).
    violations
        What the validator found (empty when feasible).
    seed
        Seed passed to the engine.
    """

    routes: tuple[Route, ...]
    dropped: tuple[DroppedClient, ...]
    objective: float
    engine: str
    feasible: bool
    solve_time_s: float
    stop_reason: str
    violations: tuple[str, ...] = ()
    seed: int = 0

    @property
    def distance(self) -> float:
        """Total distance over all routes (km)."""
        return sum(r.distance for r in self.routes)

    @property
    def num_vehicles(self) -> int:
        """Number of vehicles used."""
        return len(self.routes)
