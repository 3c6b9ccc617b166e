"""Opening stock at target cover; the midnight sweep outdates units at their expiry time."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Product, UnitState
from sim.processes.expiry import expiry_sweeps, snapshot_stock
from sim.processes.initial import AGE_SHARE, stock_opening_inventory


def test_opening_stock_is_target_days_of_demand_per_group(tiny_world) -> None:
    world = tiny_world()
    stock_opening_inventory(world)
    ledger, grid = world.ledger, world.groups.grid()
    target = world.scenario.inventory.hospital.target_days
    hospital = world.sites.position("h_a")
    for product in PRODUCTS:
        at = (ledger.site == hospital) & (ledger.product == product)
        expected = np.floor(getattr(target, product.name) * world.demand_mean[hospital][product]
                            * grid + 0.5).sum()  # fmt: skip
        assert at.sum() == expected
    assert (ledger.state == UnitState.AVAILABLE).all()
    age = -ledger.collected_at / np.array([world.shelf_min[Product(p)] for p in ledger.product])
    assert (age >= AGE_SHARE[0]).all() and (age <= AGE_SHARE[1]).all()
    assert (ledger.released_at <= 0.0).all()
    assert world.bags_created.sum() == len(ledger.product[: ledger.size_u.size])


def test_the_sweep_outdates_at_midnight_with_the_unit_s_own_expiry(tiny_world) -> None:
    world = tiny_world(days=2)
    station = world.sites.position("bs_a")
    expires = np.array([600.0, 2000.0, 1e6])
    ids = world.add_units(
        product=Product.RBC, abo=0, rhd=1, size_u=1.0, donation_id=np.arange(3),
        collected_at=0.0, expires_at=expires, site=station, state=UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, 0.0)
    world.stock[station].add(ids)
    world.env.process(expiry_sweeps(world))
    world.env.run(until=MINUTES_PER_DAY + 1.0)
    assert world.ledger.state[ids].tolist() == [
        UnitState.EXPIRED,
        UnitState.AVAILABLE,
        UnitState.AVAILABLE,
    ]
    assert world.ledger.disposed_at[ids[0]] == 600.0
    world.env.run()
    assert world.ledger.disposed_at[ids[1]] == 2000.0
    days = [snap.day for snap in world.logs.stock]
    assert days == [0, 1, 2]
    assert [float(snap.units.sum()) for snap in world.logs.stock] == [3.0, 2.0, 1.0]


def test_a_snapshot_sums_available_units_per_site_and_product(tiny_world) -> None:
    world = tiny_world()
    station, hospital = world.sites.position("bs_a"), world.sites.position("h_a")
    rows = [
        (station, 2.0, UnitState.AVAILABLE),
        (hospital, 1.5, UnitState.AVAILABLE),
        (station, 1.0, UnitState.IN_TESTING),  # not on the shelf yet
    ]
    for site, size, state in rows:
        world.add_units(
            product=Product.PLT, abo=0, rhd=1, size_u=size, donation_id=0, collected_at=0.0,
            expires_at=1e6, site=site, state=state,
        )  # fmt: skip
    snapshot_stock(world, 5)
    snap = world.logs.stock[-1]
    assert snap.day == 5
    cells = zip(snap.sites.tolist(), snap.products.tolist(), snap.units.tolist(), strict=True)
    assert sorted(cells) == [
        (station, Product.PLT, 2.0),
        (hospital, Product.PLT, 1.5),
    ]
    assert snap.units.sum() == pytest.approx(3.5)
