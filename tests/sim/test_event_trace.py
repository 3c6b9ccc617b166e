"""Event traces: one donation and one emergency order followed through the result tables.

Every expected minute is derived from the scenario configuration (pickup hours, processing
delay, sample dispatch hours, lab shifts and turnaround, demand blocks, packing time, shelf
life), not copied from a run's output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.core.domain import MINUTES_PER_DAY
from sim.scenario.loader import load_scenario

SEED = 7
DAYS = 3

# Hospitals hold no stock, so every urgent and emergency need is ordered from the station.
EMPTY_HOSPITALS = """\
inventory:
  hospital:
    target_days: {RBC: 0, PLT: 0, FFP: 0, CRYO: 0}
    safety_days: {RBC: 0, PLT: 0, FFP: 0, CRYO: 0}
"""


def _at_hours(day_hours: tuple[float, ...], minute: float) -> bool:
    """``minute`` falls exactly on one of ``day_hours`` (hours of day) on some day."""
    hour = (minute % MINUTES_PER_DAY) / 60.0
    return any(math.isclose(hour, h, abs_tol=1e-9) for h in day_hours)


@pytest.fixture
def donation_run(tiny_scenario):
    loaded = load_scenario(tiny_scenario(days=DAYS, seed=SEED))
    return loaded.scenario, run(loaded)


@pytest.fixture
def shortage_run(tiny_scenario):
    loaded = load_scenario(tiny_scenario(days=DAYS, seed=SEED, extra=EMPTY_HOSPITALS))
    return loaded.scenario, run(loaded)


def test_one_donation_from_collection_to_release(donation_run) -> None:
    scenario, result = donation_run
    ledger, legs = result.ledger, result.legs
    house, station, lab = "dh_a", "bs_a", "lab_a"

    # The first red-cell bag collected during the run that was released from quarantine.
    collected = ledger[(ledger.collected_at > 0) & (ledger["product"] == "RBC")]
    collected = collected.sort_values("collected_at")
    bag = collected[collected.released_at.notna()].iloc[0]
    t0 = float(bag.collected_at)

    # Shelf life counts from collection.
    shelf_min = scenario.products["RBC"].shelf_life_days * MINUTES_PER_DAY
    assert bag.expires_at == pytest.approx(t0 + shelf_min, abs=1e-6)
    # Its plasma twin: same donation, same collection minute, plasma shelf life.
    twins = ledger[(ledger.donation_id == bag.donation_id) & (ledger.unit_id != bag.unit_id)]
    assert len(twins) == 1
    twin = twins.iloc[0]
    assert twin["product"] in ("FFP", "CRYO")
    assert twin.collected_at == t0
    assert twin.group == bag.group and twin.size_u == bag.size_u
    plasma_min = scenario.products[twin["product"]].shelf_life_days * MINUTES_PER_DAY
    assert twin.expires_at == pytest.approx(t0 + plasma_min, abs=1e-6)

    # Collection leg: the first pickup at its house after the donation, at a pickup hour.
    pickups = legs[
        (legs.purpose == "collection") & (legs.from_site == house) & (legs.to_site == station)
    ].sort_values("depart_at")
    assert (pickups["mode"] == "van").all()
    pickup = pickups[pickups.depart_at >= t0].iloc[0]
    assert _at_hours(scenario.supply.pickup_hours, pickup.depart_at)
    assert pickup.arrive_at > pickup.depart_at
    # No earlier pickup could have carried it: the previous one left before the donation.
    earlier = pickups[pickups.depart_at < pickup.depart_at]
    previous = float(earlier.depart_at.max()) if len(earlier) else -np.inf
    assert previous < t0 <= pickup.depart_at
    # The van positioned itself from the station to reach the house exactly at pickup time.
    positioning = legs[
        (legs.purpose == "positioning")
        & (legs.from_site == station)
        & (legs.to_site == house)
        & np.isclose(legs.arrive_at, pickup.depart_at)
    ]
    assert len(positioning) == 1
    # The leg carries exactly the bags of the donations finished since the previous pickup.
    window = ledger[
        (ledger.collected_at > max(previous, 0.0))  # opening stock has collected_at < 0
        & (ledger.collected_at <= pickup.depart_at)
        & (ledger["product"] != "PLT")
    ]
    assert pickup.bags == len(window)
    assert pickup.samples == window.donation_id.nunique()
    assert pickup.units == pytest.approx(window.size_u.sum())

    # Separation at the station after the processing delay, then samples to the lab at the
    # first dispatch hour at or after separation.
    separated = pickup.arrive_at + scenario.processing.delay_h * 60.0
    assert separated - t0 <= scenario.processing.window_h * 60.0  # plasma still in the window
    samples = legs[
        (legs.purpose == "samples")
        & (legs.from_site == station)
        & (legs.to_site == lab)
        & (legs.depart_at >= separated)
    ].sort_values("depart_at")
    run_out = samples.iloc[0]
    assert _at_hours(scenario.testing.sample_dispatch_hours, run_out.depart_at)
    day_start = (separated // MINUTES_PER_DAY) * MINUTES_PER_DAY
    first_dispatch = min(
        day_start + day * MINUTES_PER_DAY + h * 60.0
        for day in (0, 1)
        for h in scenario.testing.sample_dispatch_hours
        if day_start + day * MINUTES_PER_DAY + h * 60.0 >= separated
    )
    assert run_out.depart_at == pytest.approx(first_dispatch)
    assert run_out.samples > 0 and run_out.bags == 0  # samples travel, bags stay

    # The lab loads samples at the next shift start and releases after the turnaround.
    testing = scenario.testing
    shift_min = MINUTES_PER_DAY / testing.shifts_per_day
    assert run_out.samples <= testing.tests_per_shift * testing.instruments_per_lab
    shift_start = math.ceil(run_out.arrive_at / shift_min) * shift_min
    expected_release = shift_start + testing.turnaround_h * 60.0
    assert bag.released_at == pytest.approx(expected_release, abs=1e-6)
    assert twin.released_at == bag.released_at or twin.state == "discarded"
    assert t0 < pickup.arrive_at < separated <= run_out.depart_at < bag.released_at
    # Released at the station, then still alive or used later, never before release.
    assert bag.state in ("available", "reserved", "in_transit", "transfused")
    if not pd.isna(bag.disposed_at):
        assert bag.disposed_at >= bag.released_at


def test_one_emergency_order_from_placement_to_transfusion(shortage_run) -> None:
    scenario, result = shortage_run
    orders, legs, ledger, stockouts = result.orders, result.legs, result.ledger, result.stockouts
    demand = scenario.demand

    emergencies = orders[(orders.priority == "emergency") & (orders.level == 2)]
    assert len(emergencies), "the shortage scenario places no emergency order"
    order = emergencies.sort_values("placed_at").iloc[0]
    hospital, station = order.hospital_id, order.station_id
    assert station == "bs_a"

    # Placed when a demand block is issued; the shortfall is on the stockouts table.
    block_min = MINUTES_PER_DAY / demand.blocks_per_day
    assert (order.placed_at / block_min - 0.5) == pytest.approx(
        round(order.placed_at / block_min - 0.5)
    )
    short = stockouts[
        (stockouts.time == order.placed_at)
        & (stockouts.hospital_id == hospital)
        & (stockouts["product"] == order["product"])
        & (stockouts.group == order.group)
        & (stockouts.priority == "emergency")
        & (stockouts.outcome == "ordered")
    ]
    assert len(short) == 1
    assert short.iloc[0].short_u >= order.quantity_u
    assert order.required_by == pytest.approx(order.placed_at + demand.required_by_min["emergency"])

    # Packed at the station, then shipped.
    assert order.shipped_at == pytest.approx(order.placed_at + scenario.escalation.packing_min)

    # The delivery leg: the van leaving the station for the hospital with this order's box.
    # A box may hold several patient orders of one hospital (urgent, or routine ones for a
    # group the hospital keeps no stock of); the leg names the box's first.
    box = orders[
        (orders.hospital_id == hospital)
        & (orders.station_id == station)
        & (orders.shipped_at == order.shipped_at)
        & (orders.group != "mixed")
    ]
    assert order.order_id in set(box.order_id)
    leg_rows = legs[
        (legs.purpose == "delivery")
        & (legs.from_site == station)
        & (legs.to_site == hospital)
        & legs.order_id.isin(box.order_id)
    ]
    assert len(leg_rows) == 1
    leg = leg_rows.iloc[0]
    assert leg["mode"] == "van" == order["mode"]
    assert leg.depart_at >= order.shipped_at >= order.placed_at
    assert leg.arrive_at > leg.depart_at
    assert order.arrived_at == leg.arrive_at
    assert (box.arrived_at == leg.arrive_at).all()
    # The van's travel time matches the road model's other runs of the same trip leaving at
    # the same time of day (the road time depends only on the pair and the departure time).
    same_trip = legs[
        (legs.from_site == station)
        & (legs.to_site == hospital)
        & np.isclose(legs.depart_at % MINUTES_PER_DAY, leg.depart_at % MINUTES_PER_DAY)
    ]
    assert np.allclose(same_trip.arrive_at - same_trip.depart_at, leg.arrive_at - leg.depart_at)
    # The van drives back empty from the hospital the minute it has unloaded.
    back = legs[
        (legs.purpose == "return")
        & (legs.from_site == hospital)
        & (legs.to_site == station)
        & (legs.depart_at == leg.arrive_at)
    ]
    assert len(back) >= 1 and (back.units == 0).all()

    # The units: assigned to the order, carried by the leg, transfused on arrival there.
    units = ledger[ledger.order_id == order.order_id]
    assert len(units)
    assert units.size_u.sum() == pytest.approx(order.filled_u)
    assert order.filled_u >= order.quantity_u and order.status == "filled"
    assert (units["product"] == order["product"]).all()
    assert (units.state == "transfused").all()
    assert (units.site_id == hospital).all()
    assert (units.disposed_at == order.arrived_at).all()
    assert (units.released_at <= order.placed_at).all()  # out of quarantine when picked
    assert (units.expires_at > order.arrived_at).all()
    box_units = ledger[ledger.order_id.isin(box.order_id)]
    assert leg.bags == len(box_units)
    assert leg.units == pytest.approx(box_units.size_u.sum())
