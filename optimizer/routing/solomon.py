"""Solomon VRPTW instances under the DIMACS convention, and a benchmark runner.

Convention (as CVRPLIB's distance-only best-known solutions): travel distance and
time are the Euclidean distance truncated to one decimal, the objective is the total
distance, the file's vehicle number caps the fleet, service times come from the
file and the depot's window is the planning horizon.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from optimizer.errors import InvalidProblem
from optimizer.routing.plan import RoutePlan
from optimizer.routing.problem import Client, Depot, RoutingProblem, VehicleType
from optimizer.routing.solve import solve

__all__ = ["SolomonFormatError", "bench_instance", "read_solomon"]


class SolomonFormatError(InvalidProblem):
    """A file is not a readable Solomon instance."""


def _numbers(line: str) -> list[float] | None:
    try:
        return [float(tok) for tok in line.split()]
    except ValueError:
        return None


def _fleet(lines: list[str], path: Path) -> tuple[int, float]:
    for k, line in enumerate(lines):
        if line.strip().upper() == "VEHICLE":
            for row in lines[k + 1 :]:
                nums = _numbers(row)
                if nums and len(nums) == 2:
                    return int(nums[0]), nums[1]
    raise SolomonFormatError(f"{path}: expected a VEHICLE section with 'NUMBER CAPACITY'")


def _rows(lines: list[str], path: Path) -> np.ndarray:
    rows = [nums for line in lines if (nums := _numbers(line)) and len(nums) == 7]
    if len(rows) < 2:
        raise SolomonFormatError(
            f"{path}: expected a CUSTOMER section with rows of 7 numbers (depot first)"
        )
    return np.array(rows, dtype=np.float64)


def truncated_distances(xy: np.ndarray) -> np.ndarray:
    """Euclidean distances truncated to one decimal (DIMACS), shape (n, n)."""
    diff = xy[:, None, :] - xy[None, :, :]
    return np.floor(np.hypot(diff[..., 0], diff[..., 1]) * 10 + 1e-9) / 10


def read_solomon(path: str | Path) -> RoutingProblem:
    """Read a Solomon-format VRPTW file.

    Parameters
    ----------
    path
        File in Solomon's text format (name, VEHICLE, CUSTOMER sections; depot = row 0).

    Returns
    -------
    RoutingProblem
        One depot, one vehicle type (file's number and capacity, 1 yuan per distance
        unit), clients named by their customer number; distance unit = time unit.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    SolomonFormatError
        If the file cannot be parsed or its data are inconsistent.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    count, capacity = _fleet(lines, path)
    rows = _rows(lines, path)
    dist = truncated_distances(rows[:, 1:3])
    depot = Depot(name=str(int(rows[0, 0])), tw_early=rows[0, 4], tw_late=rows[0, 5])
    clients = tuple(
        Client(name=str(int(r[0])), delivery=r[3], tw_early=r[4], tw_late=r[5], service_min=r[6])
        for r in rows[1:]
    )
    try:
        return RoutingProblem(
            depots=(depot,),
            clients=clients,
            vehicle_types=(VehicleType(count=count, capacity=capacity),),
            distance=dist[None],
            duration=dist[None],
            name=(lines[0].strip() if lines else "") or path.stem,
        )
    except InvalidProblem as exc:
        raise SolomonFormatError(f"{path}: {exc}") from exc


def plan_summary(problem: RoutingProblem, plan: RoutePlan) -> dict:
    """Benchmark record of a plan: cost (one decimal), vehicles, feasibility, routes."""
    return {
        "instance": problem.name,
        "cost": round(math.fsum(r.distance for r in plan.routes), 1),
        "vehicles": plan.num_vehicles,
        "feasible": plan.feasible,
        "time_s": round(plan.solve_time_s, 2),
        "routes": [[int(problem.clients[c].name) for c in r.visits] for r in plan.routes],
        "engine": plan.engine,
    }


def bench_instance(
    path: str | Path, *, engine: str = "default", time_limit_s: float = 10.0, seed: int = 0
) -> dict:
    """Solve one Solomon file and summarise the result.

    Parameters
    ----------
    path
        Solomon-format file.
    engine
        Engine name (see :func:`optimizer.routing.solve.solve`).
    time_limit_s
        Wall-clock limit of the solve (seconds).
    seed
        Engine seed.

    Returns
    -------
    dict
        ``instance``, ``cost`` (total distance, one decimal), ``vehicles``, ``feasible``
        (from the independent validator), ``time_s``, ``routes`` (customer numbers as
        in the file) and ``engine``.
    """
    problem = read_solomon(path)
    plan = solve(problem, engine=engine, time_limit_s=time_limit_s, seed=seed)
    return plan_summary(problem, plan)
