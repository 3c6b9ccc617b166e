"""Hospital issue and crossmatch holds give the same run as the code they replaced.

Kept below as a small reference: the hospital's daily draw and block issue and the
crossmatch holds as they were at commit fc184a0 (the day's totals drawn by one NumPy
Poisson call, the pairs to issue found block by block, backorders and credits read for
every pair; each hold's shelf summed by NumPy, every release masked). A tiny world is run
end to end with the shipped code and with the reference patched in (with and without a
hosted hospital); every output table and ``kpis.json`` must be the same to the byte, but for
the number of SimPy events (the reference runs one process per hospital).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim import build as build_module
from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, Product, UnitState
from sim.policies.crossmatch import EPS_U, _covering, pick_held
from sim.processes import crossmatch as crossmatch_module
from sim.processes import hospital as hospital_module
from sim.processes.crossmatch import CrossmatchHolds, _fefo
from sim.processes.hospital import Hospital, _day_plan, _gamma_noise
from sim.state.demand_outcomes import URGENCY
from tests.sim.conftest import run_folder_bytes
from tests.sim.test_speed_issue_equivalence import WORLD as ISSUE_WORLD
from tests.sim.test_speed_issue_equivalence import per_hospital_processes

_CODES = hospital_module._PRODUCT_CODES
_ROWS_OF = hospital_module._PRODUCT_ROWS_OF
_ROWS = hospital_module._PRODUCT_ROWS


# ---------------------------------------------------------------- the reference (fc184a0)
def _old_run(self):
    env, blocks = self.world.env, self.world.scenario.demand.blocks_per_day
    block_min = MINUTES_PER_DAY / blocks
    for day in range(self.world.scenario.days):
        cells = self._draw(day)
        self._book_day(day, cells)
        by_group = cells.sum(axis=3)
        for block in range(blocks):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + (block + 0.5) * block_min - env.now))
            _old_issue_drawn(self, day, cells[:, block], by_group[:, block])


def _old_issue_drawn(self, day, cells, by_group):
    rows, groups = by_group.nonzero()
    if len(rows) or self.waiting:
        units = cells.tolist()
        pairs = list(zip(rows.tolist(), groups.tolist(), strict=True))
        self._issue_pairs(day, units, self._with_waiting(units, pairs))


def _old_draw(self, day):
    world, demand = self.world, self.world.scenario.demand
    blocks, n_groups = demand.blocks_per_day, len(world.groups.shares)
    noise = _gamma_noise(self.rng, demand.daily_cv)
    means = self.mean * self.weekday[day] * noise
    totals = self.rng.poisson(means[_CODES])
    cells = self.rng.multinomial(totals, self.cell_p)
    return cells.reshape(len(PRODUCTS), blocks, n_groups, len(URGENCY))


def _old_with_waiting(self, units, pairs):
    waiting = [key for key, queue in self.waiting.items() if queue]
    if not waiting:
        return pairs
    rows = {(_ROWS_OF[p], g) for p, g in waiting}
    return [
        (r, g)
        for r, g in sorted(rows.union(pairs))
        if sum(units[r][g]) + self.backorders[_CODES[r], g] != 0
    ]


def _old_issue_pairs(self, day, units, pairs):
    taken = []
    for r, g in pairs:
        ids = self._issue(day, _CODES[r], g, units[r][g])
        if len(ids):
            taken.append(ids)
    if taken:
        ids = taken[0] if len(taken) == 1 else np.concatenate(taken)
        self.world.ledger.dispose(ids, UnitState.TRANSFUSED, self.world.now)


def _old_issue_block(self, day, cells):
    world, by_group = self.world, cells.sum(axis=2)
    world.demand_u[day, _ROWS] += by_group.sum(axis=1)
    self.book.demanded_block(day, cells.sum(axis=1))
    rows, groups = (by_group + self.backorders[_ROWS]).nonzero()
    pairs = list(zip(rows.tolist(), groups.tolist(), strict=True))
    self._issue_pairs(day, cells.tolist(), pairs)


def _old_issue(self, day, product, group, by_urgency):
    world, credits = self.world, self.credit
    need = float(sum(by_urgency)) + float(self.backorders[product, group])
    credit = min(float(credits[product, group]), need)
    if credit:
        credits[product, group] -= credit
    ids, got = self._take(product, world.groups.codes[group], float(by_urgency[0]), need - credit)
    got += credit
    if got > need:
        credits[product, group] += got - need
    met = min(got, need)
    world.met_u[day, product] += met
    self._share_out(day, product, group, by_urgency, met)
    return ids


def _old_pick_held(sizes_u, use_u, hold_u, keep_u, rng):
    sizes = np.asarray(sizes_u, dtype=float)
    if not len(sizes):
        return np.empty(0, np.int64)
    hold_u = min(hold_u, float(sizes.sum()) - keep_u)
    if hold_u <= EPS_U:
        return np.empty(0, np.int64)
    listed = sizes.tolist()
    order = rng.permutation(_covering(listed, use_u + hold_u - EPS_U))
    held, positions = 0.0, order.tolist()
    for n, position in enumerate(positions):
        held += listed[position]
        if not held <= hold_u + 0.5 * listed[position] + EPS_U:
            return np.array(sorted(positions[:n]), np.int64)
    return np.array(sorted(positions), np.int64)


def _old_crossmatch_all(self, factor):
    crossmatch, hospitals = self._crossmatch, range(len(self.hospitals))
    held = [r for i in hospitals if (r := crossmatch(i, factor)) is not None]
    if held:
        ids = held[0].ids if len(held) == 1 else np.concatenate([r.ids for r in held])
        self.world.ledger.move(ids, UnitState.RESERVED)
        self.held.extend(held)


def _old_crossmatch(self, i, factor):
    rng = self.rngs[i]
    hold_u = [rng.poisson(hold * factor) for hold in self._hold_u[i]]
    if not any(hold_u):
        return None
    world, site = self.world, self.hospitals[i]
    ledger, stock, now = world.ledger, world.stock[site], world.now
    taken, held_groups = [], []
    for g, units in enumerate(hold_u):
        if not units:
            continue
        codes = world.groups.codes[g]
        bags = stock.fresh(Product.RBC, *codes, now)
        use = self._use_u[i][g] * factor
        keep = use + self._floor_u[i][g]
        picked = _old_pick_held(ledger.size_u[bags], use, float(units), keep, rng)
        if len(picked):
            taken.append(stock.take_fresh(Product.RBC, *codes, now, picked))
            held_groups.append(g)
    if not taken:
        return None
    return crossmatch_module.Reservation(
        now + self.hold_min, site, tuple(held_groups), tuple(taken)
    )


def _old_release(self, now):
    ledger, due = self.world.ledger, self._due(now)  # popping the due holds: unchanged
    if not due:
        return
    ids = np.concatenate([held.ids for held in due])
    old = ledger.expires_at[ids] <= now
    if old.any():
        ledger.dispose(ids[old], UnitState.EXPIRED, ledger.expires_at[ids[old]])
    ledger.move(ids[~old], UnitState.AVAILABLE)
    parts, start = {}, 0
    for held in due:
        for group, part in zip(held.groups, held.parts, strict=True):
            mask = (~old)[start : start + len(part)]
            parts.setdefault((held.site, group), []).append(part if mask.all() else part[mask])
            start += len(part)
    for (site, group), ids in parts.items():
        back = _fefo(ids, ledger.expires_at)
        self.world.stock[site].restore(Product.RBC, *self.world.groups.codes[group], back)


REFERENCE = {
    (build_module, "_start_hospitals"): per_hospital_processes(_old_run),
    (Hospital, "_draw"): _old_draw,
    (Hospital, "_with_waiting"): _old_with_waiting,
    (Hospital, "_issue_pairs"): _old_issue_pairs,
    (Hospital, "_issue_block"): _old_issue_block,
    (Hospital, "_issue"): _old_issue,
    (CrossmatchHolds, "_crossmatch_all"): _old_crossmatch_all,
    (CrossmatchHolds, "_crossmatch"): _old_crossmatch,
    (CrossmatchHolds, "release"): _old_release,
}

WORLD = ISSUE_WORLD.replace("hold_h: 24", "hold_h: {hold_h}")
HOSTED = "sites:\n  overrides:\n    h_b: {supplied_via: h_a}\n"


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    patient_orders=st.booleans(),
    ct=st.sampled_from([1.0, 1.8, 3.0]),
    hold_h=st.sampled_from([6, 48, 96]),
    floor=st.integers(0, 6),
    casualties=st.sampled_from([5, 30, 120]),
    hosted=st.booleans(),
)
@example(seed=3, patient_orders=True, ct=3.0, hold_h=48, floor=4, casualties=120, hosted=True)
@example(seed=5, patient_orders=False, ct=1.8, hold_h=96, floor=0, casualties=30, hosted=False)
def test_a_run_is_the_same_as_with_the_reference_code(
    tiny_scenario, tmp_path_factory, seed, patient_orders, ct, hold_h, floor, casualties, hosted
) -> None:
    """Holds of 6 h go back every block, of 96 h at the end of the run (expired ones
    disposed of); a hosted hospital takes from its host's shelf in the same slot."""
    extra = WORLD.format(
        patient_orders=str(patient_orders).lower(),
        ct=ct,
        hold_h=hold_h,
        floor=floor,
        casualties=casualties,
    )
    path = tiny_scenario(days=5, seed=seed, extra=extra + (HOSTED if hosted else ""))
    shipped = run_folder_bytes(path, tmp_path_factory.mktemp("shipped"))
    with pytest.MonkeyPatch.context() as patch:
        for (cls, name), old in REFERENCE.items():
            patch.setattr(cls, name, old)
        reference = run_folder_bytes(path, tmp_path_factory.mktemp("reference"))
    assert shipped.keys() == reference.keys()
    for name, data in shipped.items():
        assert data == reference[name], name


