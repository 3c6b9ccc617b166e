"""Demand means and outage windows, computed once from the scenario when a World is built."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import MINUTES_PER_DAY, Product
from sim.state.demand_means import hospital_means, served_means, station_safety
from sim.state.outages import in_windows, is_down, outage_windows, station_outages

OUTAGES = """\
events:
  - {type: station_outage, start: 2025-03-04T06:00, end: 2025-03-04T18:00, site_id: bs_a}
  - {type: lab_outage, start: 2025-03-03T00:00, end: 2025-03-03T12:00, site_id: lab_a}
"""


def test_hospital_means_are_beds_times_the_tier_rate(tiny_world) -> None:
    world = tiny_world()
    means = hospital_means(world.scenario.demand, world.sites)
    h_a, h_b = world.sites.position("h_a"), world.sites.position("h_b")
    assert means[h_a][Product.RBC] == pytest.approx(12 * 2.0)  # 1200 beds, tertiary
    assert means[h_b][Product.FFP] == pytest.approx(3 * 0.8)  # 300 beds, county
    with pytest.raises(ValueError, match="read-only"):
        means[h_a][Product.RBC] = 0.0


def test_a_station_serves_the_sum_of_its_hospitals(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    served = served_means(world.demand_mean, world.sites)
    total = sum(world.demand_mean.values())
    assert np.allclose(served[station][: len(total)], total)
    safety = station_safety(served, world.scenario.inventory.station.safety_days)
    days = world.scenario.inventory.station.safety_days.RBC
    assert safety[station][Product.RBC] == pytest.approx(days * served[station][Product.RBC])
    assert safety[station][Product.FRBC] == 0.0  # no safety days set for frozen red cells


def test_outage_windows_are_minutes_per_site_and_kind(tiny_world) -> None:
    world = tiny_world(extra=OUTAGES)
    station = world.sites.position("bs_a")
    day = MINUTES_PER_DAY
    assert station_outages(world.scenario, world.calendar, world.sites) == {
        station: [(day + 360.0, day + 1080.0)]
    }
    lab = outage_windows(world.scenario, world.calendar, "lab_a", "lab_outage")
    assert lab == [(0.0, 720.0)]
    assert outage_windows(world.scenario, world.calendar, "lab_a", "station_outage") == []
    assert is_down(world.outages, station, day + 360.0)
    assert not is_down(world.outages, station, day + 1080.0)  # the end is open
    assert not is_down(world.outages, world.sites.position("h_a"), day + 400.0)
    assert in_windows(719.9, lab) and not in_windows(720.0, lab)
