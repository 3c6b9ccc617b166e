"""County blood banks: first source of urgent units for their county, replenished from the
city station, units conserved (a tiny region with one bank)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from sim import run
from sim.build import make_world, populate
from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.processes.county_banks import bank_means, county_banks, whole_units
from sim.scenario.loader import load_scenario
from sim.state.sites import SiteIndex
from sim.state.world import World
from tests.sim.conftest import TINY_SCENARIO

# site_id, kind, city, county, lon, lat, tier, beds, station_id, lab_id
SITES = [
    ("bs_a", "blood_station", "A", "A区", 120.20, 30.25, None, None, None, "lab_a"),
    ("lab_a", "lab", "A", "A区", 120.25, 30.27, None, None, None, None),
    ("dh_a", "donation_house", "A", "A区", 120.16, 30.28, None, 6, "bs_a", None),
    ("h_a", "hospital", "A", "A区", 120.18, 30.22, "tertiary", 1200, "bs_a", None),
    # a county 60 km from the station, with its bank inside the People's Hospital
    ("h_c", "hospital", "A", "C县", 120.80, 30.00, "county", 600, "bs_a", None),
    ("h_c2", "hospital", "A", "C县", 120.82, 30.01, "county", 400, "bs_a", None),
    ("cbb_c", "county_blood_bank", "A", "C县", 120.80, 30.00, None, None, "bs_a", None),
]

# Hospitals hold nothing, so every urgent and emergency need is ordered.
EXTRA = """\
inventory:
  hospital:
    target_days: {{RBC: 0, PLT: 0, FFP: 0, CRYO: 0}}
    safety_days: {{RBC: 0, PLT: 0, FFP: 0, CRYO: 0}}
escalation:
  county_banks: {banks}
  county_bank_days: {{RBC: {bank_days}, PLT: {plt_days}, FFP: 0, CRYO: 0}}
