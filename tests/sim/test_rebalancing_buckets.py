"""Rebalancing snapshot: the stock per item and expiry bucket, counted in one pass, equals
counting each item in turn (the implementation before issue 12)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.build import make_world, populate
from sim.core.domain import MINUTES_PER_DAY
from sim.policies.rebalancing import BUCKET_DAYS, SETTLE_DAYS, _buckets, _transferred_at, snapshot
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def reference_buckets(world, station: int, items: list) -> np.ndarray:
    """Units per item and bucket, one item at a time with ``np.add.at``."""
    ledger = world.ledger
    held = world.stock[station].ids()
    recent = _transferred_at(world)[held] > world.now - SETTLE_DAYS * MINUTES_PER_DAY
    held = held[~recent]
    days_left = (ledger.expires_at[held] - world.now) / MINUTES_PER_DAY
    bucket = np.clip(np.searchsorted(BUCKET_DAYS, days_left, side="right") - 1, 0, None)
    item = ledger.product[held] * 8 + ledger.abo[held] * 2 + ledger.rhd[held]
    units = np.zeros((len(items), len(BUCKET_DAYS)))
    for k, (p, a, r) in enumerate(items):
        mask = item == int(p) * 8 + a * 2 + r
        np.add.at(units[k], bucket[mask], ledger.size_u[held[mask]])
    return np.floor(units + 1e-9).astype(np.int64)


@pytest.fixture(scope="module")
def world():
    loaded = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml")
    world = make_world(loaded.scenario, loaded.region, 3)
    populate(world)
    world.env.run(until=120.0)
    return world


def test_buckets_equal_counting_item_by_item(world) -> None:
    stations, items, _ = snapshot(world)
    rng = np.random.default_rng(0)
    _transferred_at(world)[rng.integers(0, len(world.ledger), 2000)] = world.now  # settling
    total = 0
    for station in stations:
        got = _buckets(world, station, items)
        assert np.array_equal(got, reference_buckets(world, station, items))
        total += got.sum()
    assert total > 0
