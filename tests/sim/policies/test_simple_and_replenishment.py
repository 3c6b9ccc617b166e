"""Simple policies and order-up-to replenishment at the daily review."""

from __future__ import annotations

import numpy as np

from sim.core.domain import PRODUCTS, Product, UnitState
from sim.policies.replenishment import OrderUpTo
from sim.policies.simple import NoRebalancing, ScheduledVan
from sim.processes.hospital import Hospital

HOURS = "testing: {sample_dispatch_hours: [9, 21]}\n"


def test_no_rebalancing_schedules_nothing_and_samples_leave_at_the_set_hours(tiny_world) -> None:
    world = tiny_world(extra=HOURS)
    NoRebalancing().start(world)
    assert world.env.peek() == float("inf")  # no event scheduled
    assert ScheduledVan().dispatch_hours(world) == (9.0, 21.0)


def _hospital(world) -> int:
    site = world.sites.position("h_a")
    world.hospitals[site] = Hospital(world, site)
    return site


def _target(world, site: int, product: Product) -> np.ndarray:
    days = getattr(world.scenario.inventory.hospital.target_days, product.name)
    return days * world.demand_mean[site][product] * world.groups.grid()


def test_an_empty_hospital_orders_its_target_in_whole_units(tiny_world) -> None:
    world = tiny_world()
    site = _hospital(world)
    needs = OrderUpTo().needs(world, site)
    for product in PRODUCTS:
        expected = np.floor(_target(world, site, product) + 0.5)
        if expected.sum():
            assert np.array_equal(needs[int(product)], expected)
        else:
            assert int(product) not in needs


def test_stock_and_units_on_order_lower_the_order_and_backorders_raise_it(tiny_world) -> None:
    world = tiny_world()
    site = _hospital(world)
    empty = OrderUpTo().needs(world, site)[Product.RBC]
    ids = world.add_units(
        product=Product.RBC, abo=0, rhd=1, size_u=1.0, donation_id=np.arange(3),
        collected_at=0.0, expires_at=1e6, site=site, state=UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, 0.0)
    world.stock[site].add(ids)
    world.on_order[site, Product.RBC, 1, 1] = 2.0  # A+
    world.backorders[site, Product.RBC, world.groups.codes.index((2, 1))] = 4.0  # B+
    needs = OrderUpTo().needs(world, site)[Product.RBC]
    change = needs - empty
    assert change[0, 1] == -min(3.0, empty[0, 1])  # O+ on the shelf
    assert change[1, 1] == -min(2.0, empty[1, 1])  # A+ on order
    assert change[2, 1] == 4.0  # B+ patients waiting
