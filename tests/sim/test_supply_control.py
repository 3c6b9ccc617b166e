"""Supply that follows demand: donor base, collection control, lunar calendar (issue 11)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.build import donor_factor, make_world, populate
from sim.calibration.donors import appointment_effect, visit_minutes
from sim.core.calendar import Calendar, spring_festival
from sim.core.domain import MINUTES_PER_DAY, Product
from sim.core.errors import RunError
from sim.processes.collection_control import recruitment_factor
from sim.processes.donors import house_donors, red_cells_per_donor
from sim.scenario import load_scenario
from sim.scenario.supply import CollectionControl, SeasonWindow
from sim.state.world import World
from tests.sim.conftest import TINY_SCENARIO

SPEC = CollectionControl()


@pytest.mark.parametrize(
    "year, festival",
    [
        (2020, "2020-01-25"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2033, "2033-01-31"),
    ],  # fmt: skip
)
def test_spring_festival_dates_come_from_the_lunar_calendar(year, festival):
    assert spring_festival(year) == date.fromisoformat(festival)


def test_festival_window_follows_the_festival_across_a_year_end():
    calendar = Calendar(date(2025, 12, 1), 120)
    inside = [d for d, m in zip(calendar.dates, calendar.window_mask(-7, 7), strict=False) if m]
    festival = date(2026, 2, 17)
    assert inside == [festival + timedelta(days=k) for k in range(-7, 8)]


def test_fixed_windows_still_wrap_the_year_end():
    calendar = Calendar(date(2025, 12, 25), 14)
    mask = calendar.window_mask("12-30", "01-02")
    assert [d.isoformat() for d, m in zip(calendar.dates, mask, strict=True) if m] == [
        "2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"]  # fmt: skip


def test_festival_beyond_the_lunar_tables_is_one_clear_error():
    with pytest.raises(RunError, match="Spring Festival of 2101 is unknown"):
        Calendar(date(2100, 12, 1), 90).window_mask(-7, 7)


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"start": -3, "end": 4}, "are not month-days"),
        ({"anchor": "spring_festival", "start": "01-02", "end": 3}, "are not day offsets"),
        ({"anchor": "spring_festival", "start": -91, "end": 3}, "is not a day offset"),
        ({"anchor": "spring_festival", "start": 5, "end": 3}, "start 5 is after end 3"),
        ({"anchor": "spring_festival", "start": 2.5, "end": 3}, "whole number of days"),
        ({"anchor": "spring_festival", "start": True, "end": 3}, "whole number of days"),
    ],
)
def test_bad_season_windows_are_refused(fields, expected):
    with pytest.raises(ValidationError, match=expected):
        SeasonWindow(name="w", factor=1.0, **fields)


def test_collection_throttles_when_cover_is_high_and_rises_when_low():
    assert recruitment_factor(14.0, 7.0, 3.0, SPEC) == pytest.approx(0.6)  # at the floor
    assert recruitment_factor(8.0, 7.0, 3.0, SPEC) == pytest.approx(7 / 8)
    assert recruitment_factor(7.0, 7.0, 3.0, SPEC) == pytest.approx(1.0)
    assert recruitment_factor(5.0, 7.0, 3.0, SPEC) == pytest.approx(1.25)
    assert recruitment_factor(1.0, 7.0, 3.0, SPEC) == pytest.approx(1.5)


@settings(max_examples=200, deadline=None)
@given(low=st.floats(0, 60), high=st.floats(0, 60), safety=st.floats(0.5, 5), gap=st.floats(0, 10))
def test_recruitment_never_rises_with_cover_and_stays_bounded(low, high, safety, gap):
    low, high = sorted((low, high))
    target = safety + gap
    a, b = (recruitment_factor(c, target, safety, SPEC) for c in (low, high))
    assert a >= b - 1e-12
    assert SPEC.throttle_floor <= b <= a <= SPEC.campaign_factor


def _tiny_world(tiny_dir, name: str, text: str) -> World:
    path = tiny_dir / name
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    world = make_world(loaded.scenario, loaded.region, loaded.scenario.seed)
    populate(world)
    return world


def test_donor_base_brings_red_cells_to_the_demand_served(tiny_dir):
    world = _tiny_world(tiny_dir, "tiny_base.yaml", TINY_SCENARIO.format(days=3, seed=1))
    houses = world.sites.of_kind("donation_house")
    station = int(world.sites.stations[0])
    red_cells = house_donors(world, houses).sum() * red_cells_per_donor(world)
    assert red_cells == pytest.approx(world.served_mean[station][Product.RBC])


def test_a_run_in_2026_dips_collection_over_its_own_festival(tiny_dir):
    text = TINY_SCENARIO.format(days=30, seed=1).replace("2025-03-03", "2026-02-01")
    world = _tiny_world(tiny_dir, "tiny_2026.yaml", text)
    factor = donor_factor(world) / world.calendar.weekday_factor(
        world.scenario.supply.weekday_factors
    ) * np.mean(world.scenario.supply.weekday_factors)  # fmt: skip
    by_date = dict(zip(world.calendar.dates, factor, strict=True))
    assert by_date[date(2026, 2, 17)] == pytest.approx(0.70)  # lunar new year 2026
    assert by_date[date(2026, 2, 2)] == pytest.approx(1.25)  # pre-festival campaign
    assert by_date[date(2026, 2, 26)] == pytest.approx(1.0)


def _control_world(tiny_dir, name: str, factor: float) -> World:
    event = (
        "events:\n  - {type: donor_campaign, name: drive, start: 2025-03-03T00:00,"
        f" end: 2025-03-13T00:00, factor: {factor}}}\n"
    )
    if factor < 1:
        event = event.replace("donor_campaign", "collection_collapse")
    world = _tiny_world(tiny_dir, name, TINY_SCENARIO.format(days=12, seed=2) + event)
    world.env.run(until=12 * MINUTES_PER_DAY)
    return world


def test_a_station_above_target_throttles_and_one_below_safety_calls_donors(tiny_dir):
    flooded = _control_world(tiny_dir, "tiny_flood.yaml", 4.0)
    starved = _control_world(tiny_dir, "tiny_starve.yaml", 0.05)
    station = int(flooded.sites.stations[0])
    late = slice(8, 12)
    assert flooded.houses[0].recruitment.factors[station][late].max() < 1.0
    assert starved.houses[0].recruitment.factors[station][late].min() > 1.0
    assert flooded.logs.counters["recruitment_throttle_station_days"] > 0
    assert starved.logs.counters["recruitment_campaign_station_days"] > 0


def test_appointments_cut_the_wait_of_the_same_donors(tiny_dir):
    busy = "supply:\n  queue: {staff: 1}\n"
    text = TINY_SCENARIO.format(days=3, seed=4).replace("supply:\n", busy, 1)
    world = _tiny_world(tiny_dir, "tiny_paired.yaml", text)
    world.env.run(until=3 * MINUTES_PER_DAY)
    counters = world.logs.counters
    assert counters["donors_paired"] == len(world.logs.donor_waits) > 0
    assert counters["donor_wait_paired_walk_in_min"] == pytest.approx(sum(world.logs.donor_waits))
    assert counters["donor_wait_paired_appointment_min"] < counters["donor_wait_paired_walk_in_min"]
    queue = world.scenario.supply.queue
    floor = queue.registration_min + queue.screening_min  # every visit lasts at least this
    assert counters["donor_visit_min"] / counters["donors_paired"] > floor / 2


def test_the_appointment_effect_reads_the_paired_counters():
    counters = {
        "donor_wait_paired_walk_in_min": 1000.0,
        "donor_wait_paired_appointment_min": 300.0,
        "donors_paired": 100.0,
        "donor_visit_min": 5000.0,
    }
    assert appointment_effect({"counters": counters}).value == pytest.approx(70.0)
    assert visit_minutes({"counters": counters}).value == pytest.approx(50.0)
    assert appointment_effect({"counters": {}}).value is None
    counters["donor_wait_paired_walk_in_min"] = 0.0
    assert "never waited" in appointment_effect({"counters": counters}).detail


def test_apheresis_bookings_follow_the_weekdays_of_use(tiny_dir):
    text = TINY_SCENARIO.format(days=29, seed=5).replace("PLT: 0.3", "PLT: 3.0")
    world = _tiny_world(tiny_dir, "tiny_plt.yaml", text + "  daily_cv: 0\n")
    world.env.run(until=29 * MINUTES_PER_DAY)
    ledger = world.ledger
    rows = (ledger.product == Product.PLT) & (ledger.donation_id >= 0) & (ledger.collected_at > 0)
    days = (ledger.collected_at[rows] // MINUTES_PER_DAY).astype(int)
    per_day = np.bincount(days, minlength=29)[7:]  # after the first week
    weekday = world.calendar.weekdays[7:29]
    weekend, midweek = per_day[weekday >= 5].mean(), per_day[(weekday >= 1) & (weekday <= 3)].mean()
    assert weekend < 0.9 * midweek  # use: 0.85 at weekends vs 1.1 mid-week
