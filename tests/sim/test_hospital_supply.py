"""Hospital stock rules (issue 11): emergency group O, platelets for every hospital, expiry
re-checked at issue, and each short unit counted once with its outcome."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.build import make_world, populate
from sim.core.compatibility import donor_groups
from sim.core.domain import ABO, MINUTES_PER_DAY, Product, RhD, UnitState
from sim.processes.orders import transfuse_on_arrival
from sim.scenario import load_scenario
from sim.state.demand_outcomes import OUTCOMES, service_frame
from sim.state.world import World

O, A, B, AB = ABO.O, ABO.A, ABO.B, ABO.AB  # noqa: E741 - blood group O
POS, NEG = RhD.POS, RhD.NEG
OUTCOME_COLUMNS = [f"{o}_u" for o in OUTCOMES]


def simulate(path, days: int | None = None) -> World:
    """Build and run the world of a scenario file (no tables, no run folder)."""
    loaded = load_scenario(path)
    world = make_world(loaded.scenario, loaded.region, loaded.scenario.seed)
    populate(world)
    world.env.run(until=(days or loaded.scenario.days) * MINUTES_PER_DAY)
    return world


@pytest.fixture(scope="module")
def tiny_world(tiny_dir):
    from tests.sim.conftest import TINY_SCENARIO

    path = tiny_dir / "tiny_hospital_supply.yaml"
    path.write_text(TINY_SCENARIO.format(days=8, seed=11), encoding="utf-8")
    return simulate(path)


# ---------------------------------------------------------------- platelet fallback rule
def test_platelet_fallback_prefers_identical_then_fewest_clashes():
    first = donor_groups("platelet_fallback", A, POS)[:4]
    assert first == ((A, POS), (AB, POS), (O, POS), (B, POS))
    # AB recipients: group O platelets (anti-A and anti-B in their plasma) come last
    assert [a for a, _ in donor_groups("platelet_fallback", AB, POS)[:4]] == [AB, A, B, O]
    # an RhD- recipient gets every RhD- platelet before any RhD+ one
    rhds = [r for _, r in donor_groups("platelet_fallback", O, NEG)]
    assert rhds == [NEG] * 4 + [POS] * 4


# ---------------------------------------------------------------- stock targets
def test_county_hospital_holds_emergency_o_and_orders_platelets_per_patient(tiny_world):
    world = tiny_world
    county, tertiary = world.sites.position("h_b"), world.sites.position("h_a")
    targets = world.hospitals[county].targets
    assert targets[Product.RBC, O, POS] == 4.0  # floor above 3 days x 3 U/day x 34 %
    assert not world.hospitals[county].stocked[Product.PLT].any()
    assert world.hospitals[tertiary].stocked[Product.PLT].any()
    plain = 3 * world.demand_mean[tertiary][Product.RBC] * world.groups.grid()[O, POS]
    assert world.hospitals[tertiary].targets[Product.RBC, O, POS] == pytest.approx(plain)


def test_emergency_o_at_its_floor_goes_to_emergencies_only(tiny_world):
    world = tiny_world
    county = world.sites.position("h_b")
    hospital, stock = world.hospitals[county], world.stock[county]
    stock.take_ids(stock.ids(Product.RBC))  # an empty red-cell shelf, then 4 U of O RhD+
    ids = world.add_units(
        product=int(Product.RBC),
        abo=int(O),
        rhd=int(POS),
        size_u=1.0,
        donation_id=-1,
        collected_at=np.full(5, world.now - 100.0),
        expires_at=world.now + 10_000.0,
        site=county,
        state=UnitState.AVAILABLE,
    )
    stock.add(ids[:4])
    routine, _ = hospital._take(int(Product.RBC), (int(A), int(POS)), 0.0, 2.0)
    assert not len(routine)  # an A RhD+ routine patient waits instead
    own, _ = hospital._take(int(Product.RBC), (int(O), int(POS)), 0.0, 1.0)
    assert len(own) == 1  # O patients draw on their own group
    stock.add(ids[4:])  # back to 4 U: an emergency of group A gets group O
    taken, got = hospital._take(int(Product.RBC), (int(A), int(POS)), 2.0, 3.0)
    assert got == 2.0 and set(world.ledger.abo[taken]) == {int(O)}
    stock.add(taken)
    stock.take_ids(stock.ids(Product.RBC))  # leave the world consistent
    world.ledger.dispose(ids, UnitState.DISCARDED, world.now)


def test_platelet_need_without_stock_is_ordered_for_the_patient(tiny_world):
    world = tiny_world
    short = world.logs.stockouts.frame()
    plt = short[(short["hospital_id"] == "h_b") & (short["product"] == "PLT")]
    assert len(plt) and (plt["outcome"] != "deferred").all()
    routine = plt[plt["priority"] == "routine"]
    assert (routine["outcome"] == "patient_order").all()
    ledger = world.ledger.to_frame(list(world.sites.ids))
    given_ = ledger[(ledger["site_id"] == "h_b") & (ledger["product"] == "PLT")]
    assert (given_["state"].astype(str) == "transfused").any()  # a supply path exists


def test_without_patient_orders_platelet_need_waits_for_the_shelf(tiny_dir):
    from tests.sim.conftest import TINY_SCENARIO

    path = tiny_dir / "tiny_no_patient_orders.yaml"
    text = TINY_SCENARIO.format(days=3, seed=11) + "inventory:\n  patient_orders: false\n"
    path.write_text(text, encoding="utf-8")
    short = simulate(path).logs.stockouts.frame()
    plt = short[(short["hospital_id"] == "h_b") & (short["product"] == "PLT")]
    assert "patient_order" not in set(short["outcome"])
    assert (plt["outcome"][plt["priority"] == "routine"] == "deferred").all()


# ---------------------------------------------------------------- each unit short once
def test_each_short_unit_is_in_one_row_and_outcomes_add_up(tiny_world):
    world = tiny_world
    short, service = world.logs.stockouts.frame(), service_frame(world)
    resolved = short[OUTCOME_COLUMNS].sum(axis=1)
    assert (resolved <= short["short_u"] + 1e-6).all()
    assert set(short["outcome"]) <= {"ordered", "deferred", "patient_order"}
    demanded = service.groupby("product", observed=True)["demanded_u"].sum()
    for product in ("RBC", "PLT", "FFP", "CRYO"):
        assert demanded[product] == pytest.approx(world.demand_u[:, Product[product]].sum())
    # what is not issued from the shelf at once is short, once: open units agree
    open_rows = (short["short_u"] - resolved).sum()
    assert service["open_u"].sum() == pytest.approx(open_rows, abs=1e-6)
    total = service[[*OUTCOME_COLUMNS, "open_u"]].sum(axis=1)
    assert np.allclose(total, service["demanded_u"])


def test_deferred_routine_demand_is_met_later_or_dropped_once(tiny_dir):
    from tests.sim.conftest import TINY_SCENARIO

    path = tiny_dir / "tiny_scarce.yaml"  # scarce supply: routine red cells wait, some drop
    scarce = TINY_SCENARIO.format(days=6, seed=5).replace("40", "4").replace("6}", "1}")
    path.write_text(scarce, encoding="utf-8")
    world = simulate(path)
    short = world.logs.stockouts.frame()
    deferred = short[short["outcome"] == "deferred"]
    assert len(deferred) and (deferred[["on_time_u", "late_u"]] == 0).all().all()
    assert deferred[["waited_u", "not_met_u"]].to_numpy().sum() > 0
    done = deferred[deferred[["waited_u", "not_met_u"]].sum(axis=1) > 0]
    assert done["resolved_at"].notna().all() and (done["resolved_at"] >= done["time"]).all()
    due = world.scenario.demand.required_by_min["routine"]
    waited = deferred[deferred["waited_u"] > 0]
    assert (waited["resolved_at"] - waited["time"] < due).all()


# ---------------------------------------------------------------- expiry at every issue
def test_a_unit_that_expires_on_the_way_is_expired_not_transfused(tiny_world):
    world = tiny_world
    ledger = world.ledger
    ids = world.add_units(
        product=int(Product.PLT),
        abo=0,
        rhd=1,
        size_u=1.0,
        donation_id=-1,
        collected_at=np.full(2, world.now - 100.0),
        expires_at=np.array([world.now + 10.0, world.now + 500.0]),
        site=world.sites.position("h_b"),
        state=UnitState.IN_TRANSIT,
    )
    given_ = transfuse_on_arrival(world, ids, world.now + 60.0)
    assert given_ == 1.0
    assert ledger.state[ids[0]] == UnitState.EXPIRED
    assert ledger.disposed_at[ids[0]] == world.now + 10.0
    assert ledger.state[ids[1]] == UnitState.TRANSFUSED


SHORT_SHELF = """
products:
  RBC: {{shelf_life_days: 35, storage_c: [2, 6], transport_c: [2, 10], bag_kg: 0.25,
        max_transit_h: 24, compatibility: red_cell}}
  PLT: {{shelf_life_days: {shelf}, storage_c: [20, 24], transport_c: [20, 24], bag_kg: 0.3,
        max_transit_h: 1, compatibility: {rule}}}
  FFP: {{shelf_life_days: 365, storage_c: [-40, -18], transport_c: [-40, -20], bag_kg: 0.2,
        max_transit_h: 24, compatibility: plasma}}
  CRYO: {{shelf_life_days: 365, storage_c: [-40, -18], transport_c: [-40, -20], bag_kg: 0.1,
         max_transit_h: 24, compatibility: plasma}}
  FRBC: {{shelf_life_days: 3650, storage_c: [-90, -65], transport_c: [-90, -65], bag_kg: 0.3,
         max_transit_h: 24, compatibility: red_cell}}
