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
from sim.policies.dispatch import fastest_on_network
from sim.processes import hla
from sim.processes.hla_arrivals import hla_arrivals
from sim.processes.orders import (
    close_order,
    fill_status,
    mark_arrived,
    mark_shipped,
    new_order,
    transfuse_on_arrival,
)
from sim.scenario.events import HlaPlateletRequest, RareRequest
from sim.scenario.rare import ANTIGENS
from sim.state.world import World
from sim.transport.multimodal import follow_route

# Bit 15 of a unit's antigen mask: the donation was typed for the extended antigens (bits
# 0-6 then say which it lacks); 0 means untyped (unknown until screened).
TYPED = 1 << 15
# Share of donations typed for C, c, E, e, Jka, Jkb and K (assumed): Chinese blood services
# type every donation for ABO and RhD only; extended typing is kept for registry and repeat
# donors (a rare-blood registry, seeds.md). The Wuhan centre had to screen 120 group-B units
# to find 1 for an anti-Ce + anti-Jkb patient (seeds.md), so the stock it held was untyped.
TYPED_SHARE = 0.05
# Serological screening of untyped units for a rare request (assumed): segments pulled and
# tested by gel card in batches of 24 units an hour (incubation + centrifugation ~25 min,
# reading and repeat handling), so Wuhan's 120 units take 5 hours.
SCREEN_BATCH_UNITS = 24
SCREEN_BATCH_MIN = 60.0


def antigen_bits(names: list[str]) -> int:
    """The bit mask of antigen-negative flags for ``names``."""
    return sum(1 << ANTIGENS.index(name) for name in names)


def draw_antigens(
    world: World, rng: np.random.Generator, n: int, *, rare: bool = False
) -> np.ndarray:
    """Antigen masks of ``n`` donors: only a share of donations is typed (``TYPED``
    flag set); the others carry 0, unknown until screened. ``rare``: the frozen bank's
    selected donors, all typed and negative for each antigen with at least even odds."""
    p, shares = _negative_shares(world.scenario.rare_blood.antigen_negative_share, rare)
    draws = rng.random((n, len(ANTIGENS)))
    if rare:
        typed = np.ones(n, bool)
    else:  # typing drawn from its own stream (one per batch, keyed by the next donation id),
        # so the callers' streams (donors, components) stay as they were
        typing = world.streams.uniforms("antigen_typing", world.next_donation_id, n)
        if n <= _FEW_DONORS:  # a pickup's few donors: masks on Python numbers (the same bits)
            return _few_masks(draws.tolist(), typing, shares)
        typed = np.array(typing) < TYPED_SHARE
    masks = _bit_masks(draws < p) | TYPED
    return np.where(typed, masks, 0).astype(np.uint16)


_FEW_DONORS = 64  # up to this many donors a batch's masks are formed on Python lists


def _few_masks(draws: list[list[float]], typing: list[float], p: list[float]) -> np.ndarray:
    """:func:`draw_antigens`' masks from its uniform draws (donors x antigens), the typing
    draws (one per donor) and the antigen-negative shares: bit ``i`` where draw ``i`` is
    below share ``i``, plus :data:`TYPED`, for typed donors; 0 for the others."""
    bits = [1 << i for i in range(len(p))]
    masks = [
        TYPED + sum(bit for bit, u, share in zip(bits, row, p, strict=True) if u < share)
        if t < TYPED_SHARE
        else 0
        for row, t in zip(draws, typing, strict=True)
    ]
    return np.array(masks, np.uint16)


def _negative_shares(shares: dict[str, float], rare: bool) -> tuple[np.ndarray, list[float]]:
    """Per antigen of :data:`ANTIGENS`, the share of donors negative for it (0 where not
    given; at least 0.5 for the rare bank's donors), as an array and as Python floats; kept
    for the last shares seen."""
    key = (rare, tuple(shares.items()))
    if _SHARES[0] != key:
        p = np.array([shares.get(a, 0.0) for a in ANTIGENS])
        p = np.maximum(p, 0.5) if rare else p
        _SHARES[:] = [key, (p, p.tolist())]
    return _SHARES[1]


_SHARES: list = [None, None]  # (rare, shares' items) and their arrays


def _bit_masks(flags: np.ndarray) -> np.ndarray:
    """Per row of ``flags`` (donors x antigens, bool), the mask with bit ``i`` set where
    column ``i`` is True (uint16; up to 15 antigens, bit 15 being :data:`TYPED`)."""
    packed = np.packbits(flags, axis=1, bitorder="little")  # 8 antigens a byte
    masks = packed[:, 0].astype(np.uint16)
    if packed.shape[1] > 1:
        masks |= packed[:, 1].astype(np.uint16) << 8
    return masks


