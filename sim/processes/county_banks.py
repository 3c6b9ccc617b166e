"""County blood banks: stock points of red cells for the hospitals of their county.

A county blood bank (县中心血库) sits in a county hospital, holds stock for the hospitals of
its county and is supplied each morning by its city's station, order-up-to a number of days
of its county's mean demand (``escalation.county_bank_days``). It neither collects nor tests.
Urgent and emergency orders of its county's hospitals look there first (``sim.processes.orders``),
and its own vehicles carry them (``escalation.county_bank_vans``). Units getting old rotate
to its hospitals' routine orders (``escalation.county_bank_rotate_days``), so a reserve that
only emergencies draw on does not outdate.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS
from sim.processes.orders import deliver_shipment, prepare_shipment
from sim.state.outages import is_down
from sim.state.world import World

N_CODES = max(PRODUCTS) + 1  # length of a demand-mean array (indexed by product code)
_CODES = [int(p) for p in PRODUCTS]  # product codes, in order
ROTATE_LEAD_MIN = 30.0  # rotation runs this long before the hospitals' review, minutes


def county_banks(world: World) -> np.ndarray:
    """Positions of the county blood banks in use (none when the scenario turns them off)."""
    if not world.scenario.escalation.county_banks:
        return np.empty(0, np.int64)
    return world.sites.county_banks


def bank_means(world: World) -> dict[int, np.ndarray]:
    """Mean daily demand (units by product code) of the hospitals each county bank serves."""
    out = {}
    for bank in county_banks(world):
        served = np.flatnonzero(world.sites.bank_of == bank)
        out[int(bank)] = sum((world.demand_mean[int(h)] for h in served), np.zeros(N_CODES))
    return out


def bank_targets(world: World, mean: np.ndarray) -> np.ndarray:
    """Order-up-to stock of a bank, whole U per [product code, abo, rhd]: its target days
    (``escalation.county_bank_days``) of ``mean`` (U/day by product code), rounded half up
    per product and shared out among the groups (:func:`whole_units`).

    Rounding the whole product, not each group, keeps a small target: one day of a
    county's ~1 platelet dose a day is one dose of the commonest group, where rounding
    each group's 0.09-0.34 doses would hold none.
    """
    days, grid = world.scenario.escalation.county_bank_days, world.groups.grid()
    out = np.zeros((N_CODES, *grid.shape))
    for product in PRODUCTS:
        out[product] = whole_units(getattr(days, product.name) * mean[product], grid)
    return out


def whole_units(total_u: float, shares: np.ndarray) -> np.ndarray:
    """``total_u`` rounded half up to whole units and shared out in proportion to
    ``shares`` (any shape, summing to 1) by largest remainder (Hamilton's method): each
    share gets its whole quota, the units left go to the largest fractions, ties to the
    first share."""
    units = int(np.floor(total_u + 0.5))
    quota = units * shares.ravel()
    out = np.floor(quota)
    left = units - int(out.sum())
    out[np.argsort(out - quota, kind="stable")[:left]] += 1
    return out.reshape(shares.shape)


def bank_needs(world: World, bank: int, targets: np.ndarray) -> dict[int, np.ndarray]:
    """Units a bank orders from its station now: up to its ``targets`` (:func:`bank_targets`)
    per group, less what it holds and has on order; whole units."""
    position = world.stock[bank].on_hand_by_product_group(_CODES, now=world.now)
    gap = targets[_CODES] - position - world.on_order[bank, _CODES]  # all products at once
    want = np.floor(np.maximum(gap, 0) + 0.5)
    totals = want.reshape(len(_CODES), -1).sum(axis=1).tolist()  # whole units: exact
    return {code: want[k] for k, code in enumerate(_CODES) if totals[k] > 0}


def rotation_needs(world: World, bank: int, hospital: int) -> dict[int, np.ndarray]:
    """Units (by product code, (4, 2) per group) the bank sends the hospital now: its
    routine need, up to the bank's units with less than ``county_bank_rotate_days`` left."""
    keep_min = world.scenario.escalation.county_bank_rotate_days * MINUTES_PER_DAY
    stock, out = world.stock[bank], {}
    needs = world.replenishment.needs(world, hospital)
    if not needs:
        return out
    now = stock.on_hand_by_product_group(list(needs), now=world.now)
    old = now - stock.on_hand_by_product_group(list(needs), now=world.now + keep_min)
    for k, (product, want) in enumerate(needs.items()):
        give = np.minimum(want, np.floor(old[k]))
        if give.sum() > 0:
            out[int(product)] = give
    return out


def rotate(world: World, bank: int) -> None:
    """Send the bank's oldest units to the hospitals of its county that need them."""
    for hospital in map(int, np.flatnonzero(world.sites.bank_of == bank)):
        needs = rotation_needs(world, bank, hospital)
        ids, orders = prepare_shipment(world, hospital, needs, bank) if needs else ((), [])
        if len(ids):
            world.env.process(deliver_shipment(world, bank, hospital, ids, orders))


def refill(world: World, bank: int, targets: np.ndarray) -> None:
    """The bank orders up to its ``targets`` (:func:`bank_targets`) from its city's station
    (unless the station is down)."""
    station = int(world.sites.station_of[bank])
    if is_down(world.outages, station, world.now):
        return
    needs = bank_needs(world, bank, targets)
    ids, orders = prepare_shipment(world, bank, needs) if needs else ((), [])
    if len(ids):
        world.env.process(deliver_shipment(world, station, bank, ids, orders))


def county_bank_reviews(world: World, review_min: float) -> Generator:
    """SimPy process: each morning, half an hour before the hospitals' review at
    ``review_min`` (minutes after midnight), every county bank rotates its oldest units to
    its hospitals; at the review it orders from its city's station."""
    means = bank_means(world)
    targets = {bank: bank_targets(world, mean) for bank, mean in means.items()}  # constant
    for day in range(world.scenario.days):
        morning = day * MINUTES_PER_DAY + review_min
        yield world.env.timeout(max(0.0, morning - ROTATE_LEAD_MIN - world.now))
        for bank in means:
            rotate(world, bank)
        yield world.env.timeout(max(0.0, morning - world.now))
        for bank, target in targets.items():
            refill(world, bank, target)
