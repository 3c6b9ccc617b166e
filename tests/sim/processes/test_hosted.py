"""Hosted hospitals: station -> host -> hospital with exact times, the host's shelf first,
the station-direct option, the fridge, and what moving a hospital to its own bank changes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import run
from sim.core.domain import ABO, Priority, Product, RhD, UnitState
from sim.policies.hosting import site_targets
from sim.policies.replenishment import hospital_targets
from sim.processes.crossmatch import CrossmatchHolds, crossmatch_banks
from sim.processes.hosted import HostedHospital, Need, hospital_for, hosted_order
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.hosting import supplied_via
from sim.state.demand_outcomes import OUTCOMES
from sim.state.hosting import host_positions, hosted_by
from tests.sim.conftest import TINY_SCENARIO, merged_yaml

HOSTED = "sites:\n  overrides:\n    h_b: {supplied_via: h_a}\n"
T0 = 100.0  # minute the request is made


def _stock(world, site: int, n: int, abo=ABO.O, rhd=RhD.POS) -> np.ndarray:
    ids = world.new_bags(
        Product.RBC, np.full(n, abo), np.full(n, rhd), np.full(n, -600.0), site,
        UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, np.full(n, -500.0))
    world.stock[site].add(ids)
    return ids


def _request(world, priority=Priority.EMERGENCY, units=1.0, group=(ABO.O, RhD.POS), also=()):
    """Start the hosted hospital's request at T0 (and one more of RhD+ for each ``also`` ABO
    group); returns the positions (station, host, h_b)."""
    station, host, hosted = (world.sites.position(s) for s in ("bs_a", "h_a", "h_b"))
    for h in (host, hosted):
        world.hospitals[h] = hospital_for(world, h)
    world.env.run(until=T0)
    book = world.hospitals[hosted].book
    for g in (group, *[(abo, RhD.POS) for abo in also]):
        row = book.shortfall(Product.RBC, g, priority, units, units, "ordered")
        demand = (0, int(Product.RBC), int(priority), row)
        need = Need(hosted, int(Product.RBC), (int(g[0]), int(g[1])), units, demand)
        world.env.process(hosted_order(world, need))
    world.env.run(until=T0 + 24 * 60)
    return station, host, hosted


def _loaded(world):
    """Legs that carry units (vans also drive back empty)."""
    legs = world.logs.legs.frame()
    return legs[legs.bags > 0].reset_index(drop=True)


def test_an_emergency_unit_travels_station_host_hospital_with_exact_times(tiny_world):
    world = tiny_world(extra=HOSTED)
    ids = _stock(world, world.sites.position("bs_a"), 1)
    station, host, hosted = _request(world)
    legs = _loaded(world)
    assert list(zip(legs.from_site, legs.to_site, legs.purpose, strict=True))[:2] == [
        ("bs_a", "h_a", "delivery"),
        ("h_a", "h_b", "hosted"),
    ]
    packed = T0 + world.scenario.escalation.packing_min
    at_host = packed + world.road.minutes(station, host, packed)
    leaves = at_host + 15.0 + 10.0  # emergency release + hand-over at the host
    arrives = leaves + world.road.minutes(host, hosted, leaves)
    assert legs.depart_at.iloc[0] == pytest.approx(packed)
    assert legs.arrive_at.iloc[0] == pytest.approx(at_host)
    assert legs.depart_at.iloc[1] == pytest.approx(leaves)
    assert legs.arrive_at.iloc[1] == pytest.approx(arrives)
    assert legs.units.iloc[1] == 1.0
    assert world.ledger.state[ids[0]] == UnitState.TRANSFUSED
    assert world.ledger.site[ids[0]] == hosted
    order = world.logs.orders.frame().iloc[0]
    assert (order.hospital_id, order.station_id, order.status) == ("h_b", "bs_a", "filled")
    assert order.arrived_at == pytest.approx(arrives)


def test_the_hosts_shelf_serves_first_after_its_crossmatch(tiny_world):
    world = tiny_world(extra=HOSTED)
    _stock(world, world.sites.position("h_a"), 2)
    _, host, hosted = _request(world, Priority.URGENT, 2.0)
    legs = _loaded(world)
    assert len(legs) == 1 and legs.purpose.iloc[0] == "hosted"
    leaves = T0 + 40.0 + 10.0  # serological crossmatch + hand-over
    assert legs.depart_at.iloc[0] == pytest.approx(leaves)
    assert legs.arrive_at.iloc[0] == pytest.approx(
        leaves + world.road.minutes(host, hosted, leaves)
    )
    assert world.logs.orders.frame().station_id.tolist() == ["h_a"]


@pytest.mark.parametrize(
    ("priority", "from_host"), [(Priority.ROUTINE, 0.0), (Priority.EMERGENCY, 1.0)]
)
def test_the_hosts_emergency_o_floor_goes_to_emergencies_only(tiny_world, priority, from_host):
    floor = "inventory: {emergency_o: {rhd_pos_u: {tertiary: 2}}}\n"
    world = tiny_world(extra=HOSTED + floor)
    _stock(world, world.sites.position("h_a"), 2)  # group O RhD+: at the host's floor
    _request(world, priority, 1.0, (ABO.A, RhD.POS))
    orders = world.logs.orders.frame()
    given = orders[orders.station_id == "h_a"].filled_u.sum()
    assert given == from_host
    assert (orders.station_id == "bs_a").sum() == (1 if not from_host else 0)


def test_station_direct_skips_the_host(tiny_world):
    world = tiny_world(extra=HOSTED + "hosting: {station_direct: true}\n")
    _stock(world, world.sites.position("bs_a"), 1)
    _request(world)
    legs = _loaded(world)
    assert legs.iloc[0][["from_site", "to_site"]].tolist() == ["bs_a", "h_b"]
    assert "hosted" not in set(legs.purpose)


def test_nothing_anywhere_is_not_met(tiny_world):
    world = tiny_world(extra=HOSTED)
    _request(world)
    assert len(world.logs.legs.frame()) == 0
    assert world.logs.orders.frame().status.tolist() == ["unfilled"]


def test_the_host_stocks_for_both_and_the_hosted_hospital_only_its_fridge(tiny_world):
    world = tiny_world(extra=HOSTED + "hosting: {fridge_o_neg_u: 2}\n")
    host, hosted = world.sites.position("h_a"), world.sites.position("h_b")
    both = hospital_targets(world, host) + hospital_targets(world, hosted)
    assert site_targets(world, host) == pytest.approx(both)
    fridge = site_targets(world, hosted)
    assert fridge.sum() == 2 and fridge[Product.RBC, ABO.O, RhD.NEG] == 2
    process = hospital_for(world, hosted)
    assert isinstance(process, HostedHospital) and not process.targets.any()


@pytest.fixture(scope="module")
def pair(tiny_dir):
    """The same tiny world and seed, h_b hosted by h_a (with a fridge) or with its own bank.

    Crossmatch reservations are off: a bank of its own also crossmatches (and holds units)
    at h_b, which moves the station's cover and so the donors collection control calls."""
    out = {}
    no_holds = "inventory: {crossmatch: {ct_ratio: 1.0}}\n"
    extra = HOSTED + "hosting: {fridge_o_pos_u: 2}\n"
    for name, text in (("hosted", extra + no_holds), ("own", no_holds)):
        path = tiny_dir / f"hosted_pair_{name}.yaml"
        path.write_text(merged_yaml(TINY_SCENARIO.format(days=5, seed=3), text), "utf-8")
        out[name] = run(path)
    return out


