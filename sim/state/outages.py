"""Outage windows of the scenario's events, in minutes since the scenario start.

Stations and labs consult these windows: a station neither ships nor separates while it
is down, a lab starts no test run. The windows are fixed for the run (``World.outages``).
"""

from __future__ import annotations

from sim.core.calendar import Calendar
from sim.scenario.events import SiteOutage
from sim.scenario.model import Scenario
from sim.state.sites import SiteIndex

Windows = list[tuple[float, float]]


def event_window_min(calendar: Calendar, event: object) -> tuple[float, float]:
    """An event's start and end in minutes since the scenario start."""
    return calendar.minutes(event.start), calendar.minutes(event.end)


def outage_windows(scenario: Scenario, calendar: Calendar, site_id: str, kind: str) -> Windows:
    """Windows (minutes) during which the site is out of service (``kind``: the event type,
    ``"lab_outage"`` or ``"station_outage"``)."""
    return [
        event_window_min(calendar, e)
        for e in scenario.events
        if isinstance(e, SiteOutage) and e.type == kind and e.site_id == site_id
    ]


def in_windows(t: float, windows: Windows) -> bool:
    """True if minute ``t`` falls inside any window."""
    return any(start <= t < end for start, end in windows)


def station_outages(scenario: Scenario, calendar: Calendar, sites: SiteIndex) -> dict[int, Windows]:
    """Outage windows (minutes) per station position."""
    out: dict[int, Windows] = {}
    for event in scenario.events:
        if isinstance(event, SiteOutage) and event.type == "station_outage":
            site = sites.position(event.site_id)
            out.setdefault(site, []).append(event_window_min(calendar, event))
    return out


def is_down(outages: dict[int, Windows], site: int, t: float) -> bool:
    """True while a station outage covers ``site`` at minute ``t``."""
    windows = outages.get(site)
    return bool(windows) and in_windows(t, windows)
