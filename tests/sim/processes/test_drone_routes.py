"""Drones as operated: bag weight by size, routine routes flown on a timetable."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from sim import run
from sim.build import make_world
from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.processes.drone_routes import fit_payload, flight_plan
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.drone_route_checks import routine_route_problems
from sim.state.world import World
from sim.transport.drones import DroneFleet

ROOT = Path(__file__).resolve().parents[3]
SITES = [
    # site_id, kind, lon, lat, tier, beds, station_id, lab_id, host_site_id
    ("bs_a", "blood_station", 120.20, 30.25, None, None, None, "lab_a", None),
    ("lab_a", "lab", 120.25, 30.27, None, None, None, None, None),
    ("dh_a", "donation_house", 120.16, 30.28, None, 6, "bs_a", None, None),
    ("h_a", "hospital", 120.18, 30.22, "tertiary", 1500, "bs_a", None, None),
    ("h_b", "hospital", 120.40, 30.10, "county", 300, "bs_a", None, None),
    ("dp_bs_a", "drone_port", 120.20, 30.25, None, None, None, None, "bs_a"),
    ("dp_h_a", "drone_port", 120.18, 30.22, None, None, None, None, "h_a"),
]
COLUMNS = ("site_id", "kind", "lon", "lat", "tier", "beds", "station_id", "lab_id", "host_site_id")
SCENARIO = """\
name: tiny drone route
region: ported_region
start: 2025-03-03   # a Monday
days: {days}
seed: 5
supply: {{donors_per_house_per_day: 60, apheresis: {{doses_per_day: 6}}}}
policies: {{dispatch: ground_only}}
fleet:
  drones:
    routine_routes:
{routes}
{extra}"""
ROUTE = "      - {from: bs_a, to: h_a, km: 3, flight_min: 5, departure_h: 9.5, days: [Mon, Wed]}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ported")
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in SITES]
    frame = gpd.GeoDataFrame(
        [
            {k: v for k, v in r.items() if k not in ("lon", "lat")}
            | {"name": r["site_id"], "city": "A"}
            for r in rows
        ],
        geometry=[Point(r["lon"], r["lat"]) for r in rows],
        crs="EPSG:4326",
    )
    (root / "ported_region").mkdir()
    frame.to_file(root / "ported_region" / "sites.geojson", driver="GeoJSON")
    return root


def _scenario(folder: Path, days: int = 7, routes: str = ROUTE, extra: str = "") -> Path:
    path = folder / f"route_{days}_{abs(hash(routes + extra))}.yaml"
    path.write_text(SCENARIO.format(days=days, routes=routes, extra=extra), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(folder) -> World:
    loaded = load_scenario(_scenario(folder))
    assert list(routine_route_problems(loaded.scenario, loaded.region)) == []
    return make_world(loaded.scenario, loaded.region, 1)


@pytest.fixture(scope="module")
def fleet(world) -> DroneFleet:
    return world.drones


def _bags(world: World, product: int, sizes: list[float], site: int = 0, abo: int = 0):
    return world.add_units(
        product=product,
        abo=abo,
        rhd=1,
        size_u=np.array(sizes),
        donation_id=0,
        collected_at=0.0,
        expires_at=1e6,
        site=site,
        state=UnitState.AVAILABLE,
    )


def test_bag_weight_follows_size_and_product(fleet):
    red = _bags(fleet.world, Product.RBC, [1.0, 1.5, 2.0])
    platelets = _bags(fleet.world, Product.PLT, [1.0])
    assert fleet.weights_kg(red).tolist() == pytest.approx([0.25, 0.375, 0.5])
    assert fleet.weights_kg(platelets).tolist() == pytest.approx([0.3])
    assert len(fleet.sorties(_bags(fleet.world, Product.RBC, [2.0] * 10))) == 1  # 5 kg
    assert len(fleet.sorties(_bags(fleet.world, Product.RBC, [2.0] * 11))) == 2


@given(
    sizes=st.lists(st.sampled_from([1.0, 1.5, 2.0]), min_size=1, max_size=60),
    product=st.sampled_from([Product.RBC, Product.FFP, Product.CRYO]),
)
@settings(max_examples=40, deadline=None)
def test_sorties_carry_every_bag_within_the_payload(fleet, sizes, product):
    ids = _bags(fleet.world, product, sizes)
    loads = fleet.sorties(ids)
    assert np.concatenate(loads).tolist() == ids.tolist()
    assert all(fleet.weights_kg(load).sum() <= fleet.spec.payload_kg + 1e-9 for load in loads)
    assert len(loads) == pytest.approx(np.ceil(fleet.weights_kg(ids).sum() / 5.0), abs=1)


def test_flight_plan_is_published_or_at_cruise_speed(world):
    route = world.scenario.fleet.drones.routine_routes[0]
    assert flight_plan(world, route) == (3.0, 5.0)
    at_cruise = route.model_copy(update={"km": 11.0, "flight_min": None})
    assert flight_plan(world, at_cruise) == pytest.approx((11.0, 12.0))  # 55 km/h


def test_the_payload_takes_whole_oldest_bags_shared_between_groups(world):
    station = world.sites.position("bs_a")
    stock = world.stock[station]
    on_hand = stock.on_hand(Product.RBC, now=0.0)
    o_pos = _bags(world, Product.RBC, [2.0] * 12, site=station, abo=0)
    a_pos = _bags(world, Product.RBC, [1.0] * 12, site=station, abo=1)
    stock.add(np.concatenate([o_pos, a_pos]))
    wanted = np.zeros((4, 2))
    wanted[0, 1], wanted[1, 1] = 24.0, 12.0  # 6 kg + 3 kg asked, 5 kg fit
    grids = fit_payload(world, station, {int(Product.RBC): wanted}, cap_kg=5.0)
    kept = grids[int(Product.RBC)]
    assert kept[0, 1] % 2 == 0 and kept[0, 1] * 0.25 + kept[1, 1] * 0.25 <= 5.0
    assert kept[0, 1] >= 12 and kept[1, 1] >= 6  # shared in proportion to the bags asked
    assert stock.on_hand(Product.RBC, now=0.0) == pytest.approx(on_hand + 36.0)  # put back


@pytest.fixture(scope="module")
def route_run(folder):
    return run(_scenario(folder, days=7))


def test_routine_route_flies_on_schedule(route_run):
    legs = route_run.legs
    sorties = legs[(legs["mode"] == "drone") & (legs["purpose"] != "return")]
    days = (sorties["depart_at"] // MINUTES_PER_DAY).astype(int).tolist()
    assert days == [0, 2]  # Monday and Wednesday of the week, nothing else flies
    take_off = 9.5 * 60 + 5.0  # departure hour + turnaround (load, battery)
    assert (sorties["depart_at"] % MINUTES_PER_DAY).tolist() == pytest.approx([take_off] * 2)
    assert (sorties["arrive_at"] - sorties["depart_at"]).tolist() == pytest.approx([5.0, 5.0])
    assert set(sorties["to_site"]) == {"h_a"} and (sorties["km"] == 3.0).all()
    assert (sorties["units"] > 0).all() and (sorties["units"] <= 20.0).all()  # 5 kg / 0.25


def test_route_load_is_red_cells_on_the_hospital_shelf(route_run):
    orders = route_run.orders[route_run.orders["mode"] == "drone"]
    assert len(orders) == 2 and set(orders["product"]) == {"RBC"}
    assert (orders["status"] == "filled").all() and (orders["priority"] == "routine").all()
    flown = route_run.ledger[route_run.ledger["order_id"].isin(orders["order_id"])]
    assert len(flown) and set(flown["site_id"]) == {"h_a"} and set(flown["product"]) == {"RBC"}
    assert route_run.kpis["units_by_drone"] == pytest.approx(orders["filled_u"].sum())


def test_a_grounded_day_leaves_the_load_to_the_van(folder):
    windy = "events:\n  - {type: drone_grounding, start: 2025-03-03T08:00, end: 2025-03-03T12:00, "
    result = run(_scenario(folder, days=3, extra=windy + "wind_ms: 25}\n"))
    legs = result.legs
    sorties = legs[(legs["mode"] == "drone") & (legs["purpose"] != "return")]
    assert (sorties["depart_at"] // MINUTES_PER_DAY).astype(int).tolist() == [2]
    assert result.kpis["counters"]["drone_route_grounded"] == 1


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("{from: bs_a, to: h_b, km: 3}", "routine_routes.0.to: site 'h_b' has no drone port"),
        ("{from: h_a, to: h_a, km: 3}", "routine_routes.0.from: site 'h_a' is a hospital"),
        ("{from: bs_a, to: h_x, km: 3}", "routine_routes.0.to: site 'h_x' is not in the region"),
        ("{from: bs_a, to: h_a, km: 35}", "35.0 km is beyond the drone range of 15.0 km"),
        ("{from: bs_a, to: h_a, km: 3, days: [Mon, Mon]}", "lists a value twice"),
    ],
)
def test_bad_routes_are_one_clear_line(folder, route, message):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_scenario(folder, routes=f"      - {route}"))
    lines = [p.line("f") for p in caught.value.problems]
    assert len(lines) == 1 and message in lines[0] and "fleet.drones" in lines[0]


@pytest.fixture(scope="module")
def baseline_week(tmp_path_factory):
    return run(ROOT / "scenarios" / "zhejiang_baseline.yaml", days=7, seed=3)


def test_baseline_flies_its_timetable(baseline_week):
    """2025-01-01 is a Wednesday: the four routes give 11 sorties in the first week
    (576 a year would be 11.0 a week; +-25 % is 8.3-13.8)."""
    legs = baseline_week.legs
    sorties = legs[(legs["mode"] == "drone") & (legs["purpose"] != "return")]
    assert 8 <= len(sorties) <= 14
    assert set(sorties["to_site"]) == {
        "h_hangzhou_007",
        "h_shaoxing_003",
        "h_hangzhou_004",
        "h_zhoushan_003",
    }
    per_sortie = sorties["units"].mean()
    assert 10.0 <= per_sortie <= 20.0
