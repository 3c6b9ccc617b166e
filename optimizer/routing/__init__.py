"""Vehicle routing: frozen problem → engine → validated plan.

>>> from optimizer.routing import read_solomon, solve
>>> plan = solve(read_solomon("C101.txt"), time_limit_s=10)  # doctest: +SKIP
"""

from optimizer.routing.plan import DroppedClient, Route, RoutePlan
from optimizer.routing.problem import Client, Depot, RoutingProblem, VehicleType
from optimizer.routing.solomon import bench_instance, read_solomon
from optimizer.routing.solve import ENGINES, solve
from optimizer.routing.validate import check_plan, find_violations

__all__ = [
    "ENGINES",
    "Client",
    "Depot",
    "DroppedClient",
    "Route",
    "RoutePlan",
    "RoutingProblem",
    "VehicleType",
    "bench_instance",
    "check_plan",
    "find_violations",
    "read_solomon",
    "solve",
]
