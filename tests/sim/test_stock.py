"""FEFO site stock: unit tests and hypothesis properties on random operation sequences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.state.stock as stock_module
from sim.core.compatibility import COMPATIBILITY_RULES, compatible_mask, donor_groups
from sim.core.domain import ABO, Product, RhD, UnitState
from sim.state.ledger import Ledger
from sim.state.stock import SiteStock, StockError

SITE = 0
O, A, B, AB = ABO.O, ABO.A, ABO.B, ABO.AB  # noqa: E741 - blood group O
NEG, POS = RhD.NEG, RhD.POS
RBC, PLT = Product.RBC, Product.PLT


def stock_units(ledger, site=SITE, *, product=RBC, abo=O, rhd=POS, exp=(), size=1.0):
    """Add AVAILABLE units to the ledger at ``site``; return their ids."""
    exp = np.asarray(exp, dtype=float)
    return ledger.add(product, abo, rhd, size, 0, 0.0, exp, site, UnitState.AVAILABLE)


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(capacity=8)


STOCKS = [SiteStock]
if stock_module.fefo_core is not None:  # the compiled stock passes the same tests
    STOCKS.append(stock_module._CompiledSiteStock)


@pytest.fixture(params=STOCKS, ids=lambda cls: cls.__name__)
def stock(ledger, request) -> SiteStock:
    return request.param(ledger, SITE)


# ---------------------------------------------------------------------------- unit tests
def test_take_is_fefo_with_ties_by_id(ledger, stock):
    ids = stock_units(ledger, exp=[30, 10, 20, 10, 40])
    stock.add(ids)
    assert stock.take(RBC, O, POS, 3, rule="red_cell", now=0).tolist() == [1, 3, 2]
    assert stock.ids().tolist() == [0, 4]


def test_take_whole_bags_until_need_covered(ledger, stock):
    stock.add(stock_units(ledger, exp=[1, 2, 3], size=2.0))
    assert stock.take(RBC, O, POS, 3.0, rule="red_cell", now=0).tolist() == [0, 1]
    assert stock.on_hand(RBC) == 2.0
    assert stock.take(RBC, O, POS, 0.0, rule="red_cell", now=0).size == 0


def test_take_counted_reports_units(ledger, stock):
    stock.add(stock_units(ledger, exp=[1, 2, 3], size=1.5))
    ids, got = stock.take_counted(RBC, O, POS, 2.0, rule="red_cell", now=0)
    assert ids.tolist() == [0, 1] and got == 3.0


def test_take_returns_less_when_exhausted(ledger, stock):
    stock.add(stock_units(ledger, exp=[5, 6]))
    assert stock.take(RBC, O, POS, 10, rule="red_cell", now=0).tolist() == [0, 1]
    assert len(stock) == 0
    assert stock.take(RBC, O, POS, 1, rule="red_cell", now=0).size == 0


def test_substitutes_only_after_identical_group(ledger, stock):
    o_neg = stock_units(ledger, abo=O, rhd=NEG, exp=[1])
    a_pos = stock_units(ledger, abo=A, rhd=POS, exp=[50, 60])
    o_pos = stock_units(ledger, abo=O, rhd=POS, exp=[2])
    stock.add(np.r_[o_neg, a_pos, o_pos])
    taken = stock.take(RBC, A, POS, 4, rule="red_cell", now=0)
    assert taken.tolist() == [a_pos[0], a_pos[1], o_pos[0], o_neg[0]]


def test_take_exact_never_substitutes(ledger, stock):
    stock.add(stock_units(ledger, abo=O, rhd=NEG, exp=[1, 2]))
    assert stock.take_exact(RBC, O, POS, 2, now=0).size == 0
    assert stock.take(RBC, O, POS, 2, rule="identical", now=0).size == 0
    assert stock.take(RBC, AB, NEG, 1, rule="red_cell", now=0).tolist() == [0]


def test_expired_units_never_issued_and_stay_until_expire(ledger, stock):
    stock.add(stock_units(ledger, exp=[10, 20, 30, 40]))
    assert stock.take(RBC, O, POS, 1, rule="red_cell", now=20).tolist() == [2]
    assert stock.on_hand(RBC) == 3 and stock.on_hand(RBC, now=20) == 1
    assert stock.on_hand_bags(RBC, O, now=20) == 1
    assert stock.expire(20).tolist() == [0, 1]
    assert stock.ids().tolist() == [3] and stock.expire(20).size == 0


def test_out_of_order_arrival_is_merged(ledger, stock):
    stock.add(stock_units(ledger, exp=[10, 20, 30]))
    stock.add(stock_units(ledger, exp=[25, 5, 30]))
    assert stock.ids().tolist() == [4, 0, 1, 3, 2, 5]
    assert stock.take(RBC, O, POS, 6, rule="red_cell", now=0).tolist() == [4, 0, 1, 3, 2, 5]


def test_returned_units_keep_ties_by_id(ledger, stock):
    stock.add(stock_units(ledger, exp=[10, 10, 20]))
    stock.take_ids([0])
    stock.add(stock_units(ledger, exp=[10, 5]))
    stock.add([0])  # an older id comes back among equal expiries
    assert stock.ids().tolist() == [4, 0, 1, 3, 2]


def test_many_batches_grow_and_compact_buckets(ledger, stock):
    rng = np.random.default_rng(1)
    taken = []
    for day in range(60):
        stock.add(stock_units(ledger, exp=day + rng.integers(1, 30, size=40), size=1.0))
        taken.append(stock.take(RBC, O, POS, 30, rule="red_cell", now=day))
    taken = np.concatenate(taken)
    assert np.unique(taken).size == taken.size
    assert len(stock) + taken.size == len(ledger)
    assert stock.on_hand(RBC) == pytest.approx(ledger.size_u[stock.ids()].sum())


def test_on_hand_by_group(ledger, stock):
    stock.add(stock_units(ledger, abo=B, rhd=NEG, exp=[5, 9], size=1.5))
    stock.add(stock_units(ledger, product=PLT, abo=B, rhd=NEG, exp=[5]))
    by_group = stock.on_hand_by_group(RBC)
    assert by_group.shape == (4, 2) and by_group[B, NEG] == 3.0 and by_group.sum() == 3.0
    assert stock.on_hand_by_group(RBC, now=5)[B, NEG] == 1.5
    assert stock.ids(PLT).tolist() == [2] and len(stock) == 3


def test_take_ids_removes_specific_units(ledger, stock):
    stock.add(stock_units(ledger, exp=[1, 2, 3, 4]))
    stock.add(stock_units(ledger, abo=A, exp=[1]))
    assert stock.take_ids([2, 4, 0]).tolist() == [0, 2, 4]
    assert stock.ids().tolist() == [1, 3] and stock.on_hand(RBC) == 2.0
    with pytest.raises(StockError, match="not held"):
        stock.take_ids([1, 2])
    assert stock.ids().tolist() == [1, 3]


def test_add_checks_ledger_state_and_site(ledger, stock):
    elsewhere = stock_units(ledger, site=1, exp=[5])
    testing = ledger.add(RBC, O, POS, 1.0, 0, 0.0, 5.0, SITE, UnitState.IN_TESTING)
    for ids in (elsewhere, testing, [99]):
        with pytest.raises(StockError):
            stock.add(ids)
    assert len(stock) == 0


def test_add_rejects_units_already_held(ledger, stock):
    ids = stock_units(ledger, exp=[5, 6, 7])
    stock.add(ids)
    for again in ([ids[2]], [ids[0]], [ids[1], ids[1]]):
        with pytest.raises(StockError, match="twice|already holds"):
            stock.add(again)
    assert stock.ids().tolist() == ids.tolist()


def test_add_rejects_a_new_unit_given_twice_and_adds_nothing(ledger, stock):
    ids = stock_units(ledger, exp=[5, 6])
    with pytest.raises(StockError, match="twice"):
        stock.add([ids[1], ids[0], ids[1]])
    assert len(stock) == 0


def test_invalid_product_or_rule(stock):
    with pytest.raises(StockError, match="product"):
        stock.on_hand(7)
    with pytest.raises(ValueError, match="known rules"):
        stock.take(RBC, O, POS, 1, rule="nope", now=0)


# ---------------------------------------------------------------------------- properties
RULES = sorted(COMPATIBILITY_RULES)
PRODUCTS = [Product.RBC, Product.PLT, Product.FFP]
# Half the draws from two common groups, so that buckets fill up and expiries tie.
groups = st.one_of(
    st.sampled_from([(O, POS), (A, POS)]),
    st.tuples(st.sampled_from(list(ABO)), st.sampled_from(list(RhD))),
)
new_unit = st.tuples(
    st.sampled_from(PRODUCTS), groups, st.sampled_from([0.5, 1.0, 1.5, 2.0]), st.integers(0, 12)
)  # expiry offset from now (minutes), ties likely
operation = st.one_of(
    st.tuples(st.just("add"), st.lists(new_unit, min_size=1, max_size=15)),
    st.tuples(
        st.just("take"),
        st.sampled_from(PRODUCTS),
        groups,
        st.sampled_from([0.5, 1.0, 2.0, 3.5, 8.0]),
        st.sampled_from([*RULES, "exact"]),
    ),
    st.tuples(st.just("take_ids"), st.lists(st.integers(0, 200), max_size=4)),
    st.tuples(st.just("return"), st.integers(1, 4)),  # transferred units come back
    st.tuples(st.just("advance"), st.integers(0, 15)),
    st.tuples(st.just("expire")),
)


class World:
    """A ledger, one stock, and the test's own record of what the stock should hold."""

    def __init__(self, stock_class: type[SiteStock]) -> None:
        self.ledger = Ledger(capacity=4)
        self.stock = stock_class(self.ledger, SITE)
        self.now = 0.0
        self.held: set[int] = set()
        self.gone: set[int] = set()
        self.away: list[int] = []  # moved to another site by take_ids

    def fresh(self, product, abo, rhd) -> np.ndarray:
        """Held ids of one bucket not expired at ``now``, FEFO-sorted."""
        lg, ids = self.ledger, np.array(sorted(self.held), dtype=np.int64)
        ids = ids[
            (lg.product[ids] == product)
            & (lg.abo[ids] == abo)
            & (lg.rhd[ids] == rhd)
            & (lg.expires_at[ids] > self.now)
        ]
        return ids[np.lexsort((ids, lg.expires_at[ids]))]

    def add(self, units) -> None:
        product, group, size, offset = (list(x) for x in zip(*units, strict=True))
        abo, rhd = (list(x) for x in zip(*group, strict=True))
        expires = self.now + np.array(offset, dtype=float)
        ids = self.ledger.add(
            product, abo, rhd, size, 0, self.now, expires, SITE, UnitState.AVAILABLE
        )
        self.stock.add(ids)
        self.held |= set(ids.tolist())

    def remove(self, ids: np.ndarray, state: int) -> None:
        got = set(ids.tolist())
        assert len(got) == ids.size, "an id was returned twice"  # property (4)
        assert got <= self.held and not got & self.gone, "issued a unit not held"  # (4)
        self.held -= got
        self.gone |= got
        self.ledger.dispose(ids, state, self.now)


