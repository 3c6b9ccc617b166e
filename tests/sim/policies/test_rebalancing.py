"""Rebalancing snapshot: stock by item and expiry bucket, recent transfers left alone."""

from __future__ import annotations

import numpy as np

import optimizer.rebalance as rebalance
from optimizer.rebalance import RebalancingPlan
from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.policies import rebalancing
from sim.policies.rebalancing import BUCKET_DAYS, REBALANCED, SETTLE_DAYS, _buckets, snapshot


def _stock(world, site: int, days_left: list[float], abo: int = 0) -> np.ndarray:
    ids = world.add_units(
        product=Product.RBC, abo=abo, rhd=1, size_u=1.0, donation_id=np.arange(len(days_left)),
        collected_at=0.0, expires_at=np.array(days_left) * MINUTES_PER_DAY, site=site,
        state=UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, 0.0)
    world.stock[site].add(ids)
    return ids


def test_units_fall_in_the_bucket_of_their_days_to_expiry(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    _stock(world, station, [1.5, 1.9, 10.0, 400.0])
    stations, items, problem = snapshot(world)
    assert stations == [station] and len(items) == len(REBALANCED) * 8
    o_pos = items.index((Product.RBC, 0, 1))
    row = problem.on_hand[0, o_pos]
    assert row.sum() == 4
    assert row[np.searchsorted(BUCKET_DAYS, 1.5, side="right") - 1] == 2
    assert row[-1] == 1  # beyond the last edge: the last bucket
    assert problem.stations == ("bs_a",)


def test_units_moved_by_a_recent_transfer_are_not_offered_again(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    ids = _stock(world, station, [10.0, 10.0])
    world.transferred_at = np.full(len(world.ledger), -np.inf)
    world.transferred_at[ids[0]] = 0.0  # arrived by transfer just now
    items = [(Product.RBC, 0, 1)]
    assert _buckets(world, station, items).sum() == 1
    world.env.run(until=SETTLE_DAYS * MINUTES_PER_DAY + 1.0)
    assert _buckets(world, station, items).sum() == 2


def test_a_plan_stopped_by_the_wall_clock_is_counted(tiny_world, monkeypatch) -> None:
    """A solve that ran into the wall-clock guard may not repeat for a seed: the run says so."""

    def slow(problem, *, time_limit_s, **kwargs):
        return RebalancingPlan((), 0.0, "feasible", None, time_limit_s, 0, 0)

    world = tiny_world()
    monkeypatch.setattr(rebalance, "solve_rebalancing", slow)
    rebalancing.plan_and_ship(world)
    assert world.logs.counters["rebalancing_wall_clock_stops"] == 1
    monkeypatch.setattr(
        rebalance, "solve_rebalancing",
        lambda problem, **kw: RebalancingPlan((), 0.0, "optimal", None, 0.2, 0, 0),
    )  # fmt: skip
    rebalancing.plan_and_ship(world)
    assert world.logs.counters["rebalancing_wall_clock_stops"] == 1
