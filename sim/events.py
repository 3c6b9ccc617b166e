"""Scheduled events of a scenario, turned into what the processes consult.

Supported here: donor campaigns and collection collapses (a factor on donor arrivals at the
named houses during the window) and lab outages (no test runs start during the window; the
samples wait). Other event types are refused with a clear error until they are modelled.
"""

from __future__ import annotations

import numpy as np

from sim.domain import MINUTES_PER_DAY
from sim.errors import RunError
from sim.scenario.events import DonorChange, SiteOutage
from sim.world import World

SIMULATED = frozenset({"donor_campaign", "collection_collapse", "lab_outage", "drone_grounding"})


def check_supported(world: World) -> None:
    """Raise :class:`RunError` naming any scheduled event type the model cannot play yet."""
    for i, event in enumerate(world.scenario.events):
        if event.type not in SIMULATED:
            supported = ", ".join(sorted(SIMULATED))
            raise RunError(
                f"events.{i}: event type {event.type!r} is not simulated yet "
                f"(supported: {supported})"
            )


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
