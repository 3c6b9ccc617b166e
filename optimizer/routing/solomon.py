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

__all__ = ["SolomonFormatError", "bench_instance", "bench_problem", "read_solomon"]


class SolomonFormatError(InvalidProblem):
    """A file is not a readable Solomon instance (message: file, line, field, expectation)."""


MAX_FILE_BYTES = 20_000_000
"""Largest file read (bytes); Solomon and Gehring-Homberger files are under 100 kB."""
MAX_CUSTOMERS = 2000
"""Most customers (the distance matrix grows as the square)."""
MAX_VEHICLES = 1000
MAX_COORDINATE = 1e6
"""Largest absolute coordinate (distance units)."""
MAX_QUANTITY = 1e9
"""Largest demand or capacity (units)."""
MAX_TIME = 1e7
"""Largest ready time, due date or service time (time units)."""

_FIELDS = ("CUST NO.", "XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE TIME")


class _Lines:
    """The file's lines with 1-based numbers, for messages that point at a line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.fail(
                0, "file", f"a Solomon file of at most {MAX_FILE_BYTES:,} bytes, got {size:,}"
            )
        self.lines = path.read_text(encoding="utf-8", errors="replace").splitlines()

    def fail(self, line: int, field: str, expected: str) -> None:
        where = f"{self.path}" if line == 0 else f"{self.path}, line {line}"
        raise SolomonFormatError(f"{where}: {field}: expected {expected}")

    def section(self, title: str) -> int:
        """1-based number of the line holding only ``title`` (case-insensitive)."""
        for number, line in enumerate(self.lines, start=1):
            if line.strip().upper() == title:
                return number
        self.fail(0, title, f"a line '{title}' starting the {title} section")
        return 0

    def rows(self, start: int, stop: int | None = None) -> list[tuple[int, list[str]]]:
        """Data lines ``start..stop`` (1-based, stop exclusive): every non-blank line but
        a column header (a first non-blank line that does not start with a number)."""
        rows = []
        for number in range(start, stop or len(self.lines) + 1):
            tokens = self.lines[number - 1].split()
            if tokens and (rows or _is_number(tokens[0])):
                rows.append((number, tokens))
            elif tokens:
                rows.append((number, []))  # the header
        return [(n, t) for n, t in rows if t]


def _name(lines: _Lines) -> str:
    """The instance name on line 1 (empty if the line is blank or a section title)."""
    name = lines.lines[0].strip() if lines.lines else ""
    if len(name) > 80 or not name.isprintable():
        lines.fail(1, "NAME", "an instance name of at most 80 printable characters")
    return "" if name.upper() in ("VEHICLE", "CUSTOMER") else name


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _value(
    lines: _Lines,
    number: int,
    field: str,
    token: str,
    low: float,
    high: float,
    integer: bool = False,
) -> float:
    kind = "an integer" if integer else "a number"
    expected = f"{kind} in [{low:g}, {high:g}]"
    try:
        value = float(token)
    except ValueError:
        lines.fail(number, field, f"{expected}, got {token!r}")
    if not (low <= value <= high) or (integer and not value.is_integer()):
        lines.fail(number, field, f"{expected}, got {token!r}")
    return value


def _fleet(lines: _Lines) -> tuple[int, float]:
    vehicle, customer = lines.section("VEHICLE"), lines.section("CUSTOMER")
    if customer < vehicle:
        lines.fail(customer, "CUSTOMER", "the CUSTOMER section after the VEHICLE section")
    rows = lines.rows(vehicle + 1, customer)
    if len(rows) != 1 or len(rows[0][1]) != 2:
        at = rows[0][0] if rows else vehicle
        lines.fail(at, "VEHICLE", "one line 'NUMBER CAPACITY' of two numbers")
    number, (count, capacity) = rows[0]
    return (
        int(_value(lines, number, "VEHICLE NUMBER", count, 1, MAX_VEHICLES, True)),
        _value(lines, number, "VEHICLE CAPACITY", capacity, 0, MAX_QUANTITY),
    )


_BOUNDS = (
    (0, 1e9, True),
    (-MAX_COORDINATE, MAX_COORDINATE, False),
    (-MAX_COORDINATE, MAX_COORDINATE, False),
    (0, MAX_QUANTITY, False),
    (0, MAX_TIME, False),
    (0, MAX_TIME, False),
    (0, MAX_TIME, False),
)


def _customer_row(lines: _Lines, number: int, tokens: list[str]) -> list[float]:
    if len(tokens) != 7:
        lines.fail(number, "CUSTOMER", f"7 numbers ({', '.join(_FIELDS)}), got {len(tokens)}")
    return [
        _value(lines, number, field, token, *bounds)
        for field, token, bounds in zip(_FIELDS, tokens, _BOUNDS, strict=True)
    ]


def _rows(lines: _Lines) -> tuple[np.ndarray, list[int]]:
    rows = lines.rows(lines.section("CUSTOMER") + 1)
    if len(rows) < 2:
        lines.fail(0, "CUSTOMER", "a depot row and at least one customer row of 7 numbers")
    if len(rows) > MAX_CUSTOMERS + 1:
        lines.fail(
            rows[-1][0], "CUSTOMER", f"at most {MAX_CUSTOMERS} customers, got {len(rows) - 1}"
        )
    values = np.array([_customer_row(lines, n, t) for n, t in rows], dtype=np.float64)
    _check_rows(lines, values, [n for n, _ in rows])
    return values, [n for n, _ in rows]


def _check_rows(lines: _Lines, values: np.ndarray, numbers: list[int]) -> None:
    seen: dict[float, int] = {}
    for row, number in zip(values, numbers, strict=True):
        if row[0] in seen:
            lines.fail(
                number,
                "CUST NO.",
                f"a number not used before, got {int(row[0])} (also on line {seen[row[0]]})",
            )
        seen[row[0]] = number
        if row[4] > row[5]:
            lines.fail(number, "DUE DATE", f"at least READY TIME {row[4]:g}, got {row[5]:g}")
    if values[0, 3] != 0 or values[0, 6] != 0:
        lines.fail(numbers[0], "DEMAND / SERVICE TIME", "0 on the depot row (the first row)")


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
        If the file cannot be parsed or a value is out of range; the message names the
        file, the line and the field (one line).
    """
    path = Path(path)
    lines = _Lines(path)
    name = _name(lines) or path.stem
    count, capacity = _fleet(lines)
    rows, _ = _rows(lines)
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
            name=name,
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


def bench_problem(
    problem: RoutingProblem,
    *,
    engine: str = "default",
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> dict:
    """Solve a read Solomon problem and summarise the result (see :func:`bench_instance`)."""
    plan = solve(problem, engine=engine, time_limit_s=time_limit_s, seed=seed, workers=workers)
    return plan_summary(problem, plan)


def bench_instance(
    path: str | Path,
    *,
    engine: str = "default",
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
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
    workers
        Searches run at once (processes).

    Returns
    -------
    dict
        ``instance``, ``cost`` (total distance, one decimal), ``vehicles``, ``feasible``
        (from the independent validator), ``time_s``, ``routes`` (customer numbers as
        in the file) and ``engine``.
    """
    return bench_problem(
        read_solomon(path), engine=engine, time_limit_s=time_limit_s, seed=seed, workers=workers
    )
