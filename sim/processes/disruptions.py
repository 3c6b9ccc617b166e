"""Scheduled events of a scenario, turned into what the processes consult.

- donor campaigns and collection collapses: a factor on donor arrivals at the named houses;
- lab outages: no test runs start during the window, the samples wait;
- station outages: the station neither ships nor separates during the window; its hospitals'
  urgent orders go to the next source of the dispatch policy;
- drone grounding: no sortie takes off or flies during the window (``sim.transport.drones``);
- road closures: road legs crossing the polygon take ``detour_factor`` times longer while the
  closure lasts (the travel-time oracle is rebuilt at its start and end).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
from shapely.geometry import Polygon

from sim.core.domain import MINUTES_PER_DAY
from sim.processes.incidents import start_incidents
from sim.scenario.events import DonorChange, RoadClosure
from sim.state.outages import event_window_min
from sim.state.world import World


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
        t0, t1 = event_window_min(world.calendar, event)
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


def start_event_processes(world: World) -> None:
    """Start the processes of events that change the network while they last."""
    start_incidents(world)
    closures = [e for e in world.scenario.events if isinstance(e, RoadClosure)]
    if closures:
        world.env.process(_road_closures(world, closures))


def _road_closures(world: World, closures: list) -> Generator:
    """Rebuild the oracle with the closures active at each start and end time."""
    base = world.oracle
    changes = sorted({t for e in closures for t in event_window_min(world.calendar, e)})
    for t in changes:
        yield world.env.timeout(max(0.0, t - world.env.now))
        oracle = base
        for event in closures:
            t0, t1 = event_window_min(world.calendar, event)
            if t0 <= world.env.now < t1:
                oracle = oracle.with_closed_roads(Polygon(event.polygon), event.detour_factor)
        world.oracle, world.road = oracle, oracle.road
        world.dispatch.forget()  # rankings by road time are stale now
        world.logs.count("road_network_changes")