def test_moving_to_its_own_bank_changes_only_what_it_should(pair):
    hosted, own = pair["hosted"], pair["own"]
    # the same patients at every hospital (common random numbers), the same donors
    keys = ["day", "hospital_id", "product", "priority"]
    demand = [r.service.groupby(keys, observed=True).demanded_u.sum() for r in (hosted, own)]
    assert demand[0].equals(demand[1])
    assert hosted.kpis["units_collected"] == own.kpis["units_collected"]
    legs_h, legs_o = hosted.legs, own.legs
    assert "hosted" not in set(legs_o.purpose)
    courier = legs_h[legs_h.purpose == "hosted"]
    assert set(courier.from_site) == {"h_a"} and set(courier.to_site) == {"h_b"}
    # hosted: nothing reaches h_b but through h_a; with its own bank, the station delivers
    assert not ((legs_h.to_site == "h_b") & (legs_h.from_site != "h_a")).any()
    assert ((legs_o.to_site == "h_b") & (legs_o.from_site == "bs_a")).any()
    # h_b's orders go to its host when hosted, to the station otherwise
    assert set(hosted.orders[hosted.orders.hospital_id == "h_b"].station_id) == {"h_a"}
    assert set(own.orders[own.orders.hospital_id == "h_b"].station_id) == {"bs_a"}
    # h_b still transfuses its patients; every unit it transfused crossed from h_a
    ledger = hosted.ledger
    at_b = ledger[(ledger.state == "transfused") & (ledger.site_id == "h_b")]
    assert len(at_b) > 0
    orders = hosted.orders[hosted.orders.order_id.isin(set(at_b.order_id) - {-1})]
    assert len(orders) > 0
    assert set(orders.hospital_id) == {"h_b"}
    assert set(orders.arrived_at) <= set(courier.arrive_at)  # each came on a courier leg


