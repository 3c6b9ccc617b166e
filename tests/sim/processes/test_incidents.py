"""Mass-casualty incidents: nearest capable hospitals, blood used early, emergency demand."""

from __future__ import annotations

import numpy as np
import pytest

from sim.processes.hospital import Hospital
from sim.processes.incidents import _hourly_profile, receiving_hospitals, start_incidents

INCIDENT = """\
events:
  - type: mass_casualty
    start: 2025-03-03T10:00
    end: 2025-03-03T16:00
    lat: 30.22
    lon: 120.18
    casualties: 40
    hospitals: 2
"""


def test_casualties_go_to_capable_hospitals_by_beds(tiny_world) -> None:
    world = tiny_world(extra=INCIDENT)
    event = world.scenario.events[0]
    chosen, shares = receiving_hospitals(world, event)
    assert [world.site_id(h) for h in chosen] == ["h_a"]  # h_b is a county hospital
    assert shares.tolist() == [1.0]


def test_half_of_the_blood_is_used_in_the_first_half_time() -> None:
    profile = _hourly_profile(48, half_h=2.0)
    assert profile.sum() == pytest.approx(1.0)
    assert profile[:2].sum() == pytest.approx(0.5, abs=1e-6)
    assert (np.diff(profile) < 0).all()


def test_incident_demand_is_emergency_demand_inside_the_window(tiny_world) -> None:
    world = tiny_world(extra=INCIDENT)
    site = world.sites.position("h_a")
    world.hospitals[site] = Hospital(world, site)
    start_incidents(world)
    world.env.run(until=600.0)  # 10:00, the start
    assert world.logs.counters == {"mci_casualties": 40.0}
    world.env.run(until=960.0)
    stockouts = world.logs.stockouts.frame()  # the hospital holds no stock in this test
    assert len(stockouts) and set(stockouts.priority) == {"emergency"}
    assert stockouts.time.between(600.0, 960.0).all()
    assert stockouts.short_u.sum() == pytest.approx(world.logs.counters["mci_units_demanded"])
