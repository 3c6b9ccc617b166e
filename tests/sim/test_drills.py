"""Drill mechanics: escalation order, road closures, station outages, emergency release."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import run
from sim.build import make_world, populate
from sim.core.domain import MINUTES_PER_DAY, Product
from sim.processes.orders import choose_source, escalation_order
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DAY = MINUTES_PER_DAY


@pytest.fixture(scope="module")
def zhejiang_world():
    """The baseline with van dispatch: escalation between stations, no lateral hospitals
    (the baseline's multimodal dispatch also ranks the nearest hospitals as sources)."""
    loaded = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml")
    vans = loaded.scenario.policies.model_copy(update={"dispatch": "ground_only"})
    scenario = loaded.scenario.model_copy(update={"policies": vans})
    world = make_world(scenario, loaded.region, 1)
    populate(world)
    return world


def test_escalation_order_is_own_station_then_provincial_center(zhejiang_world):
    world = zhejiang_world
    hospital = world.sites.position("h_wenzhou_001")
    order = escalation_order(world, hospital)
    assert world.site_id(order[0]) == "bs_wenzhou"
    assert world.site_id(order[1]) == "bc_hangzhou"
    assert len(order) == len(set(order)) == len(world.sites.stations)


def test_an_empty_own_station_escalates_to_level_3(zhejiang_world):
    world = zhejiang_world
    hospital = world.sites.position("h_wenzhou_002")
    own = world.stock[world.sites.position("bs_wenzhou")]
    own.take_ids(own.ids(Product.PLT))  # the Wenzhou station runs out of platelets
    station, ids, level = choose_source(world, hospital, Product.PLT, 0, 1, 2.0)
    assert level == 3 and len(ids)
    # Hangzhou is over 4 h away by road: a nearer station within max_source_min gives
    road = world.road
    minutes = road.urban_min[station, hospital] + road.rest_min[station, hospital]
    assert world.site_id(station) != "bs_wenzhou"
    assert minutes <= world.scenario.escalation.max_source_min


OUTAGE = """
events:
  - {type: station_outage, start: 2025-03-04T00:00, end: 2025-03-05T00:00, site_id: bs_a}
  - {type: mass_casualty, start: 2025-03-04T08:00, end: 2025-03-04T20:00, lat: 30.22,
     lon: 120.19, casualties: 40, hospitals: 1}
"""


def test_station_outage_sends_urgent_orders_to_the_next_level(tiny_scenario):
    result = run(tiny_scenario(days=3, seed=6, extra=OUTAGE))
    orders = result.orders
    during = orders[
        (orders.placed_at >= DAY) & (orders.placed_at < 2 * DAY) & (orders.priority != "routine")
    ]
    assert len(during) and (during.level == 4).all()  # one station: next is other provinces
    legs = result.legs
    shipped = legs[(legs.from_site == "bs_a") & (legs.purpose == "delivery")]
    assert not ((shipped.depart_at >= DAY) & (shipped.depart_at < 2 * DAY)).any()
    imported = result.kpis["units_imported"]["total"]
    assert imported > 0 and (legs["mode"] == "external").any()


CLOSURE = """
events:
  - {type: road_closure, start: 2025-03-04T00:00, end: 2025-03-05T00:00, detour_factor: 3.0,
     polygon: [[119.9, 29.9], [120.7, 29.9], [120.7, 30.6], [119.9, 30.6]]}
"""


def test_road_closure_slows_vans_only_while_it_lasts(tiny_scenario):
    base = run(tiny_scenario(days=3, seed=6))
    closed = run(tiny_scenario(days=3, seed=6, extra=CLOSURE))

    def mean_speed(legs, t0, t1):
        vans = legs[
            (legs["mode"] == "van") & (legs.km > 1) & (legs.depart_at >= t0) & (legs.depart_at < t1)
        ]
        return float((vans.km / (vans.arrive_at - vans.depart_at)).mean())

    assert mean_speed(closed.legs, DAY, 2 * DAY) < 0.7 * mean_speed(base.legs, DAY, 2 * DAY)
    assert mean_speed(closed.legs, 0, DAY) == pytest.approx(mean_speed(base.legs, 0, DAY))
    assert closed.kpis["counters"]["road_network_changes"] == 2


def test_emergency_o_release_is_recorded(tiny_scenario):
    result = run(
        tiny_scenario(
            days=3,
            seed=6,
            extra=OUTAGE.split("  - {type: station")[0] + OUTAGE.split("site_id: bs_a}\n")[1],
        )
    )
    counters = result.kpis["counters"]
    assert counters["emergency_o_release_u"] > 0
    assert np.isclose(counters["mci_casualties"], 40)
