"""Scheduled disruptions: donor factors per day, road closures while they last."""

from __future__ import annotations

import pytest

from sim.processes.disruptions import donor_event_factor, start_event_processes

DONORS = """\
events:
  - {type: donor_campaign, start: 2025-03-04T12:00, end: 2025-03-05T00:00, factor: 3.0,
     sites: [dh_a]}
  - {type: collection_collapse, start: 2025-03-05T00:00, end: 2025-03-06T00:00, factor: 0.5}
"""
CLOSURE = """\
events:
  - type: road_closure
    start: 2025-03-03T06:00
    end: 2025-03-03T12:00
    polygon: [[120.0, 30.0], [120.6, 30.0], [120.6, 30.5], [120.0, 30.5]]
    detour_factor: 3.0
"""


def test_donor_factors_count_the_overlap_of_each_day(tiny_world) -> None:
    world = tiny_world(extra=DONORS)
    factor = donor_event_factor(world, "dh_a")
    assert factor.tolist() == [1.0, 2.0, 0.5, 1.0]  # half a day at x3, a day at x0.5
    assert donor_event_factor(world, "dh_other").tolist() == [1.0, 1.0, 0.5, 1.0]


def test_a_road_closure_slows_road_legs_only_while_it_lasts(tiny_world) -> None:
    world = tiny_world(extra=CLOSURE)
    a, b = world.sites.position("bs_a"), world.sites.position("h_b")
    before = world.road.offpeak_minutes(a, b)
    start_event_processes(world)
    world.env.run(until=361.0)
    assert world.road.offpeak_minutes(a, b) == pytest.approx(3.0 * before)
    world.env.run(until=721.0)
    assert world.road.offpeak_minutes(a, b) == pytest.approx(before)
    assert world.logs.counters["road_network_changes"] == 2