def check_take(world: World, product, abo, rhd, need, rule, taken) -> None:
    """Properties (2), (3), (5) for one take."""
    lg, now = world.ledger, world.now
    assert (lg.expires_at[taken] > now).all(), "issued an expired unit"  # (5)
    order = ((abo, rhd),) if rule == "exact" else donor_groups(rule, abo, rhd)
    if rule != "exact":  # (3)
        assert compatible_mask(rule, lg.abo[taken], lg.rhd[taken], abo, rhd).all()
    assert (lg.product[taken] == product).all()
    key = lambda i: (lg.expires_at[i], i)  # noqa: E731
    used = {(int(lg.abo[i]), int(lg.rhd[i])) for i in taken}
    for pos, group in enumerate(order):
        left = world.fresh(product, *group)
        mine = [i for i in taken if (lg.abo[i], lg.rhd[i]) == group]
        if mine and left.size:  # (2) FEFO within the bucket
            assert max(map(key, mine)) < key(left[0])
        if any(g in used for g in order[pos + 1 :]):  # (2) substitute only when exhausted
            assert left.size == 0, f"used a substitute while {group} had stock"
    sizes = lg.size_u[taken].astype(float)
    if sizes.sum() < need - 1e-9:  # short: every compatible group is exhausted
        assert all(world.fresh(product, *g).size == 0 for g in order)
    assert sizes[:-1].sum() < need, "took a bag more than needed"


