"""Donation houses: finished donations handed over by time, hour-slot booking."""

from __future__ import annotations

import numpy as np

from sim.core.domain import MINUTES_PER_DAY
from sim.processes.donors import DonationHouse, _book_slots

ALL_DEFERRED = """\
supply:
  donors_per_house_per_day: 40
  deferral_share: 0.999999  # below 1 (the scenario limit)
  apheresis: {doses_per_day: 6}
"""


def test_take_buffer_hands_over_only_what_is_finished(tiny_world) -> None:
    world = tiny_world()
    house = DonationHouse(world, world.sites.position("dh_a"), np.zeros(4))
    house.buffer = [(10.0, 1.0, 0, 1), (50.0, 2.0, 1, 1), (90.0, 1.5, 2, 0)]
    assert house.take_buffer(50.0) == [(10.0, 1.0, 0, 1), (50.0, 2.0, 1, 1)]
    assert house.take_buffer() == [(90.0, 1.5, 2, 0)]
    assert house.buffer == []


def test_a_day_of_donors_fills_the_buffer_within_the_day(tiny_world) -> None:
    world = tiny_world()
    house = DonationHouse(world, world.sites.position("dh_a"), np.full(4, 30.0))
    world.env.process(house.run())
    world.env.run(until=MINUTES_PER_DAY)
    times = [d[0] for d in house.buffer]
    assert times and all(0.0 < t < MINUTES_PER_DAY for t in times)
    assert {d[1] for d in house.buffer} <= {1.0, 1.5, 2.0}  # 200, 300, 400 mL
    assert len(world.logs.donor_waits) >= len(house.buffer)  # deferred donors wait too


def test_deferred_donors_wait_but_give_nothing(tiny_world) -> None:
    world = tiny_world(extra=ALL_DEFERRED)
    house = DonationHouse(world, world.sites.position("dh_a"), np.full(4, 30.0))
    world.env.process(house.run())
    world.env.run(until=MINUTES_PER_DAY)
    assert house.buffer == [] and len(world.logs.donor_waits) > 0


def test_a_booked_donor_takes_the_wanted_hour_or_the_next_free_one() -> None:
    profile = np.zeros(24)
    profile[8:11] = 1.0 / 3
    hours = np.array([9, 9, 9, 9, 8])
    booked = _book_slots(hours, capacity=1, profile=profile)
    assert booked.tolist() == [9, 10, 9, 9, 8]  # the third and fourth find no later slot
