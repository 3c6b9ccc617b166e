"""The hospital demand path and crossmatch reservations give the same run as before.

Kept below as a small reference: the hospital's block issue and the crossmatch draw as they
were before they were made faster (commit c52903f: one NumPy Poisson call for all groups,
demand booked block by block, the pairs to issue found by a NumPy ``nonzero`` over demand
plus backorders, the shortfall shared out through :meth:`DemandBook.resolved`; one SimPy
process per hospital instead of :func:`~sim.processes.hospital.issue_blocks`). A tiny world
is run end to end with the shipped code and with the reference patched in; every output
table and ``kpis.json`` must be the same to the byte, but for the number of SimPy events
(one process per hospital wakes once per block: more events for the same work).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim import build as build_module
from sim.core.compatibility import keeping
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Product, UnitState
from sim.policies.crossmatch import pick_held
from sim.processes import hospital as hospital_module
from sim.processes.county_banks import county_bank_reviews
from sim.processes.crossmatch import CrossmatchHolds, Reservation, start_crossmatch_holds
from sim.processes.deliveries import daily_reviews
from sim.processes.hospital import SHORT_U, Hospital
from sim.processes.hosted import fridge_reviews, hospital_for
from sim.state.demand_outcomes import URGENCY
from tests.sim.conftest import run_folder_bytes

_CODES = [int(p) for p in PRODUCTS]
_ROWS = hospital_module._PRODUCT_ROWS


def per_hospital_processes(run):
    """``sim.build._start_hospitals`` as it was before :func:`issue_blocks`: one process
    ``run(hospital)`` per hospital, started in site order before the reviews."""

    def start_hospitals(world):
        review = world.scenario.inventory.hospital.review_hour * 60.0
        world.hospitals.update(
            {int(h): hospital_for(world, int(h)) for h in world.sites.of_kind("hospital")}
        )
        for hospital in world.hospitals.values():
            world.env.process(run(hospital))
        world.env.process(daily_reviews(world, review))
        world.env.process(county_bank_reviews(world, review))
        world.env.process(fridge_reviews(world, review))
        start_crossmatch_holds(world)

    return start_hospitals


def _old_run(self):
    env, blocks = self.world.env, self.world.scenario.demand.blocks_per_day
    block_min = MINUTES_PER_DAY / blocks
    for day in range(self.world.scenario.days):
        cells = self._draw(day)
        by_group, by_urgency = cells.sum(axis=3), cells.sum(axis=2)
        by_product = by_group.sum(axis=2)
        for block in range(blocks):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + (block + 0.5) * block_min - env.now))
            sums = (by_product[:, block], by_group[:, block], by_urgency[:, block])
            _old_issue_cells(self, day, cells[:, block], *sums)


def _old_issue_block(self, day, cells):
    by_group = cells.sum(axis=2)
    _old_issue_cells(self, day, cells, by_group.sum(axis=1), by_group, cells.sum(axis=1))


def _old_issue_cells(self, day, cells, by_product, by_group, by_urgency):
    world = self.world
    world.demand_u[day, _ROWS] += by_product
    self.book.demanded_block(day, by_urgency)
    rows, groups = (by_group + self.backorders[_ROWS]).nonzero()
    if not len(rows):
        return
    cells = cells.tolist()
    taken = [
        _old_issue(self, day, _CODES[p], g, cells[p][g])
        for p, g in zip(rows.tolist(), groups.tolist(), strict=True)
    ]
    transfused = np.concatenate(taken)
    if len(transfused):
        world.ledger.dispose(transfused, UnitState.TRANSFUSED, world.now)


def _old_issue(self, day, product, group, by_urgency):
    world = self.world
    need = float(sum(by_urgency)) + float(self.backorders[product, group])
    credit = min(float(self.credit[product, group]), need)
    self.credit[product, group] -= credit
    ids, got = _old_take(
        self, product, world.groups.codes[group], float(by_urgency[0]), need - credit
    )
    got += credit
    self.credit[product, group] += max(0.0, got - need)
    met = min(got, need)
    world.met_u[day, product] += met
    _old_share_out(self, day, product, group, by_urgency, met)
    return ids


def _old_take(self, product, group, emergency, need):
    world, stock = self.world, self.world.stock[self.site]
    rule, now = world.rules[product], world.now
    kept = self._kept(product, group)
    if not kept:
        return stock.take_counted(product, *group, need, rule=rule, now=now)
    first, got = stock.take_counted(product, *group, min(emergency, need), rule=rule, now=now)
    rest, more = stock.take_counted(product, *group, need - got, rule=keeping(rule, kept), now=now)
    return np.concatenate([first, rest]), got + more


def _old_share_out(self, day, product, group, by_urgency, met):
    queue = self.waiting.get((product, group))
    if queue:  # the waiting path is the old code unchanged
        self._share_out_waiting(day, product, group, by_urgency, met, queue)
        return
    short = [float(units) for units in by_urgency]
    for u, priority in enumerate(URGENCY):
        served = min(met, short[u])
        met, short[u] = met - served, short[u] - served
        if served > 0:
            self.book.resolved(day, product, priority, "on_time", served)
    self.backorders[product, group] = 0.0
    if max(short) > SHORT_U:
        self._short(day, product, group, by_urgency, short)


def _old_crossmatch(self, i, factor):
    world, site = self.world, self.hospitals[i]
    ledger, stock, rng, now = world.ledger, world.stock[site], self.rngs[i], world.now
    hold_u = rng.poisson(self.hold[i] * factor)
    groups = np.flatnonzero(hold_u).tolist()
    if not groups:
        return
    taken, held_groups = [], []
    for g in groups:
        codes = world.groups.codes[g]
        bags = stock.fresh(Product.RBC, *codes, now)
        use = self.use[i, g] * factor
        keep = use + self.floor[i][g]
        picked = pick_held(ledger.size_u[bags], use, float(hold_u[g]), keep, rng)
        if len(picked):
            taken.append(stock.take_fresh(Product.RBC, *codes, now, picked))
            held_groups.append(g)
    if taken:
        held = Reservation(now + self.hold_min, site, tuple(held_groups), tuple(taken))
        ledger.move(held.ids, UnitState.RESERVED)
        self.held.append(held)


REFERENCE = {
    (build_module, "_start_hospitals"): per_hospital_processes(_old_run),
    (Hospital, "_issue_block"): _old_issue_block,
    (Hospital, "_issue"): _old_issue,
    (Hospital, "_take"): _old_take,
    (Hospital, "_share_out"): _old_share_out,
    (CrossmatchHolds, "_crossmatch"): _old_crossmatch,
}

WORLD = """\
inventory:
  patient_orders: {patient_orders}
  crossmatch: {{ct_ratio: {ct}, hold_h: 24}}
  emergency_o: {{rhd_pos_u: {{tertiary: {floor}, county: 1}}, rhd_neg_u: {{tertiary: 1}}}}