def check_stock(world: World) -> None:
    """Property (1) and the held set, after every operation."""
    lg, stock = world.ledger, world.stock
    ids = stock.ids()
    assert set(ids.tolist()) == world.held and ids.size == len(stock) == len(world.held)
    for product in PRODUCTS:
        by_group = stock.on_hand_by_group(product)
        for abo, rhd in ((a, r) for a in ABO for r in RhD):
            mine = ids[(lg.product[ids] == product) & (lg.abo[ids] == abo) & (lg.rhd[ids] == rhd)]
            fresh = mine[lg.expires_at[mine] > world.now]
            exp = lg.expires_at[mine]  # ids() lists each bucket in (expiry, id) order
            assert ((exp[1:] > exp[:-1]) | ((exp[1:] == exp[:-1]) & (mine[1:] > mine[:-1]))).all()
            assert by_group[abo, rhd] >= 0
            assert by_group[abo, rhd] == pytest.approx(lg.size_u[mine].sum())
            assert stock.on_hand(product, abo, rhd, now=world.now) == pytest.approx(
                lg.size_u[fresh].sum()
            )
            assert stock.on_hand_bags(product, abo, rhd, now=world.now) == fresh.size


def apply(world: World, op) -> None:
    kind, *args = op
    if kind == "add":
        world.add(args[0])
    elif kind == "take":
        product, (abo, rhd), need, rule = args
        if rule == "exact":
            taken = world.stock.take_exact(product, abo, rhd, need, now=world.now)
        else:
            taken = world.stock.take(product, abo, rhd, need, rule=rule, now=world.now)
        world.remove(taken, UnitState.TRANSFUSED)
        check_take(world, product, abo, rhd, need, rule, taken)
    elif kind == "take_ids":
        wanted = np.unique([i for i in args[0] if i in world.held]).astype(np.int64)
        moved = world.stock.take_ids(wanted)
        assert moved.tolist() == wanted.tolist()
        world.held -= set(wanted.tolist())
        world.away += wanted.tolist()
        world.ledger.move(wanted, UnitState.IN_TRANSIT, site=1)
    elif kind == "return":
        back = np.array(world.away[: args[0]], dtype=np.int64)
        world.away = world.away[args[0] :]
        world.ledger.move(back, UnitState.AVAILABLE, site=SITE)
        world.stock.add(back)
        world.held |= set(back.tolist())
    elif kind == "advance":
        world.now += args[0]
    else:
        due = {i for i in world.held if world.ledger.expires_at[i] <= world.now}
        expired = world.stock.expire(world.now)
        assert set(expired.tolist()) == due
        world.remove(expired, UnitState.EXPIRED)


@pytest.mark.parametrize("stock_class", STOCKS, ids=lambda cls: cls.__name__)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=40))
def test_random_operation_sequences_keep_stock_invariants(stock_class, ops):
    world = World(stock_class)
    for op in ops:
        apply(world, op)
        check_stock(world)
    world.ledger.check_conservation()