"""


@pytest.fixture(scope="module")
def region_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county") / "county_region"
    folder.mkdir()
    keys = ("site_id", "kind", "city", "county", "tier", "beds", "station_id", "lab_id")
    rows = [dict(zip(keys, (*r[:4], *r[6:]), strict=True)) | {"name": r[0]} for r in SITES]
    frame = gpd.GeoDataFrame(rows, geometry=[Point(r[4], r[5]) for r in SITES], crs="EPSG:4326")
    frame.to_file(folder / "sites.geojson", driver="GeoJSON")
    return folder


def _scenario(region_dir: Path, days=4, seed=5, banks="true", bank_days=3.0, plt_days=0.0) -> Path:
    path = region_dir.parent / f"county_{days}_{seed}_{banks}_{bank_days}_{plt_days}.yaml"
    text = TINY_SCENARIO.format(days=days, seed=seed).replace("tiny_region", region_dir.name)
    text += EXTRA.format(banks=banks, bank_days=bank_days, plt_days=plt_days)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bank_run(region_dir: Path):
    loaded = load_scenario(_scenario(region_dir))
    return loaded.scenario, run(loaded)


def _world(region_dir: Path, **kwargs) -> World:
    loaded = load_scenario(_scenario(region_dir, **kwargs))
    world = make_world(loaded.scenario, loaded.region, loaded.scenario.seed)
    populate(world)
    return world


def test_hospitals_of_the_county_have_its_bank(region_dir: Path) -> None:
    sites = SiteIndex.from_sites(gpd.read_file(region_dir / "sites.geojson"))
    bank = sites.position("cbb_c")
    assert list(sites.county_banks) == [bank]
    assert sites.bank_of[sites.position("h_c")] == bank
    assert sites.bank_of[sites.position("h_c2")] == bank
    assert sites.bank_of[sites.position("h_a")] == -1  # city district: no bank
    assert sites.bank_of[bank] == -1 and sites.bank_of[sites.position("bs_a")] == -1


def test_bank_stock_follows_its_county_demand(region_dir: Path) -> None:
    world = _world(region_dir, bank_days=2.0)
    bank = world.sites.position("cbb_c")
    hospitals = [world.sites.position(h) for h in ("h_c", "h_c2")]
    mean = bank_means(world)[bank]
    assert mean == pytest.approx(sum(world.demand_mean[h] for h in hospitals))
    # Opening stock: 2 days of the county's red cells in whole units, shared by group.
    quota = 2.0 * mean[Product.RBC] * world.groups.grid()
    held = world.stock[bank].on_hand_by_group(Product.RBC, now=0.0)
    assert held.sum() == np.floor(quota.sum() + 0.5)
    assert (np.abs(held - quota) < 1).all()
    assert list(county_banks(_world(region_dir, banks="false"))) == []


def test_urgent_need_at_a_county_hospital_is_served_from_its_bank(bank_run) -> None:
    scenario, result = bank_run
    orders, legs = result.orders, result.legs
    urgent = orders[orders.priority.isin(["emergency", "urgent"]) & (orders.filled_u > 0)]
    county = urgent[urgent.hospital_id.isin(["h_c", "h_c2"])]
    red = county[county["product"] == "RBC"]
    # Red cells come from the bank (it stays stocked here); other products from the station.
    assert len(red) and (red.station_id == "cbb_c").all() and (red.level == 2).all()
    assert (county[county["product"] != "RBC"].station_id == "bs_a").all()
    from_bank = red
    # Hospitals outside the bank's county still order from the station.
    assert (urgent[urgent.hospital_id == "h_a"].station_id == "bs_a").all()

    order = from_bank.sort_values("placed_at").iloc[0]
    assert order.shipped_at == pytest.approx(order.placed_at + scenario.escalation.packing_min)
    leg = legs[
        (legs.purpose == "delivery")
        & (legs.from_site == "cbb_c")
        & (legs.order_id.isin(orders[(orders.shipped_at == order.shipped_at)].order_id))
        & (legs.to_site == order.hospital_id)
    ].iloc[0]
    assert leg["mode"] == "van" and order.arrived_at == leg.arrive_at
    assert leg.depart_at == pytest.approx(order.shipped_at)  # the bank's own van was free
    # A run from the station to the same hospital would take far longer (60 km away).
    station_runs = legs[(legs.from_site == "bs_a") & (legs.to_site == order.hospital_id)]
    assert len(station_runs)
    bank_min = leg.arrive_at - leg.depart_at
    assert bank_min < 0.5 * (station_runs.arrive_at - station_runs.depart_at).min()
    assert order.arrived_at - order.placed_at <= scenario.demand.required_by_min[order.priority]


def test_county_bank_is_replenished_from_its_station(bank_run) -> None:
    _, result = bank_run
    orders, legs = result.orders, result.legs
    refills = orders[(orders.hospital_id == "cbb_c") & (orders.priority == "routine")]
    assert len(refills) and (refills.station_id == "bs_a").all()
    assert (refills["product"] == "RBC").all()  # the bank holds red cells only
    carried = legs[(legs.from_site == "bs_a") & (legs.to_site == "cbb_c")]
    assert carried.units.sum() == pytest.approx(refills.filled_u.sum())
    # Order-up-to: each morning the bank asks for what it gave out since the last morning
    # (urgent units and units rotated to its hospitals; whole units, rounded per group), so
    # the refills add up to the units given before the last review.
    given = orders[orders.station_id == "cbb_c"]
    before = given[given.placed_at < refills.placed_at.max()].filled_u.sum()
    assert before > 0
    assert abs(refills.quantity_u.sum() - before) <= len(refills)
    assert refills.placed_at.min() > 0  # the opening stock was at target: no refill at once


def test_switched_off_banks_are_not_used(region_dir: Path) -> None:
    result = run(load_scenario(_scenario(region_dir, banks="false")))
    orders = result.orders
    assert not (orders.station_id == "cbb_c").any()
    assert not (orders.hospital_id == "cbb_c").any()


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**16), bank_days=st.sampled_from([0.5, 1.0, 3.0, 7.0]))
def test_units_conserved_through_the_bank(region_dir: Path, seed: int, bank_days: float) -> None:
    world = _world(region_dir, days=3, seed=seed, bank_days=bank_days)
    bank = world.sites.position("cbb_c")
    world.env.run(until=3 * MINUTES_PER_DAY)
    world.ledger.check_conservation(world.bags_created)
    ledger = world.ledger
    here = np.flatnonzero((ledger.state == UnitState.AVAILABLE) & (ledger.site == bank))
    assert set(world.stock[bank].ids()) == set(here)  # shelf and ledger agree
    assert (ledger.product[here] == Product.RBC).all()
    assert (ledger.expires_at[here] > world.now - MINUTES_PER_DAY).all()  # swept at midnight
    assert (world.on_order[bank] >= -1e-9).all()


def test_old_units_rotate_to_the_county_hospitals(region_dir: Path) -> None:
    stocked = "\n".join(
        [
            "inventory:",
            "  hospital:",
            "    target_days: {RBC: 3, PLT: 1, FFP: 3, CRYO: 3}",
            "    safety_days: {RBC: 1, PLT: 0.5, FFP: 1, CRYO: 1}",
            "escalation:",
            "  county_bank_rotate_days: {rotate}",
            "",
        ]
    )

    def rotated(rotate: float):
        path = region_dir.parent / f"county_rotate_{rotate}.yaml"
        text = TINY_SCENARIO.format(days=2, seed=3).replace("tiny_region", region_dir.name)
        path.write_text(text + stocked.replace("{rotate}", str(rotate)), encoding="utf-8")
        result = run(load_scenario(path))
        orders, ledger = result.orders, result.ledger
        sent = orders[(orders.station_id == "cbb_c") & (orders.group == "mixed")]  # rotation
        return sent, ledger[ledger.order_id.isin(sent.order_id)], orders

    sent, units, orders = rotated(30.0)  # opening stock has 17.5-31.5 days left
    assert len(sent) and set(sent.hospital_id) <= {"h_c", "h_c2"}
    shipped = units.order_id.map(sent.set_index("order_id").shipped_at)
    assert ((units.expires_at - shipped) < 30.0 * MINUTES_PER_DAY).all()
    assert set(units["product"]) <= {"RBC", "FFP", "CRYO"}
    sent_off, _, _ = rotated(0.0)
    assert sent_off.empty


def test_a_small_platelet_target_is_held(region_dir: Path) -> None:
    # The county uses 1 platelet dose a day (1,000 county beds x 0.1 per 100 beds): one
    # day of it is one dose, though no single group reaches half a dose (0.09-0.34).
    world = _world(region_dir, plt_days=1.0)
    bank = world.sites.position("cbb_c")
    mean = bank_means(world)[bank]
    assert mean[Product.PLT] == pytest.approx(1.0)
    assert (mean[Product.PLT] * world.groups.grid() < 0.5).all()
    held = world.stock[bank].on_hand_by_group(Product.PLT, now=0.0)
    assert held.sum() == 1
    assert held[np.unravel_index(np.argmax(world.groups.grid()), held.shape)] == 1


def test_county_platelet_orders_come_from_the_bank(region_dir: Path) -> None:
    # Hospitals hold nothing, so every platelet need is ordered for the patient (urgent
    # and emergency needs take the same first source, the county bank, as routine ones).
    result = run(load_scenario(_scenario(region_dir, days=6, plt_days=1.0)))
    orders = result.orders
    county = orders[orders.hospital_id.isin(["h_c", "h_c2"]) & (orders["product"] == "PLT")]
    from_bank = county[(county.station_id == "cbb_c") & (county.filled_u > 0)]
    assert len(from_bank) and (from_bank.level == 2).all()
    lead = from_bank.arrived_at - from_bank.placed_at
    assert (lead < 30).all()  # the bank sits in the county: minutes, not the 60 km drive
    refills = orders[(orders.hospital_id == "cbb_c") & (orders["product"] == "PLT")]
    assert len(refills) and (refills.station_id == "bs_a").all()


@settings(max_examples=200, deadline=None)
@given(
    total=st.floats(0, 500, allow_nan=False),
    weights=st.lists(st.floats(0.001, 1.0), min_size=1, max_size=8),
)
def test_whole_units_share_the_rounded_total(total: float, weights: list[float]) -> None:
    shares = np.array(weights) / sum(weights)
    units = whole_units(total, shares)
    assert units.sum() == np.floor(total + 0.5)
    assert (units == np.floor(units)).all()
    assert (np.abs(units - np.floor(total + 0.5) * shares) < 1).all()