demand:
  per_100_beds:
    tertiary: {{RBC: 2.0, PLT: 1.5, FFP: 1.2, CRYO: 0.2}}
    secondary: {{RBC: 1.3, PLT: 0.1, FFP: 1.0, CRYO: 0.15}}
    county: {{RBC: 1.0, PLT: 1.0, FFP: 0.8, CRYO: 0.1}}
  emergency_share: {emergency}
  urgent_share: 0.3
"""


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    shelf=st.sampled_from([0.15, 0.3, 0.6, 1.5]),
    rule=st.sampled_from(["identical", "platelet_fallback"]),
    emergency=st.sampled_from([0.05, 0.3]),
)
def test_no_unit_is_ever_issued_after_its_expiry(tiny_scenario, seed, shelf, rule, emergency):
    """Short platelet lives and many urgent orders: whatever leaves a shelf for a patient
    is transfused before it expires, and a unit expires at its own expiry time."""
    extra = SHORT_SHELF.format(shelf=shelf, rule=rule, emergency=emergency)
    base = tiny_scenario(days=2, seed=seed).read_text(encoding="utf-8")
    path = tiny_scenario(days=2, seed=seed, extra=extra)
    path.write_text(base.split("demand:")[0] + extra, encoding="utf-8")
    world = simulate(path)
    ledger = world.ledger.to_frame(list(world.sites.ids))
    states = ledger["state"].astype(str)
    transfused = ledger[states == "transfused"]
    assert len(transfused)
    assert (transfused["disposed_at"] < transfused["expires_at"]).all()
    expired = ledger[states == "expired"]
    assert (expired["disposed_at"] == expired["expires_at"]).all()
