"""Batched shipments, reviews and opening stock give what the per-product code gave.

Each test runs a plain per-product reference (the code these replaced, kept here) beside
the batched version on identical worlds and compares every ledger column, the stock and the
running totals exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.build import populate
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Priority, Product, UnitState
from sim.policies.hosting import site_targets
from sim.policies.replenishment import OrderUpTo
from sim.processes.initial import AGE_SHARE, stock_opening_inventory
from sim.processes.orders import (
    MIXED,
    close_order,
    fill_status,
    mark_shipped,
    new_order,
    prepare_shipment,
)
from sim.processes.rare import draw_antigens
from sim.state.ledger import COLUMNS
from sim.state.sites import SiteIndex


def _ledger(world) -> dict[str, np.ndarray]:
    return {name: world.ledger.col(name).copy() for name in COLUMNS}


def _same_ledgers(a, b) -> None:
    left, right = _ledger(a), _ledger(b)
    for name in COLUMNS:
        np.testing.assert_array_equal(left[name], right[name], err_msg=name)


def _stock_ids(world) -> dict[int, list[int]]:
    return {site: stock.ids().tolist() for site, stock in world.stock.items()}


# ------------------------------------------------------------------ opening stock
def _fill_per_product(world, site: int, targets: np.ndarray) -> None:
    rng = world.streams.get("opening_stock", site)
    for product in PRODUCTS:
        counts = np.floor(targets[product] + 0.5)
        abo, rhd = np.nonzero(counts)
        reps = counts[abo, rhd].astype(int)
        n = int(reps.sum())
        if not n:
            continue
        collected = -rng.uniform(*AGE_SHARE, n) * world.shelf_min[product]
        antigens = draw_antigens(world, rng, n)
        ids = world.new_bags(
            product,
            np.repeat(abo, reps),
            np.repeat(rhd, reps),
            collected,
            site,
            UnitState.IN_TESTING,
            antigens=antigens,
        )
        world.ledger.release(ids, np.minimum(collected + MINUTES_PER_DAY, 0.0))
        world.stock[site].add(ids)


def test_opening_stock_is_the_per_product_batches(tiny_world) -> None:
    batched, reference = tiny_world(seed=5), tiny_world(seed=5)
    stock_opening_inventory(batched)
    for site in reference.demand_mean:  # the tiny world has hospitals and one station
        _fill_per_product(reference, site, site_targets(reference, site))
    days = reference.scenario.inventory.station.target_days
    for site, mean in reference.served_mean.items():
        cover = np.array([getattr(days, p.name) for p in PRODUCTS])
        grid = reference.groups.grid()
        _fill_per_product(reference, site, (cover * mean[list(PRODUCTS)])[:, None, None] * grid)
    assert len(batched.ledger) == len(reference.ledger) > 0
    _same_ledgers(batched, reference)
    assert batched.next_donation_id == reference.next_donation_id
    assert _stock_ids(batched) == _stock_ids(reference)
    assert (batched.bags_created == reference.bags_created).all()


# ------------------------------------------------------------------ daily review
def _needs_per_product(world, hospital: int) -> dict[int, np.ndarray]:
    site, stock, out = world.hospitals[hospital], world.stock[hospital], {}
    for product in PRODUCTS:
        position = stock.on_hand_by_group(product, now=world.now)
        waiting = world.backorders[hospital, product].reshape(4, 2)
        position = position + world.on_order[hospital, product] - waiting
        want = np.floor(np.maximum(site.targets[product] - position, 0.0) + 0.5)
        if want.sum() > 0:
            out[int(product)] = want
    return out


def _ready_world(tiny_world):
    world = tiny_world(seed=9)
    populate(world)
    world.env.run(until=2 * MINUTES_PER_DAY + 1.0)  # stock has moved about for two days
    return world


cells = st.lists(st.floats(-3.0, 12.0, allow_nan=False), min_size=40, max_size=40)


def test_review_needs_are_the_per_product_review(tiny_world) -> None:
    world = _ready_world(tiny_world)
    hospitals = sorted(world.hospitals)

    @settings(max_examples=40, deadline=None)
    @given(on_order=cells, backorders=cells, pick=st.integers(0, len(hospitals) - 1))
    def check(on_order: list[float], backorders: list[float], pick: int) -> None:
        hospital = hospitals[pick]
        world.on_order[hospital] = np.reshape(on_order, world.on_order[hospital].shape)
        world.backorders[hospital] = np.reshape(backorders, world.backorders[hospital].shape)
        got, expected = OrderUpTo().needs(world, hospital), _needs_per_product(world, hospital)
        assert list(got) == list(expected)
        for product, grid in expected.items():
            np.testing.assert_array_equal(got[product], grid)

    check()


# ------------------------------------------------------------------ shipments
def _prepare_per_product(world, hospital: int, needs: dict[int, np.ndarray]):
    station = int(world.sites.station_of[hospital])
    stock, parts, orders = world.stock[station], [], []
    for product, grid in needs.items():
        wanted = float(grid.sum())
        order = new_order(
            world, hospital, station, Product(product).name, MIXED, Priority.ROUTINE,
            wanted, world.now + MINUTES_PER_DAY,
        )  # fmt: skip
        picked = [
            stock.take_exact(product, abo, rhd, grid[abo, rhd], now=world.now)
            for abo in range(4)
            for rhd in range(2)
            if grid[abo, rhd] > 0
        ]
        picked = np.concatenate(picked) if picked else np.empty(0, np.int64)
        filled = float(world.ledger.size_u[picked].sum()) if len(picked) else 0.0
        close_order(world, order, fill_status(filled, wanted), filled)
        if len(picked):
            ledger = world.ledger
            key = ledger.abo[picked].astype(np.intp) * 2 + ledger.rhd[picked]
            by_group = np.bincount(key, weights=ledger.size_u[picked], minlength=8)
            world.on_order[hospital, product] += by_group.reshape(4, 2)
            ledger.assign_order(picked, order)
            parts.append(picked)
            orders.append(order)
    ids = np.concatenate(parts) if parts else np.empty(0, np.int64)
    if len(ids):
        world.ledger.move(ids, UnitState.RESERVED)
        for order in orders:
            mark_shipped(world, order)
    return ids, orders


wants = st.lists(st.integers(0, 6), min_size=32, max_size=32)


def test_shipments_are_the_per_product_picks(tiny_world) -> None:
    batched, reference = _ready_world(tiny_world), _ready_world(tiny_world)
    hospital = sorted(batched.hospitals)[0]

    @settings(max_examples=25, deadline=None)
    @given(want=wants)
    def check(want: list[int]) -> None:
        grids = np.reshape(np.array(want, float), (len(PRODUCTS), 4, 2))
        needs = {int(p): grids[k] for k, p in enumerate(PRODUCTS) if grids[k].sum() > 0}
        ids, orders = prepare_shipment(batched, hospital, needs)
        ref_ids, ref_orders = _prepare_per_product(reference, hospital, needs)
        assert ids.tolist() == ref_ids.tolist() and orders == ref_orders
        _same_ledgers(batched, reference)
        np.testing.assert_array_equal(batched.on_order, reference.on_order)
        pd.testing.assert_frame_equal(batched.logs.orders.frame(), reference.logs.orders.frame())

    check()


# ------------------------------------------------------------------ site index
def test_site_kinds_and_positions_are_cached_read_only(tiny_world) -> None:
    sites: SiteIndex = tiny_world().sites
    for kinds in [("hospital",), ("blood_station", "blood_center"), ("nothing",)]:
        expected = np.flatnonzero(np.isin(sites.kinds, kinds))
        first = sites.of_kind(*kinds)
        assert first.tolist() == expected.tolist() and sites.of_kind(*kinds) is first
        assert not first.flags.writeable
    assert sites.stations.tolist() == sites.of_kind("blood_center", "blood_station").tolist()
    for i, site in enumerate(sites.ids):
        assert sites.position(str(site)) == i
    with pytest.raises(KeyError, match="no_such_site"):
        sites.position("no_such_site")
