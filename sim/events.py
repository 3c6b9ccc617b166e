"""Scheduled events of a scenario, turned into what the processes consult.

- donor campaigns and collection collapses: a factor on donor arrivals at the named houses;
- lab outages: no test runs start during the window, the samples wait;
- station outages: the station neither ships nor separates during the window; its hospitals'
  urgent orders go to the next source of the dispatch policy;
- drone grounding: no sortie takes off or flies during the window (``sim.drones``);
- road closures: road legs crossing the polygon take ``detour_factor`` times longer while the
  closure lasts (the travel-time oracle is rebuilt at its start and end).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
from shapely.geometry import Polygon

from sim.domain import MINUTES_PER_DAY
from sim.scenario.events import DonorChange, RoadClosure, SiteOutage
from sim.world import World


def event_window_min(world: World, event: object) -> tuple[float, float]:
    """An event's start and end in minutes since the scenario start."""
    return world.calendar.minutes(event.start), world.calendar.minutes(event.end)


def donor_event_factor(world: World, house_id: str) -> np.ndarray:
    """Per-day multiplier on a house's donor arrivals from campaigns and collapses.

    A day partly inside a window gets the factor in proportion to the overlap.
    """
    days = len(world.calendar.dates)  # the horizon's days plus the closing day
    factor = np.ones(days)
    starts = np.arange(days) * MINUTES_PER_DAY
    for event in world.scenario.events:
        if not isinstance(event, DonorChange):
            continue
        if event.sites != "all" and house_id not in event.sites:
            continue
        t0, t1 = event_window_min(world, event)
        overlap = (
            np.clip(
                np.minimum(starts + MINUTES_PER_DAY, t1) - np.maximum(starts, t0),
                0.0,
                MINUTES_PER_DAY,
            )
            / MINUTES_PER_DAY
        )
        factor *= 1.0 + overlap * (event.factor - 1.0)
    return factor


def outage_windows(world: World, site_id: str, kind: str) -> list[tuple[float, float]]:
    """Windows (minutes) during which the site is out of service."""
    return [
        event_window_min(world, e)
        for e in world.scenario.events
        if isinstance(e, SiteOutage) and e.type == kind and e.site_id == site_id
    ]


def in_windows(t: float, windows: list[tuple[float, float]]) -> bool:
    """True if minute ``t`` falls inside any window."""
    return any(start <= t < end for start, end in windows)


def start_event_processes(world: World) -> None:
    """Start the processes of events that change the network while they last."""
    from sim.incidents import start_incidents

    start_incidents(world)
    closures = [e for e in world.scenario.events if isinstance(e, RoadClosure)]
    if closures:
        world.env.process(_road_closures(world, closures))


def _road_closures(world: World, closures: list) -> Generator:
    """Rebuild the oracle with the closures active at each start and end time."""
    base = world.oracle
    changes = sorted({t for e in closures for t in event_window_min(world, e)})
    for t in changes:
        yield world.env.timeout(max(0.0, t - world.env.now))
        oracle = base
        for event in closures:
            t0, t1 = event_window_min(world, event)
            if t0 <= world.env.now < t1:
                oracle = oracle.with_closed_roads(Polygon(event.polygon), event.detour_factor)
        world.oracle, world.road = oracle, oracle.road
        if hasattr(world.dispatch, "forget"):
            world.dispatch.forget()  # rankings by road time are stale now
        world.logs.count("road_network_changes")


def is_down(world: World, site: int, t: float) -> bool:
    """True while a station outage covers ``site`` at minute ``t``."""
    windows = world.outages.get(site)
    return bool(windows) and in_windows(t, windows)


def station_outages(world: World) -> dict[int, list[tuple[float, float]]]:
    """Outage windows (minutes) per station position."""
    out: dict[int, list[tuple[float, float]]] = {}
    for event in world.scenario.events:
        if isinstance(event, SiteOutage) and event.type == "station_outage":
            site = world.sites.position(event.site_id)
            out.setdefault(site, []).append(event_window_min(world, event))
    return out