def match_chance(world: World, mask: int) -> float:
    """Chance that an untyped unit is negative for every antigen in ``mask`` (0..1)."""
    shares = world.scenario.rare_blood.antigen_negative_share
    bits = [a for i, a in enumerate(ANTIGENS) if mask >> i & 1]
    return float(np.prod([shares.get(a, 0.0) for a in bits]))


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
    """Start the processes of rare and HLA-matched requests in the scenario, and of the
    HLA-matched requests arriving at random (``rare_blood.hla_requests_per_week``)."""
    for number, event in enumerate(world.scenario.events):
        if isinstance(event, RareRequest):
            world.env.process(_rare(world, event, number))
        elif isinstance(event, HlaPlateletRequest):
            world.env.process(serve_hla(world, event, world.streams.get("hla", number)))
    if world.scenario.rare_blood.hla_requests_per_week > 0:
        world.env.process(hla_arrivals(world, serve_hla))


def _rare(world: World, event: RareRequest, number: int) -> Generator:
    yield world.env.timeout(max(0.0, world.calendar.minutes(event.start) - world.env.now))
    hospital = world.sites.position(event.hospital_id)
    abo, rhd = ABO[event.abo], int(event.rhd == "+")
    label = f"{event.abo}{event.rhd} {''.join(a + '-' for a in event.antigens_negative)}"
    order = _order(world, event, hospital, "RBC", label, event.units)
    mask = antigen_bits(event.antigens_negative)
    group = (hospital, abo, rhd, mask, event.units)
    rng = world.streams.get("rare_screening", number)
    frozen = world.ledger.size_u[_frozen_candidates(world, abo, rhd, mask)].sum()
    # screening races the thaw of frozen units: it is stopped once the thaw would be faster
    budget = world.scenario.rare_blood.thaw_min if frozen >= event.units else np.inf
    ids, source, screen_min = _screen(world, rng, *group, budget)
    yield world.env.timeout(screen_min)
    if not len(ids):
        ids, source = _frozen(world, *group)
        if len(ids):
            yield from _thaw(world, ids)
    if not len(ids):
        world.logs.count("rare_requests_unfilled")
        _finish(world, order, 0.0)
        return
    yield from _deliver_fastest(world, ids, source, hospital, order)


def _frozen(
    world: World, hospital: int, abo: int, rhd: int, mask: int, units: int
) -> tuple[np.ndarray, int]:
    """Matching frozen units (all typed) from the bank nearest the hospital."""
    candidates = _frozen_candidates(world, abo, rhd, mask)
    return _take_nearest(world, hospital, candidates, units, "rare_units_found_FRBC")


def _frozen_candidates(world: World, abo: int, rhd: int, mask: int) -> np.ndarray:
    ok = _compatible(world, abo, rhd, Product.FRBC) & ((world.ledger.antigens & mask) == mask)
    return np.flatnonzero(ok)


def _screen(
    world: World,
    rng: np.random.Generator,
    hospital: int,
    abo: int,
    rhd: int,
    mask: int,
    units: int,
    budget_min: float = np.inf,
) -> tuple[np.ndarray, int, float]:
    """Red cells for a rare request from the nearest site that can give ``units``: typed
    matching units first, then untyped compatible units screened one by one (FEFO) until
    enough match. Returns the units (taken off the shelf), their site and the screening time
    (min) of every unit screened on the way; nothing (and no time) if that time would pass
    ``budget_min``."""
    ledger = world.ledger
    ok = _compatible(world, abo, rhd, Product.RBC)
    typed = (ledger.antigens & (mask | TYPED)) == (mask | TYPED)
    candidates = np.flatnonzero(ok & (typed | (ledger.antigens == 0)))
    chance, screened = match_chance(world, mask), 0
    for site in _nearest_sites(world, hospital, candidates):
        here = candidates[ledger.site[candidates] == site]
        known = typed[here]
        here = here[np.lexsort((ledger.expires_at[here], ~known))]  # typed first, then FEFO
        match = ledger.antigens[here] != 0
        match |= rng.random(len(here)) < chance
        enough = np.cumsum(ledger.size_u[here] * match) >= units
        stop = int(np.argmax(enough)) + 1 if enough.any() else len(here)
        screened += int((ledger.antigens[here[:stop]] == 0).sum())
        if _screen_min(screened) > budget_min:
            break  # the frozen units will be ready sooner
        if enough.any():
            found = here[:stop][match[:stop]]
            world.stock[int(site)].take_ids(found)
            screened_now = found[ledger.antigens[found] == 0]
            world.ledger.set_antigens(screened_now, mask | TYPED)  # what screening showed
            world.logs.count("rare_units_screened", screened)
            world.logs.count("rare_units_found_RBC", len(found))
            return found, int(site), _screen_min(screened)
    world.logs.count("rare_units_screened", screened)
    return np.empty(0, np.int64), -1, 0.0


def _screen_min(screened: int) -> float:
    return float(np.ceil(screened / SCREEN_BATCH_UNITS) * SCREEN_BATCH_MIN)


def _compatible(world: World, abo: int, rhd: int, product: Product) -> np.ndarray:
    ledger = world.ledger
    ok = (ledger.state == UnitState.AVAILABLE) & (ledger.product == product)
    ok &= ledger.expires_at > world.now
    return ok & compatible_mask("red_cell", ledger.abo, ledger.rhd, abo, rhd)


def _nearest_sites(world: World, hospital: int, candidates: np.ndarray) -> list[int]:
    now = world.now
    sites = np.unique(world.ledger.site[candidates]).tolist()
    return sorted(sites, key=lambda s: world.oracle.fastest(int(s), hospital, now).arrival_min)