events:
  - {{type: mass_casualty, start: 2025-03-04T08:00, end: 2025-03-04T14:00, lat: 30.22,
     lon: 120.19, casualties: {casualties}, hospitals: 2}}
"""


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    patient_orders=st.booleans(),
    ct=st.sampled_from([1.0, 1.7, 3.0]),
    floor=st.integers(0, 6),
    casualties=st.sampled_from([5, 30, 120]),
)
@example(seed=3, patient_orders=True, ct=3.0, floor=4, casualties=120)
def test_a_run_is_the_same_as_with_the_reference_code(
    tiny_scenario, tmp_path_factory, seed, patient_orders, ct, floor, casualties
) -> None:
    extra = WORLD.format(
        patient_orders=str(patient_orders).lower(), ct=ct, floor=floor, casualties=casualties
    )
    path = tiny_scenario(days=4, seed=seed, extra=extra)
    shipped = run_folder_bytes(path, tmp_path_factory.mktemp("shipped"))
    with pytest.MonkeyPatch.context() as patch:
        for (cls, name), old in REFERENCE.items():
            patch.setattr(cls, name, old)
        reference = run_folder_bytes(path, tmp_path_factory.mktemp("reference"))
    assert shipped.keys() == reference.keys()
    for name, data in shipped.items():
        assert data == reference[name], name


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    lam=st.lists(st.floats(0.0, 400.0), min_size=1, max_size=8),
    factor=st.floats(0.1, 3.0),
)
def test_poisson_draws_one_by_one_equal_one_array_call(seed, lam, factor) -> None:
    """What :meth:`CrossmatchHolds._crossmatch` relies on: drawing group by group from
    Python floats gives the array call's numbers and leaves the stream where it leaves it."""
    one, each = np.random.default_rng(seed), np.random.default_rng(seed)
    factor = np.float64(factor)
    drawn = one.poisson(np.array(lam) * factor).tolist()
    assert [each.poisson(x * factor) for x in lam] == drawn
    assert one.random() == each.random()


def _old_pick_held(sizes_u, use_u, hold_u, keep_u, rng):
    """:func:`pick_held` before it sorted the held positions on a list."""
    sizes = np.asarray(sizes_u, dtype=float)
    if not len(sizes):
        return np.empty(0, np.int64)
    hold_u = min(hold_u, float(sizes.sum()) - keep_u)
    if hold_u <= 1e-9:
        return np.empty(0, np.int64)
    listed = sizes.tolist()
    covering = np.searchsorted(np.cumsum(sizes) >= use_u + hold_u - 1e-9, True)
    order = rng.permutation(min(int(covering) + 1, len(sizes)))
    held = 0.0
    for n, position in enumerate(order.tolist()):
        held += listed[position]
        if not held <= hold_u + 0.5 * listed[position] + 1e-9:
            return np.sort(order[:n])
    return np.sort(order)


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.sampled_from([1.0, 1.5, 2.0, 0.7]), max_size=30),
    use=st.floats(0, 20),
    hold=st.floats(0, 20),
    keep=st.floats(0, 10),
    seed=st.integers(0, 2**16),
)
def test_pick_held_equals_its_reference(sizes, use, hold, keep, seed) -> None:
    """The same positions (values and dtype) and the same stream state after."""
    one, other = np.random.default_rng(seed), np.random.default_rng(seed)
    got = pick_held(np.array(sizes), use, hold, keep, one)
    want = _old_pick_held(np.array(sizes), use, hold, keep, other)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert one.random() == other.random()
