"""Speed work on the order path (issue 12) changes no result: each faster function equals
the whole-ledger or step-by-step computation it replaced, on random ledgers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product, UnitState
from sim.processes.expiry import sweep_testing
from sim.processes.orders import _by_cell, prepare_shipment
from sim.state.ledger import Ledger

STATES = [UnitState.IN_TESTING, UnitState.QUARANTINED, UnitState.AVAILABLE]
unit = st.tuples(
    st.integers(0, len(Product) - 1),  # product
    st.integers(0, 3),  # abo
    st.integers(0, 1),  # rhd
    st.sampled_from([0.5, 1.0, 1.5, 2.0]),  # size_u
    st.integers(0, 3000),  # expires_at, minutes
    st.sampled_from(STATES),
)


def _ledger(units: list[tuple]) -> Ledger:
    ledger = Ledger()
    for product, abo, rhd, size, expires, state in units:
        ledger.add(product, abo, rhd, size, -1, -500.0, float(expires), 1, state)
    return ledger


@settings(max_examples=60, deadline=None)
@given(st.lists(unit, max_size=40), st.lists(st.integers(0, 39), max_size=15))
def test_sweep_testing_finds_what_a_whole_ledger_scan_finds(units, released) -> None:
    ledger = _ledger(units)
    for row in sorted(set(released)):  # some early units leave testing first
        if row < len(ledger) and ledger.state[row] != UnitState.AVAILABLE:
            ledger.release(np.array([row]), 0.0)
    ledger.pre_release_start()  # the mark moves past what was released
    waiting = (ledger.state == UnitState.IN_TESTING) | (ledger.state == UnitState.QUARANTINED)
    expected = np.flatnonzero(waiting & (ledger.expires_at <= 1440.0))
    world = SimpleNamespace(ledger=ledger, plt_testing=np.zeros((2, 8)))
    assert sweep_testing(world, 1440.0).tolist() == expected.tolist()
    assert (ledger.state[expected] == UnitState.EXPIRED).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(unit, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_by_cell_equals_the_intp_cell_code(units, random) -> None:
    ledger = _ledger(units)
    ids = np.array(random.sample(range(len(ledger)), random.randint(0, len(ledger))), np.int64)
    key = (ledger.product[ids].astype(np.intp) * 4 + ledger.abo[ids]) * 2 + ledger.rhd[ids]
    expected = np.bincount(key, weights=ledger.size_u[ids], minlength=len(Product) * 8)
    got = _by_cell(ledger, ids)
    assert got.dtype == expected.dtype and got.tobytes() == expected.tobytes()
    assert ledger.product[ids].tolist() == [units[i][0] for i in ids]  # columns untouched


def test_routine_orders_are_recorded_closed_and_shipped_when_picked(tiny_world) -> None:
    world = tiny_world()
    station, hospital = (world.sites.position(s) for s in ("bs_a", "h_a"))
    world.env.run(until=300.0)
    on_shelf = world.new_bags(Product.RBC, 0, 1, np.zeros(2), station, UnitState.AVAILABLE)
    world.stock[station].add(on_shelf)
    rbc, plt = np.zeros((4, 2)), np.zeros((4, 2))
    rbc[0, 1], plt[0, 1] = 3.0, 1.0  # O+: 3 U of red cells (2 on the shelf), 1 dose of PLT
    ids, orders = prepare_shipment(world, hospital, {Product.RBC: rbc, Product.PLT: plt})
    assert sorted(ids.tolist()) == sorted(on_shelf.tolist()) and len(orders) == 1
    frame = world.logs.orders.frame()
    assert frame.status.tolist() == ["partial", "unfilled"]
    assert frame.filled_u.tolist() == [2.0, 0.0] and frame.quantity_u.tolist() == [3.0, 1.0]
    assert frame.shipped_at[0] == 300.0 and np.isnan(frame.shipped_at[1])
    assert np.isnan(frame.arrived_at).all() and frame.required_by.tolist() == [1740.0] * 2
    assert (world.ledger.state[ids] == UnitState.RESERVED).all()
    assert (world.ledger.order_id[ids] == orders[0]).all()
    assert world.on_order[hospital].sum() == 2.0 and world.on_order[hospital][0, 0, 1] == 2.0


def test_rail_leg_km_is_the_pairs_great_circle_distance_on_every_call() -> None:
    from optimizer.network import (
        DroneNetwork,
        DroneParams,
        RailNetwork,
        RailParams,
        RoadTimes,
        TravelOracle,
    )
    from optimizer.network.geometry import distance_matrix_km

    lat, lon = np.array([30.0, 30.05, 31.0, 31.04]), np.array([120.0, 120.1, 121.0, 121.02])
    rest = np.full((4, 4), 900.0)  # origin 0 -> station 1 -> station 2 -> destination 3
    rest[0, 1] = rest[2, 3] = 15.0
    np.fill_diagonal(rest, 0.0)
    road = RoadTimes(rest, np.zeros((4, 4)), rest, (), 1.0)
    spec = DroneParams(payload_kg=5.0, range_km=15.0, cruise_kmh=55.0, turnaround_min=5.0)
    drones = DroneNetwork.build(lat, lon, [], [], [], spec)
    rail = RailNetwork.build([1, 2], [(1, 2, 45.0)], RailParams(handover_min=10.0))
    oracle = TravelOracle(road, drones, rail, 5.0, np.column_stack([lon, lat]))
    expected = float(distance_matrix_km(lat[[1, 2]], lon[[1, 2]])[0, 1])
    for t in (400.0, 900.0):  # the second call reads the cache
        route = oracle.fastest(0, 3, t)
        assert route.modes == "van+rail+van" and route.legs[1].km == expected
    copy = oracle.with_grounding([(0.0, 10.0)])
    assert copy._rail_km == {} and copy.fastest(0, 3, 400.0).legs[1].km == expected
