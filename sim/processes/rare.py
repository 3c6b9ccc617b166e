"""Rare and matched blood: antigen-negative searches across the network, the frozen
rare-blood bank, and HLA-matched platelets from recalled donors.

Antigen profiles are bit masks on the ledger's ``antigens`` column: bit ``i`` set means the
unit is NEGATIVE for ``ANTIGENS[i]`` (C, c, E, e, Jka, Jkb, K).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.compatibility import compatible_mask
from sim.core.domain import (
    ABO,
    MINUTES_PER_DAY,
    MINUTES_PER_HOUR,
    Level,
    Priority,
    Product,
    UnitState,
)
from sim.processes.orders import close_order, fill_status, mark_arrived, mark_shipped, new_order
from sim.scenario.events import HlaPlateletRequest, RareRequest
from sim.scenario.rare import ANTIGENS
from sim.state.world import World
from sim.transport.multimodal import follow_route


def antigen_bits(names: list[str]) -> int:
    """The bit mask of antigen-negative flags for ``names``."""
    return sum(1 << ANTIGENS.index(name) for name in names)


def draw_antigens(
    world: World, rng: np.random.Generator, n: int, *, rare: bool = False
) -> np.ndarray:
    """Antigen-negative masks of ``n`` donors (``rare``: the frozen bank's selected donors,
    negative for each antigen with at least even odds)."""
    shares = world.scenario.rare_blood.antigen_negative_share
    p = np.array([shares.get(a, 0.0) for a in ANTIGENS])
    if rare:
        p = np.maximum(p, 0.5)
    flags = rng.random((n, len(ANTIGENS))) < p
    return (flags * (1 << np.arange(len(ANTIGENS)))).sum(axis=1).astype(np.uint16)


def stock_frozen_bank(world: World) -> None:
    """Put the frozen rare units (FRBC) on the provincial blood center's shelf."""
    spec = world.scenario.rare_blood
    centers = world.sites.of_kind("blood_center")
    if not spec.frozen_units or not len(centers) or "FRBC" not in world.scenario.products:
        return
    rng = world.streams.get("frozen_bank")
    n, center = spec.frozen_units, int(centers[0])
    groups = rng.choice(len(world.groups.shares), n, p=world.groups.shares)
    codes = np.array(world.groups.codes)[groups]
    collected = -rng.uniform(30, 3000, n) * MINUTES_PER_DAY
    ids = world.new_bags(
        Product.FRBC,
        codes[:, 0],
        codes[:, 1],
        collected,
        center,
        UnitState.IN_TESTING,
        size_u=2.0,
        antigens=draw_antigens(world, rng, n, rare=True),
    )
    world.ledger.release(ids, collected + MINUTES_PER_DAY)
    world.stock[center].add(ids)


def start_requests(world: World) -> None:
    """Start the processes of rare and HLA-matched requests in the scenario."""
    for number, event in enumerate(world.scenario.events):
        if isinstance(event, RareRequest):
            world.env.process(_rare(world, event))
        elif isinstance(event, HlaPlateletRequest):
            world.env.process(_hla(world, event, number))


def _rare(world: World, event: RareRequest) -> Generator:
    yield world.env.timeout(max(0.0, world.calendar.minutes(event.start) - world.env.now))
    hospital = world.sites.position(event.hospital_id)
    abo, rhd = ABO[event.abo], int(event.rhd == "+")
    label = f"{event.abo}{event.rhd} {''.join(a + '-' for a in event.antigens_negative)}"
    order = _order(world, event, hospital, "RBC", label, event.units)
    ids, source, thaw = _find_rare(
        world, hospital, abo, rhd, antigen_bits(event.antigens_negative), event.units
    )
    if not len(ids):
        world.logs.count("rare_requests_unfilled")
        _finish(world, order, 0.0)
        return
    if thaw:
        yield from _thaw(world, ids)
    yield from _deliver_fastest(world, ids, source, hospital, order)


