"""Python-number paths of collection, stock and crossmatch give the NumPy paths' results to
the bit (eighth session's speed work):

- a pickup's components equal those of the array-built reference;
- antigen masks of a few donors equal the packed-bits masks;
- ``SiteStock.add`` of a few units (sorted and split on lists) leaves every bucket as the
  array path does, and refuses a repeated unit the same way;
- the ledger's checks of a few rows accept and refuse what the array checks do;
- a shelf's sizes read from the running sums equal the ledger's;
- the separation losses flagged on Python numbers equal the array flags;
- the positions of units going back to their shelves at a crossmatch release pick the ids
  the release put back before.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.state.ledger as ledger_module
import sim.state.stock as stock_module
from sim.core.domain import Product, UnitState
from sim.policies.crossmatch import held_positions, held_positions_listed
from sim.processes.blood_station import Station, make_components
from sim.processes.crossmatch import Reservation, _back_positions, _fefo
from sim.processes.rare import TYPED, TYPED_SHARE, _bit_masks, _few_masks, draw_antigens
from sim.state.ledger import Ledger, LedgerError
from sim.state.stock import SiteStock, StockError

HALF = [0.5, 1.0, 1.5, 2.0]  # bag sizes (U) whose running sums are exact
ODD = [0.1, 0.3, 0.7, 1.0, 1.5]  # some not exact in binary: any change in sums would show


def _reference_components(world, donations, site, rng) -> dict:
    """Ledger columns of the components of ``donations``, built with arrays as before."""
    times, sizes, abo, rhd = (np.array(v) for v in zip(*donations, strict=True))
    n = len(times)
    first = world.next_donation_id
    cryo = rng.random(n) < world.scenario.processing.cryo_share
    product = np.concatenate(([int(Product.RBC)] * n, np.where(cryo, Product.CRYO, Product.FFP)))
    collected = np.concatenate((times, times))
    world.next_donation_id += n
    return {
        "product": product.astype(np.int8),
        "abo": np.concatenate((abo, abo)).astype(np.int8),
        "rhd": np.concatenate((rhd, rhd)).astype(np.int8),
        "size_u": np.concatenate((sizes, sizes)).astype(np.float32),
        "donation_id": np.concatenate([first + np.arange(n)] * 2),
        "collected_at": collected,
        "expires_at": collected + world.shelf_by_code[product],
        "antigens": np.concatenate([draw_antigens(world, rng, n)] * 2),
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    donations=st.lists(
        st.tuples(
            st.floats(0, 3000, allow_nan=False),
            st.sampled_from([1.0, 1.5, 2.0]),
            st.integers(0, 3),
            st.integers(0, 1),
        ),
        min_size=1,
        max_size=70,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_components_equal_the_array_built_reference(tiny_world, donations, seed) -> None:
    world, twin = _twins(tiny_world)  # both go on from the same ledger and donation id
    house = world.sites.position("dh_a")
    ids = make_components(world, donations, house, np.random.default_rng(seed))
    want = _reference_components(twin, donations, house, np.random.default_rng(seed))
    for name, values in want.items():
        got = world.ledger.col(name)[ids]
        assert got.dtype == values.dtype and got.tobytes() == values.tobytes(), name
    assert world.next_donation_id == twin.next_donation_id
    assert (world.ledger.state[ids] == UnitState.COLLECTED).all()


_TWINS: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _forget_twins():
    """Let the twin worlds go when this module's tests are done."""
    yield
    _TWINS.clear()


def _twins(make) -> tuple:
    """Two worlds of the tiny fixture, made once (each example adds to both alike)."""
    if "worlds" not in _TWINS:
        _TWINS["worlds"] = (make(), make())
    return _TWINS["worlds"]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 70), seed=st.integers(0, 2**32 - 1))
def test_few_masks_equal_packed_bits(n, seed) -> None:
    rng = np.random.default_rng(seed)
    shares = rng.random(7).tolist()
    draws, typing = rng.random((n, 7)), rng.random(n)
    want = np.where(typing < TYPED_SHARE, _bit_masks(draws < np.array(shares)) | TYPED, 0)
    got = _few_masks(draws.tolist(), typing.tolist(), shares)
    assert got.dtype == np.uint16 and got.tobytes() == want.astype(np.uint16).tobytes()


