"""Integer scaling of a :class:`RoutingProblem`: the one place where units become integers.

Both engines (OR-Tools and PyVRP) work on int64 data. All conversion happens here:

============  =====================  ===============================================
quantity      problem unit           integer unit
============  =====================  ===============================================
distance      km                     metre (× ``DIST_SCALE`` = 1000)
time          minute                 second (× ``TIME_SCALE`` = 60)
load          unit                   milli-unit (× ``LOAD_SCALE`` = 1000)
money         yuan                   micro-yuan (× ``COST_SCALE`` = 1e6)
============  =====================  ===============================================

Rounding is conservative so that an integer-feasible route is feasible in the float
problem the validator checks: travel times, distances, service times, demands and
earliest starts are rounded up; latest starts, capacities and limits are rounded
down. Data given with at most 3 decimals in km and loads, or 0.1-minute steps in
time (e.g. Solomon under the DIMACS 1-decimal truncation), is represented exactly.
The driving cost of an arc is ``metres × round(cost_per_km × 1000)`` micro-yuan,
exact for costs per km with up to 3 decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.routing.problem import RoutingProblem

__all__ = [
    "COST_SCALE",
    "DIST_SCALE",
    "LOAD_SCALE",
    "TIME_SCALE",
    "IntegerProblem",
    "scale_problem",
]

DIST_SCALE = 1000
TIME_SCALE = 60
LOAD_SCALE = 1000
COST_SCALE = 1_000_000
UNBOUNDED = 10**12
"""Integer stand-in for an absent limit or an infinite window end (any unit)."""

_EPS = 1e-7


def up(value: float, scale: int) -> int:
    """Scale and round up (a float within 1e-7 of an integer counts as that integer)."""
    return UNBOUNDED if math.isinf(value) else math.ceil(value * scale - _EPS)


def down(value: float, scale: int) -> int:
    """Scale and round down; ``inf`` maps to :data:`UNBOUNDED`."""
    return UNBOUNDED if math.isinf(value) else math.floor(value * scale + _EPS)


def _up_matrix(arr: NDArray[np.float64], scale: int) -> NDArray[np.int64]:
    return np.ceil(arr * scale - _EPS).astype(np.int64)


def _limit(value: float | None, scale: int) -> int:
    return UNBOUNDED if value is None else down(value, scale)


@dataclass(frozen=True, eq=False)
class IntegerProblem:
    """A :class:`RoutingProblem` in integer units (see module docstring).

    Per-client arrays are indexed by client; per-type arrays by vehicle type.
    """

    distance: NDArray[np.int64]
    duration: NDArray[np.int64]
    depot_early: tuple[int, ...]
    depot_late: tuple[int, ...]
    delivery: tuple[int, ...]
    pickup: tuple[int, ...]
    service: tuple[int, ...]
    tw_early: tuple[int, ...]
    tw_late: tuple[int, ...]
    drop_penalty: tuple[int, ...]
    max_ride: tuple[int | None, ...]
    capacity: tuple[int, ...]
    fixed_cost: tuple[int, ...]
    unit_cost: tuple[int, ...]
    max_duration: tuple[int, ...]
    max_distance: tuple[int, ...]


def scale_problem(problem: RoutingProblem) -> IntegerProblem:
    """Convert a problem to integer units, rounding conservatively.

    Parameters
    ----------
    problem
        Problem in km, minutes, units and yuan.

    Returns
    -------
    IntegerProblem
        The same data in metres, seconds, milli-units and micro-yuan.
    """
    cl, vts, dps = problem.clients, problem.vehicle_types, problem.depots
    return IntegerProblem(
        distance=_up_matrix(problem.distance, DIST_SCALE),
        duration=_up_matrix(problem.duration, TIME_SCALE),
        depot_early=tuple(up(d.tw_early, TIME_SCALE) for d in dps),
        depot_late=tuple(down(d.tw_late, TIME_SCALE) for d in dps),
        delivery=tuple(up(c.delivery, LOAD_SCALE) for c in cl),
        pickup=tuple(up(c.pickup, LOAD_SCALE) for c in cl),
        service=tuple(up(c.service_min, TIME_SCALE) for c in cl),
        tw_early=tuple(up(c.tw_early, TIME_SCALE) for c in cl),
        tw_late=tuple(down(c.tw_late, TIME_SCALE) for c in cl),
        drop_penalty=tuple(round(c.drop_penalty * COST_SCALE) for c in cl),
        max_ride=tuple(
            None if c.max_ride_min is None else down(c.max_ride_min, TIME_SCALE) for c in cl
        ),
        capacity=tuple(down(v.capacity, LOAD_SCALE) for v in vts),
        fixed_cost=tuple(round(v.fixed_cost * COST_SCALE) for v in vts),
        unit_cost=tuple(round(v.cost_per_km * COST_SCALE / DIST_SCALE) for v in vts),
        max_duration=tuple(_limit(v.max_duration_min, TIME_SCALE) for v in vts),
        max_distance=tuple(_limit(v.max_distance_km, DIST_SCALE) for v in vts),
    )
