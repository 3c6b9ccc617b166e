"""Region checks of the routine drone routes: real sites, a drone port at both ends, and a
hospital served by the route's station (routine replenishment comes from there); and of the
operated drone ports: real sites with a drone port."""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, short

SOURCE_KINDS = ("blood_station", "blood_center")


def routine_route_problems(scenario: Scenario, region: object) -> Iterator[Problem]:
    """Problems of ``fleet.drones.routine_routes`` and ``operated_ports`` against the loaded
    ``region``."""
    drones = scenario.fleet.drones
    if not drones.routine_routes and not drones.operated_ports:
        return
    sites = region.sites.set_index("site_id")
    hosts = sites.get("host_site_id")
    ported = set() if hosts is None else set(hosts[sites["kind"] == "drone_port"].dropna())
    for i, site_id in enumerate(drones.operated_ports):
        path, expected = f"fleet.drones.operated_ports.{i}", "a site id with a drone port"
        if site_id not in sites.index:
            yield Problem(path, f"site {short(site_id)} is not in the region", expected)
        elif site_id not in ported:
            yield Problem(path, f"site {short(site_id)} has no drone port", expected)
    for i, route in enumerate(scenario.fleet.drones.routine_routes):
        path = f"fleet.drones.routine_routes.{i}"
        ends = (
            (f"{path}.from", route.from_site, SOURCE_KINDS),
            (f"{path}.to", route.to_site, ("hospital",)),
        )
        problems = [p for end in ends for p in _end(sites, ported, *end)]
        yield from problems
        served_by = sites["station_id"].get(route.to_site) if not problems else route.from_site
        if served_by != route.from_site:
            yield Problem(
                f"{path}.to",
                f"hospital {short(route.to_site)} is served by {short(str(served_by))}",
                f"a hospital served by {short(route.from_site)}",
            )


def _end(sites, ported: set, path: str, site_id: str, kinds: tuple[str, ...]):
    if site_id not in sites.index:
        yield Problem(path, f"site {short(site_id)} is not in the region", _kind(kinds))
    elif sites.at[site_id, "kind"] not in kinds:
        yield Problem(path, f"site {short(site_id)} is a {sites.at[site_id, 'kind']}", _kind(kinds))
    elif site_id not in ported:
        yield Problem(path, f"site {short(site_id)} has no drone port", "a site with a drone port")


def _kind(kinds: tuple[str, ...]) -> str:
    return f"a site id of kind {'/'.join(kinds)}"