def _stock_with(units: list[tuple[int, int, int, float, float]]) -> tuple[Ledger, list[int]]:
    """A ledger with available bags at site 0: (product, abo, rhd, size U, expiry min)."""
    ledger = Ledger()
    for product, abo, rhd, size, expires in units:
        ledger.add(product, abo, rhd, size, 0, 0.0, expires, 0, UnitState.AVAILABLE)
    return ledger, list(range(len(units)))


def _bucket_state(stock: SiteStock) -> list:
    out = []
    for b in stock._buckets:  # noqa: SLF001 - the state compared
        if b is None:
            out.append(None)
            continue
        h, t = b.head, b.tail
        out.append((b.ids[h:t].tobytes(), b.exp[h:t].tobytes(), b.cum[h : t + 1].tobytes()))
    return out


@settings(max_examples=120, deadline=None)
@given(
    units=st.lists(  # (product, abo, rhd, size index, expiry / 100 min)
        st.tuples(*(st.integers(0, high) for high in (2, 3, 1, 4, 12))), min_size=1, max_size=90
    ),
    half=st.booleans(),
    cuts=st.lists(st.integers(0, 90), max_size=4),
)
def test_adding_few_units_on_lists_equals_the_array_path(units, half, cuts) -> None:
    sizes = HALF if half else ODD
    bags = [(p, a, r, sizes[s % len(sizes)], 100.0 * e) for p, a, r, s, e in units]
    ledger, ids = _stock_with(bags)
    order = np.random.default_rng(len(units)).permutation(ids)  # not sorted by anything
    bounds = sorted({0, len(ids), *(min(c, len(ids)) for c in cuts)})
    batches = [order[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    fast, slow = SiteStock(ledger, 0), SiteStock(ledger, 0)
    for batch in batches:
        fast.add(batch)
    stock_module._SMALL_ADD, saved = -1, stock_module._SMALL_ADD  # all on the array path
    try:
        for batch in batches:
            slow.add(batch)
    finally:
        stock_module._SMALL_ADD = saved
    assert _bucket_state(fast) == _bucket_state(slow)


def test_a_repeated_unit_is_refused_on_both_paths(monkeypatch) -> None:
    ledger, _ = _stock_with([(0, 0, 1, 1.0, 50.0), (0, 0, 1, 1.0, 60.0)])
    with pytest.raises(StockError, match="added twice"):
        SiteStock(ledger, 0).add([1, 0, 1])
    monkeypatch.setattr(stock_module, "_SMALL_ADD", -1)
    with pytest.raises(StockError, match="added twice"):
        SiteStock(ledger, 0).add([1, 0, 1])


VALUES = st.sampled_from([0.0, -1.0, 0.5, 2.0, 1e300, float("inf"), -float("inf"), float("nan")])


@settings(max_examples=200, deadline=None)
@given(
    size=st.lists(VALUES, min_size=1, max_size=5),
    collected=st.lists(VALUES, min_size=1, max_size=5),
    expires=st.lists(VALUES, min_size=1, max_size=5),
    scalar=st.booleans(),
)
def test_few_row_checks_equal_the_array_checks(size, collected, expires, scalar) -> None:
    n = min(len(size), len(collected), len(expires))
    batch = {
        "product": np.zeros(n, np.int8),
        "abo": np.zeros(n, np.int8),
        "rhd": np.zeros(n, np.int8),
        "antigens": np.asarray(0),
        "size_u": np.asarray(size[0]) if scalar else np.array(size[:n]),
        "collected_at": np.array(collected[:n]),
        "expires_at": np.array(expires[:n]),
        "state": np.asarray(int(UnitState.AVAILABLE)),
        "site": np.asarray(3),
    }
    verdicts = []
    for few in (64, -1):
        ledger_module._FEW_IDS, saved = few, ledger_module._FEW_IDS
        try:
            ledger_module._validate_batch(batch, n)
            verdicts.append("ok")
        except LedgerError as error:
            verdicts.append(str(error))
        finally:
            ledger_module._FEW_IDS = saved
    assert verdicts[0] == verdicts[1]


@settings(max_examples=80, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 4), min_size=1, max_size=30),
    half=st.booleans(),
    now=st.integers(0, 12),
    taken=st.integers(0, 5),
    seed=st.integers(0, 1000),
)
def test_shelf_sizes_and_holds_equal_the_ledger_reads(sizes, half, now, taken, seed) -> None:
    choice = HALF if half else ODD
    bags = [(0, 0, 1, choice[s % len(choice)], 100.0 * ((k * 7) % 13)) for k, s in enumerate(sizes)]
    ledger, ids = _stock_with(bags)
    stock = SiteStock(ledger, 0)
    stock.add(ids)
    stock.take_groups(0, ((0, 1),), float(taken), 0.0)
    fresh = stock.fresh(0, 0, 1, 100.0 * now)
    listed = stock.fresh_sizes(0, 0, 1, 100.0 * now)
    assert listed == ledger.size_u[fresh].tolist()
    one, other = np.random.default_rng(seed), np.random.default_rng(seed)
    want = held_positions(ledger.size_u[fresh], 1.0, 2.0, 0.5, one)
    assert held_positions_listed(listed, 1.0, 2.0, 0.5, other) == want
    assert one.random() == other.random()  # the same draws