def test_units_are_conserved_with_a_hosted_hospital(pair):
    k = pair["hosted"].kpis
    for product in ("RBC", "PLT", "FFP", "CRYO"):
        inflow = sum(
            k[f"units_{s}"]["by_product"][product]
            for s in ("opening_stock", "collected", "imported")
        )
        outflow = sum(
            k[f"units_{s}"]["by_product"][product]
            for s in ("transfused", "expired", "discarded", "in_stock_end", "in_transit_end")
        )
        assert inflow == pytest.approx(outflow, abs=0.01)


@pytest.mark.parametrize(
    ("extra", "field", "wrong"),
    [
        ("sites: {overrides: {h_b: {supplied_via: bs_a}}}", "sites.overrides.h_b.supplied_via",
         "blood_station"),
        ("sites: {overrides: {h_b: {supplied_via: h_zz}}}", "sites.overrides.h_b.supplied_via",
         "no such site"),
        ("sites: {overrides: {h_b: {supplied_via: h_b}}}", "sites.overrides.h_b.supplied_via",
         "itself"),
        ("sites: {overrides: {dh_a: {supplied_via: h_a}}}", "sites.overrides.dh_a",
         "donation_house"),
    ],
)  # fmt: skip
def test_bad_hosts_are_one_clear_error(tiny_dir, extra, field, wrong):
    path = tiny_dir / f"bad_host_{abs(hash(extra))}.yaml"
    path.write_text(merged_yaml(TINY_SCENARIO.format(days=2, seed=1), extra), "utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 1 and field in lines[0] and wrong in lines[0]
    assert lines[0].startswith(str(path))


def test_a_chain_or_cycle_of_hosts_is_refused(tiny_dir):
    extra = "sites: {overrides: {h_b: {supplied_via: h_a}, h_a: {supplied_via: h_b}}}"
    path = tiny_dir / "bad_host_cycle.yaml"
    path.write_text(merged_yaml(TINY_SCENARIO.format(days=2, seed=1), extra), "utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "a chain" in str(info.value)


def test_host_positions_follow_the_region_column_then_the_overrides(tiny_world):
    world = tiny_world(extra=HOSTED)
    sites = world.region.sites.assign(supplied_via=None)
    sites.loc[sites.site_id == "h_a", "supplied_via"] = "h_b"  # the region says h_a is hosted
    assert supplied_via(sites, world.scenario.sites) == {"h_a": "h_b", "h_b": "h_a"}
    host_of = host_positions(sites.iloc[:0], world.sites, world.scenario.sites)
    h_a, h_b = world.sites.position("h_a"), world.sites.position("h_b")
    assert host_of[h_b] == h_a and (host_of >= 0).sum() == 1
    assert hosted_by(host_of, h_a).tolist() == [h_b]


def test_the_host_refills_the_fridge_by_its_courier(pair):
    hosted = pair["hosted"]
    refills = hosted.orders[(hosted.orders.hospital_id == "h_b") & (hosted.orders.group == "mixed")]
    assert len(refills) > 0 and set(refills.station_id) == {"h_a"}
    ledger = hosted.ledger
    shelf = ledger[(ledger.site_id == "h_b") & (ledger.state == "available")]
    assert len(shelf) <= 2 and set(shelf.abo.astype(str)) <= {"O"}


@settings(max_examples=4, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    direct=st.booleans(),
    fridge=st.integers(0, 3),
)
def test_units_are_conserved_and_reach_the_hosted_hospital_only_as_allowed(
    tiny_dir, seed, direct, fridge
):
    extra = (
        HOSTED + f"hosting: {{station_direct: {str(direct).lower()}, fridge_o_neg_u: {fridge}}}\n"
    )
    path = tiny_dir / f"hosted_prop_{seed}_{direct}_{fridge}.yaml"
    path.write_text(merged_yaml(TINY_SCENARIO.format(days=2, seed=seed), extra), "utf-8")
    result = run(path)
    k = result.kpis
    inflow = sum(k[f"units_{s}"]["total"] for s in ("opening_stock", "collected", "imported"))
    outflow = sum(
        k[f"units_{s}"]["total"]
        for s in ("transfused", "expired", "discarded", "in_stock_end", "in_transit_end")
    )
    assert inflow == pytest.approx(outflow, abs=0.01)
    legs = result.legs
    into_b = legs[(legs.to_site == "h_b") & (legs.bags > 0)]
    allowed = {"h_a", "bs_a"} if direct else {"h_a"}
    assert set(into_b.from_site) <= allowed
    assert (into_b[into_b.from_site == "h_a"].purpose == "hosted").all()


def test_units_ready_together_share_one_courier_trip(tiny_world):
    world = tiny_world(extra=HOSTED)
    host = world.sites.position("h_a")
    _stock(world, host, 1)
    _stock(world, host, 1, ABO.A, RhD.POS)
    station, host, hosted = _request(world, Priority.URGENT, 1.0, (ABO.A, RhD.POS), also=(ABO.O,))
    legs = _loaded(world)
    assert len(legs) == 1 and legs.bags.iloc[0] == 2
    orders = world.logs.orders.frame()
    assert len(orders) == 2 and orders.arrived_at.nunique() == 1


def test_a_hosted_hospitals_patients_are_crossmatched_at_its_host(tiny_world):
    hosted_world, plain_world = tiny_world(extra=HOSTED), tiny_world()
    host, hosted = hosted_world.sites.position("h_a"), hosted_world.sites.position("h_b")
    banks = crossmatch_banks(hosted_world)
    assert host in banks and hosted not in banks
    assert hosted in crossmatch_banks(plain_world)
    days = np.ones(hosted_world.scenario.days)
    with_b = CrossmatchHolds(hosted_world, np.array([host]), days).use[0]
    alone = CrossmatchHolds(plain_world, np.array([host]), days).use[0]
    b_only = CrossmatchHolds(plain_world, np.array([hosted]), days).use[0]
    assert with_b == pytest.approx(alone + b_only)  # the host crossmatches for both


def test_a_hosted_hospitals_outcomes_add_up_to_its_demand(pair):
    service = pair["hosted"].service
    at_b = service[service.hospital_id == "h_b"]
    assert len(at_b) > 0
    outcomes = at_b[["on_time_u", "waited_u", "late_u", "not_met_u", "open_u"]].sum(axis=1)
    assert np.allclose(outcomes, at_b.demanded_u)  # a 2 U bag for a 1 U need books 1 U


def test_a_bag_bigger_than_the_need_books_the_need(tiny_world):
    world = tiny_world(extra=HOSTED)
    host = world.sites.position("h_a")
    ids = world.new_bags(
        Product.RBC, np.array([ABO.O]), np.array([RhD.POS]), np.array([-600.0]), host,
        UnitState.IN_TESTING, size_u=2.0,
    )  # fmt: skip
    world.ledger.release(ids, np.array([-500.0]))
    world.stock[host].add(ids)
    _station, _host, hosted = _request(world, units=1.0)
    book = world.hospitals[hosted].book
    assert world.ledger.state[ids[0]] == UnitState.TRANSFUSED  # the whole bag is given
    booked = book.units[0, Product.RBC, int(Priority.EMERGENCY), 1:]
    given = booked[OUTCOMES.index("on_time")] + booked[OUTCOMES.index("late")]
    assert given == pytest.approx(1.0) and booked.sum() == pytest.approx(1.0)  # the need


def test_a_hosted_hospitals_needs_are_requests_not_stockouts(pair):
    """h_b has no shelf: its needs are routed to h_a, counted as hosted requests; the
    stockout KPIs count only own shelves' shortfalls."""
    result = pair["hosted"]
    warm = result.kpis["provenance"]["warmup_days"] * 1440.0
    short = result.stockouts[result.stockouts.time >= warm]
    at_b = short[short.hospital_id == "h_b"]
    assert len(at_b) > 0
    requests = result.kpis["hosted_requests"]
    assert requests["events"] == len(at_b)
    assert requests["units"] == pytest.approx(at_b.short_u.sum(), abs=0.05)
    assert result.kpis["stockout_events"] == len(short) - len(at_b)
    qc = result.qc[result.qc.hospital_id == "h_b"]
    failed = at_b[(at_b.late_u + at_b.not_met_u) > 0]
    assert qc.stockout_days.sum() == failed.time.floordiv(1440).nunique()
