"""Speed work on shipments (issue 12, speed-ship) changes no result: each faster path
equals the computation it replaced, on random stocks, orders and roads."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.build import populate
from sim.core.domain import PRODUCTS, Product, UnitState
from sim.policies.replenishment import OrderUpTo, review_needs
from sim.processes.county_banks import bank_needs
from sim.processes.orders import prepare_shipment, prepare_shipments
from sim.state.ledger import Ledger
from sim.state.stock import SiteStock

SIZES = [0.5, 1.0, 1.5, 2.0]
bag = st.tuples(
    st.sampled_from([int(p) for p in Product]),  # product
    st.integers(0, 3),  # abo
    st.integers(0, 1),  # rhd
    st.sampled_from(SIZES),  # size_u
    st.integers(0, 4000),  # collected_at, minutes before the pick
)
grid = st.lists(st.integers(0, 4), min_size=8, max_size=8)
SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _stock_up(world, site: int, bags: list[tuple]) -> None:
    for product, abo, rhd, size, age in bags:
        ids = world.new_bags(
            product, abo, rhd, np.array([world.now - age]), site, UnitState.AVAILABLE, size_u=size
        )
        world.stock[site].add(ids)


@SETTINGS
@given(st.lists(bag, max_size=30), st.lists(grid, min_size=1, max_size=3))
def test_picks_book_the_same_orders_with_or_without_exact_sums(tiny_world, bags, grids) -> None:
    """On half sizes, a pick's units and on-order cells come from the stock's running
    sums; forcing the NumPy sums (as for other sizes) gives the same bits."""
    results = []
    for exact in (True, False):
        world = tiny_world()
        world.env.run(until=5000.0)
        station, hospital = (world.sites.position(s) for s in ("bs_a", "h_a"))
        _stock_up(world, station, bags)
        assert world.ledger.half_sizes
        world.ledger.half_sizes = exact
        needs = {p: np.array(g, float).reshape(4, 2) for p, g in enumerate(grids)}
        ids, orders = prepare_shipment(world, hospital, needs)
        frame = world.logs.orders.frame()
        results.append((ids.tolist(), orders, world.on_order[hospital].tobytes(), frame))
    (ids_a, orders_a, on_a, frame_a), (ids_b, orders_b, on_b, frame_b) = results
    assert ids_a == ids_b and orders_a == orders_b and on_a == on_b
    assert frame_a.equals(frame_b)


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 1), bag), max_size=30),
    st.lists(st.floats(0.0, 9.0).map(lambda x: round(x * 2) / 2), min_size=160, max_size=160),
)
def test_needs_of_all_hospitals_equal_each_hospitals_needs(tiny_world, bags, extra) -> None:
    world = tiny_world()
    populate(world)  # the hospitals and their targets
    world.env.run(until=2000.0)
    hospitals = [world.sites.position(s) for s in ("h_a", "h_b")]
    for k, item in bags:
        _stock_up(world, hospitals[k], [item])
    cells = np.array(extra).reshape(2, 2, len(Product), 8)
    for k, h in enumerate(hospitals):
        world.on_order[h] = cells[0, k].reshape(world.on_order[h].shape)
        world.backorders[h] = cells[1, k].reshape(world.backorders[h].shape) / 3.0
    policy = OrderUpTo()
    each = [policy.needs(world, h) for h in hospitals]
    together = policy.needs_of(world, hospitals)
    assert [list(n) for n in each] == [list(n) for n in together]
    for one, other in zip(each, together, strict=True):
        assert all(one[p].tobytes() == other[p].tobytes() for p in one)


def test_other_policies_are_asked_hospital_by_hospital_as_read(tiny_world) -> None:
    """A policy without the one-pass method is asked for each hospital only when the
    review reaches it (picking for one hospital may change what the next needs)."""
    world = tiny_world()
    asked = []

    class Recorder:
        def needs(self, world, hospital):
            asked.append(hospital)
            return {}

    world.replenishment = Recorder()
    needs = review_needs(world, [3, 4])
    assert asked == []
    next(needs)
    assert asked == [3]
    assert list(needs) == [{}] and asked == [3, 4]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=10),
    st.lists(st.floats(0.0, 3 * 1440.0), min_size=1, max_size=10),
    st.floats(0.5, 3.0),
)
def test_van_legs_take_the_road_models_minutes_and_follow_a_new_road(
    tiny_world, pairs, departures, scale
) -> None:
    world = tiny_world()
    vans = world.vans
    for road in (world.road, dataclasses.replace(world.road, rest_min=world.road.rest_min * scale)):
        world.road = road
        for (a, b), t in zip(pairs, departures * len(pairs), strict=False):
            world.env._now = t  # noqa: SLF001 - a departure minute without running the world
            minutes = vans._record(a, b, np.empty(0, np.int64), "positioning", -1, 0)  # noqa: SLF001
            assert minutes == road.minutes(a, b, t)
            assert world.logs.legs.get(len(world.logs.legs) - 1, "km") == float(road.km[a, b])


def _bank_needs_by_product(world, bank: int, targets: np.ndarray) -> dict[int, np.ndarray]:
    """The per-product loop :func:`bank_needs` replaced."""
    out = {}
    for product in PRODUCTS:
        position = world.stock[bank].on_hand_by_group(product, now=world.now)
        gap = targets[product] - position - world.on_order[bank, product]
        want = np.floor(np.maximum(gap, 0) + 0.5)
        if want.sum() > 0:
            out[int(product)] = want
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(bag, max_size=30),
    st.lists(st.integers(0, 12), min_size=32, max_size=32),
    st.lists(st.floats(0.0, 6.0).map(lambda x: round(x * 2) / 2), min_size=40, max_size=40),
)
def test_bank_needs_of_all_products_equal_the_per_product_loop(bags, targets, on_order) -> None:
    ledger = Ledger()
    for product, abo, rhd, size, age in bags:
        ledger.add(product, abo, rhd, size, -1, -age, 3000.0 - age, 0, UnitState.AVAILABLE)
    stock = SiteStock(ledger, 0)
    stock.add(np.arange(len(ledger)))
    world = SimpleNamespace(
        stock={0: stock}, now=100.0, on_order=np.array(on_order).reshape(1, len(Product), 4, 2)
    )
    grid = np.array(targets, float).reshape(len(PRODUCTS), 4, 2)
    expected, got = _bank_needs_by_product(world, 0, grid), bank_needs(world, 0, grid)
    assert list(expected) == list(got)
    assert all(expected[p].tobytes() == got[p].tobytes() for p in expected)


@SETTINGS
@given(st.lists(bag, max_size=30), st.lists(st.lists(grid, max_size=3), min_size=2, max_size=2))
def test_a_reviews_picks_booked_together_equal_one_by_one(tiny_world, bags, grids) -> None:
    """A station's review books its hospitals' picks in one pass: the same ledger (states,
    orders), orders table and units on order as booking each hospital's picks in turn."""
    results = []
    for together in (True, False):
        world = tiny_world()
        world.env.run(until=5000.0)
        station = world.sites.position("bs_a")
        hospitals = [world.sites.position(s) for s in ("h_a", "h_b")]
        base = [(p, a, r, 1.0, 100 * a + r) for p in range(3) for a in range(4) for r in (0, 1)]
        _stock_up(world, station, base + bags)  # a bag of every group, then the drawn ones
        wanted = [
            (h, {p: np.array(g, float).reshape(4, 2) for p, g in enumerate(gs)})
            for h, gs in zip(hospitals, grids, strict=True)
        ]
        shipments = prepare_shipments(world, wanted, together=together)
        ledger = world.ledger
        n = len(ledger)
        results.append(
            (
                {h: (ids.tolist(), orders) for h, (ids, orders) in shipments.items()},
                ledger.state[:n].tobytes() + ledger.order_id[:n].tobytes(),
                world.on_order.tobytes(),
                world.logs.orders.frame(),
            )
        )
    (ship_a, ledger_a, on_a, frame_a), (ship_b, ledger_b, on_b, frame_b) = results
    assert ship_a == ship_b and ledger_a == ledger_b and on_a == on_b
    assert frame_a.equals(frame_b)