def _reference_lost(station, ids, rng) -> np.ndarray:
    ledger, world = station.world.ledger, station.world
    product = ledger.product[ids]
    late = (world.now - ledger.collected_at[ids]) > world.scenario.processing.window_h * 60.0
    plasma = (product == Product.FFP) | (product == Product.CRYO)
    return (plasma & late) | (rng.random(len(ids)) < station.discard_rate[product])


@settings(max_examples=80, deadline=None)
@given(
    units=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from([0.0, 1019.5, 1020.0, 1020.5, 1500.0])),
        min_size=1,
        max_size=40,
    ),
    rates=st.lists(st.sampled_from([0.0, 0.1, 0.5, 1.0]), min_size=5, max_size=5),
    seed=st.integers(0, 1000),
)
def test_separation_losses_equal_the_array_flags(units, rates, seed) -> None:
    ledger = Ledger()
    for product, collected in units:
        ledger.add(product, 0, 1, 1.0, 0, collected, 1e6, 0, UnitState.IN_TESTING)
    counts: dict = {}
    world = SimpleNamespace(
        ledger=ledger,
        now=1500.0,
        scenario=SimpleNamespace(processing=SimpleNamespace(window_h=8.0)),
        logs=SimpleNamespace(count=lambda name, u: counts.update({name: u})),
    )
    station = object.__new__(Station)
    station.world, station.rng = world, np.random.default_rng(seed)
    station.discard_rate = np.array(rates)
    station._discard_rate = station.discard_rate.tolist()  # noqa: SLF001 - as __init__
    ids = np.arange(len(units), dtype=np.int64)
    want = _reference_lost(station, ids, np.random.default_rng(seed))
    got = station._lost(ids)  # noqa: SLF001 - the path tested
    assert got.tolist() == want.tolist()
    assert (ledger.state[ids[want]] == UnitState.DISCARDED).all()


def _reference_back(due, back, expires_at) -> dict:
    """Ids going back to each (site, group) shelf, as the release sorted them before."""
    parts, start = {}, 0
    for held in due:
        for group, part in zip(held.groups, held.parts, strict=True):
            keep = np.ones(len(part), bool) if back is None else back[start : start + len(part)]
            start += len(part)
            parts.setdefault((held.site, group), []).append(part[keep])
    return {key: _fefo(ids, expires_at) for key, ids in parts.items()}


@settings(max_examples=150, deadline=None)
@given(
    holds=st.lists(  # per reservation: (site, groups each with a number of units)
        st.tuples(st.integers(0, 1), st.lists(st.integers(1, 4), min_size=1, max_size=3)),
        min_size=1,
        max_size=4,
    ),
    seed=st.integers(0, 1000),
    masked=st.booleans(),
)
def test_back_positions_equal_the_id_arrays(holds, seed, masked) -> None:
    rng = np.random.default_rng(seed)
    total = sum(sum(sizes) for _, sizes in holds)
    expires_at = rng.integers(0, 5, total + 1).astype(float) * 60.0
    pool = rng.permutation(total + 1)
    due, start = [], 0
    for site, sizes in holds:
        parts = []
        for n in sizes:
            ids = pool[start : start + n]
            start += n
            parts.append(ids[np.lexsort((ids, expires_at[ids]))])
        groups = tuple(rng.choice(3, len(parts), replace=False).tolist())
        due.append(Reservation(0.0, site, groups, tuple(parts)))
    ids = np.concatenate([held.ids for held in due])
    back = rng.random(len(ids)) < 0.7 if masked else None
    got = _back_positions(due, back, ids, expires_at[ids])
    want = _reference_back(due, back, expires_at)
    assert got.keys() == want.keys()
    for key, at in got.items():
        assert ids[at].tolist() == want[key].tolist()