def test_the_reference_is_patched_in(tiny_scenario, tmp_path_factory) -> None:
    """The comparison above can fail: a reference that draws differently changes the run."""

    def other_draw(self, day):
        cells = _old_draw(self, day)
        self.rng.random()  # one draw more: every later day differs
        return cells

    path = tiny_scenario(days=3, seed=1, extra=WORLD.format(
        patient_orders="true", ct=1.8, hold_h=48, floor=2, casualties=30
    ))  # fmt: skip
    shipped = run_folder_bytes(path, tmp_path_factory.mktemp("shipped"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Hospital, "_draw", other_draw)
        changed = run_folder_bytes(path, tmp_path_factory.mktemp("changed"))
    assert shipped["ledger.parquet"] != changed["ledger.parquet"]


@settings(max_examples=150, deadline=None)
@given(
    totals=st.lists(st.integers(0, 40), min_size=4, max_size=4),
    blocks=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_the_day_plan_lists_each_blocks_demand_as_before(totals, blocks, seed) -> None:
    """Per block, the (row, group, units) the old code found block by block (nonzero over
    the block's sums, units from the block's cells), in the same order."""
    rng = np.random.default_rng(seed)
    cells = rng.multinomial(totals, np.full(blocks * 8 * 3, 1 / (blocks * 8 * 3)))
    cells = cells.reshape(4, blocks, 8, 3)
    by_group = cells.sum(axis=3)
    for block, plan in enumerate(_day_plan(cells)):
        rows, groups = by_group[:, block].nonzero()
        units = cells[:, block].tolist()
        want = [(r, g, units[r][g]) for r, g in zip(rows.tolist(), groups.tolist(), strict=True)]
        assert plan == want


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.one_of(st.sampled_from([1.0, 1.5, 2.0]), st.floats(1e-3, 1e3)), max_size=40),
    use=st.floats(0, 50),
    hold=st.floats(0, 50),
    nudge=st.one_of(st.just(0.0), st.floats(-1e-6, 1e-6), st.floats(-5.0, 5.0)),
    seed=st.integers(0, 2**16),
)
def test_pick_held_equals_its_reference_at_the_shelfs_edge(sizes, use, hold, nudge, seed) -> None:
    """``keep`` is put where the shelf's room (its NumPy sum less ``keep``) is about the
    hold, where a plain sum could decide the cap differently; same positions and stream."""
    shelf = np.array(sizes, dtype=float)
    keep = max(0.0, float(shelf.sum()) - hold + nudge)
    one, other = np.random.default_rng(seed), np.random.default_rng(seed)
    got = pick_held(shelf, use, hold, keep, one)
    want = _old_pick_held(shelf, use, hold, keep, other)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert one.random() == other.random()


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    means=st.lists(st.floats(0.0, 300.0), min_size=4, max_size=4),
    factor=st.floats(0.1, 3.0),
    noise=st.floats(0.2, 3.0),
)
def test_daily_totals_drawn_one_by_one_equal_the_array_call(seed, means, factor, noise) -> None:
    """What :meth:`Hospital._draw` relies on: means multiplied and drawn product by product
    on Python floats give the array expression's totals and leave the stream as it does."""
    one, each = np.random.default_rng(seed), np.random.default_rng(seed)
    drawn = one.poisson(np.array(means) * np.float64(factor) * noise)
    assert [each.poisson(m * factor * noise) for m in means] == drawn.tolist()
    assert one.random() == each.random()


def test_all_on_time_books_what_share_out_books(tiny_world) -> None:
    """The whole need met, nothing waiting, whole units: the fast path books the same
    cells to the bit and orders nothing (no stockouts row)."""
    world = tiny_world()
    site = int(world.sites.of_kind("hospital")[0])

    @settings(max_examples=200, deadline=None)
    @given(
        units=st.lists(st.integers(0, 2**20), min_size=3, max_size=3),
        product=st.sampled_from(_CODES),
        group=st.integers(0, 7),
    )
    def check(units, product, group) -> None:
        fast, full = Hospital(world, site), Hospital(world, site)
        fast._all_on_time(2, product, units)
        full._share_out(2, product, group, units, float(sum(units)))
        assert fast.book.units.tobytes() == full.book.units.tobytes()
        assert len(world.logs.stockouts) == 0

    check()