def _take_nearest(
    world: World, hospital: int, candidates: np.ndarray, units: float, counter: str
) -> tuple[np.ndarray, int]:
    if not len(candidates):
        return np.empty(0, np.int64), -1
    ledger = world.ledger
    best = _nearest_sites(world, hospital, candidates)[0]
    here = candidates[ledger.site[candidates] == best]
    here = here[np.argsort(ledger.expires_at[here], kind="stable")]
    here = here[np.cumsum(ledger.size_u[here]) - ledger.size_u[here] < units]  # whole bags
    world.stock[int(best)].take_ids(here)
    world.logs.count(counter, len(here))
    return here, int(best)


def _thaw(world: World, ids: np.ndarray) -> Generator:
    """Thaw and deglycerolise frozen units; they then keep only ``thawed_life_h``."""
    spec = world.scenario.rare_blood
    yield world.env.timeout(spec.thaw_min)
    world.ledger.set_expiry(ids, world.now + spec.thawed_life_h * MINUTES_PER_HOUR)


def serve_hla(world: World, event: HlaPlateletRequest, rng: np.random.Generator) -> Generator:
    """SimPy process body: at ``event.start``, a matched dose from the centre's shelf, else
    recall matched donors from the gene bank until a donation passes testing, then deliver;
    the wait emerges from donor availability and testing (:mod:`sim.processes.hla`)."""
    yield world.env.timeout(max(0.0, world.calendar.minutes(event.start) - world.env.now))
    hospital = world.sites.position(event.hospital_id)
    centers = world.sites.of_kind("blood_center")
    center = int(centers[0]) if len(centers) else int(world.sites.stations[0])
    order = _order(world, event, hospital, "PLT", f"{event.abo}{event.rhd} HLA", event.doses)
    share = hla.match_share(rng)
    ids = _matched_stock(world, rng, center, event, share)
    if len(ids) >= event.doses:
        yield from _deliver_fastest(world, ids, center, hospital, order)
        return
    matched = hla.matched_donors(rng, share)
    while True:
        opening = world.scenario.supply.apheresis.opening_hours
        start = hla.donation_time(rng, world.now, matched, opening, world.horizon_min)
        if start is None:
            _finish(world, order, 0.0)
            return
        ids = yield from _recalled_donation(world, event, center, start, rng)
        if len(ids):
            break
    yield from _deliver_fastest(world, ids, center, hospital, order)


def _matched_stock(
    world: World, rng: np.random.Generator, center: int, event: HlaPlateletRequest, share: float
) -> np.ndarray:
    """Doses on the centre's shelf from donors matched to the patient (ABO/RhD-identical),
    taken off the shelf when there are enough; else none."""
    ledger = world.ledger
    abo, rhd = ABO[event.abo], int(event.rhd == "+")
    shelf = world.stock[center].ids(Product.PLT)
    shelf = shelf[(ledger.abo[shelf] == abo) & (ledger.rhd[shelf] == rhd)]
    shelf = shelf[ledger.expires_at[shelf] > world.now]
    found = shelf[hla.matched_in_stock(rng, len(shelf), share)][: event.doses]
    if len(found) < event.doses:
        return np.empty(0, np.int64)
    world.stock[center].take_ids(found)
    return found


def _recalled_donation(
    world: World, event: HlaPlateletRequest, center: int, start: float, rng: np.random.Generator
) -> Generator:
    """Collect the doses at ``start`` (minutes) and test them like any donation; returns the
    released ids, or none if the donation screened reactive (discarded)."""
    spec = world.scenario.testing
    yield world.env.timeout(start + hla.APHERESIS_MIN - world.now)
    abo, rhd = ABO[event.abo], int(event.rhd == "+")
    collected = np.full(event.doses, start)
    ids = world.new_bags(Product.PLT, abo, rhd, collected, center, UnitState.IN_TESTING)
    testing = hla.Testing(
        MINUTES_PER_DAY / spec.shifts_per_day, spec.turnaround_h * MINUTES_PER_HOUR,
        spec.discard_rate,
    )  # fmt: skip
    yield world.env.timeout(hla.release_time(world.now, testing) - world.now)
    if rng.random() < testing.discard_rate:
        world.ledger.dispose(ids, UnitState.DISCARDED, world.now)
        return np.empty(0, np.int64)
    world.ledger.release(ids, world.now)
    return ids


def _deliver_fastest(world: World, ids: np.ndarray, source: int, hospital: int, order: int):
    """Carry by the fastest chain the oracle finds (whatever the dispatch policy)."""
    world.ledger.move(ids, UnitState.RESERVED)
    world.ledger.assign_order(ids, order)
    world.logs.orders.update(order, station_id=world.site_id(source))
    mark_shipped(world, order)
    route = fastest_on_network(world, source, hospital)
    arrival = yield from follow_route(world, route, ids, Priority.EMERGENCY, order)
    mark_arrived(world, order, arrival, route.modes)
    _finish(world, order, transfuse_on_arrival(world, ids, arrival))


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