def _find_rare(world: World, hospital: int, abo: int, rhd: int, mask: int, units: int):
    """Matching units anywhere in the network, nearest first; else the frozen bank."""
    ledger, now = world.ledger, world.now
    for product, thaw in ((Product.RBC, False), (Product.FRBC, True)):
        ok = (
            (ledger.state == UnitState.AVAILABLE)
            & (ledger.product == product)
            & ((ledger.antigens & mask) == mask)
            & (ledger.expires_at > now)
        )
        ok &= compatible_mask("red_cell", ledger.abo, ledger.rhd, abo, rhd)
        candidates = np.flatnonzero(ok)
        if not len(candidates):
            continue
        sites = np.unique(ledger.site[candidates])
        best = min(sites, key=lambda s: world.oracle.fastest(int(s), hospital, now).arrival_min)
        here = candidates[ledger.site[candidates] == best]
        here = here[np.argsort(ledger.expires_at[here], kind="stable")]
        here = here[np.cumsum(ledger.size_u[here]) - ledger.size_u[here] < units]  # whole bags
        world.stock[int(best)].take_ids(here)
        world.logs.count("rare_units_found_" + product.name, len(here))
        return here, int(best), thaw
    return np.empty(0, np.int64), -1, False


def _thaw(world: World, ids: np.ndarray) -> Generator:
    """Thaw and deglycerolise frozen units; they then keep only ``thawed_life_h``."""
    spec = world.scenario.rare_blood
    yield world.env.timeout(spec.thaw_min)
    world.ledger.set_expiry(ids, world.now + spec.thawed_life_h * MINUTES_PER_HOUR)


def _hla(world: World, event: HlaPlateletRequest, number: int) -> Generator:
    yield world.env.timeout(max(0.0, world.calendar.minutes(event.start) - world.env.now))
    hospital = world.sites.position(event.hospital_id)
    spec, rng = world.scenario.rare_blood, world.streams.get("hla", number)
    centers = world.sites.of_kind("blood_center")
    center = int(centers[0]) if len(centers) else int(world.sites.stations[0])
    order = _order(world, event, hospital, "PLT", f"{event.abo}{event.rhd} HLA", event.doses)
    same_day = rng.random() < spec.hla_same_day_share
    wait_h = spec.hla_same_day_h if same_day else spec.hla_later_days * 24.0
    world.logs.count("hla_same_day" if same_day else "hla_later")
    yield world.env.timeout(wait_h * MINUTES_PER_HOUR)
    collected = np.full(event.doses, world.now - 4 * MINUTES_PER_HOUR)
    ids = world.new_bags(
        Product.PLT, ABO[event.abo], int(event.rhd == "+"), collected, center, UnitState.IN_TESTING
    )
    world.ledger.release(ids, world.now)
    yield from _deliver_fastest(world, ids, center, hospital, order)


def _deliver_fastest(world: World, ids: np.ndarray, source: int, hospital: int, order: int):
    """Carry by the fastest chain the oracle finds (whatever the dispatch policy)."""
    world.ledger.move(ids, UnitState.RESERVED)
    world.ledger.assign_order(ids, order)
    world.logs.orders.update(order, station_id=world.site_id(source))
    mark_shipped(world, order)
    route = world.oracle.fastest(source, hospital, world.now, drone_grounded=world.drones.grounded)
    arrival = yield from follow_route(world, route, ids, Priority.EMERGENCY, order)
    mark_arrived(world, order, arrival, route.modes)
    world.ledger.dispose(ids, UnitState.TRANSFUSED, arrival)
    _finish(world, order, float(world.ledger.size_u[ids].sum()))


def _order(world: World, event, hospital: int, product: str, label: str, quantity: float) -> int:
    required_by = world.calendar.minutes(event.end)
    return new_order(
        world,
        hospital,
        hospital,
        product,
        label,
        Priority.EMERGENCY,
        quantity,
        required_by,
        level=Level.REGION,
    )


def _finish(world: World, order: int, filled: float) -> None:
    quantity = world.logs.orders.get(order, "quantity_u")
    close_order(world, order, fill_status(filled, quantity), filled)
