"""The piecewise FEFO outdating formula agrees with a day-by-day issue simulation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.rebalance import RebalancingBuilder, outdated_cumulative
from optimizer.rebalance.fefo import end_stock


def one_station(stock: list[int], days: list[int], demand: int, horizon: float = 3.0):
    b = RebalancingBuilder(days, horizon_days=horizon)
    b.add_item("PLT A+", target_days=1, safety_days=0)
    b.add_station("S")
    b.set_stock("S", "PLT A+", stock)
    b.set_demand("S", "PLT A+", demand)
    return b.build()


def simulate_fefo(stock: list[int], days: list[int], demand: int) -> int:
    """Issue ``demand`` units a day, oldest first; a bucket expires after day ``days[b]``."""
    left, outdated = list(stock), 0
    for day in range(1, max(days) + 1):
        need = demand
        for b in range(len(left)):
            take = min(need, left[b]) if days[b] >= day else 0
            left[b] -= take
            need -= take
        for b in range(len(left)):
            if days[b] == day:
                outdated, left[b] = outdated + left[b], 0
    return outdated


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 30)), min_size=1, max_size=4),
       st.integers(0, 8))
def test_formula_matches_simulation(gaps_and_stock, demand) -> None:
    days = list(np.cumsum([g for g, _ in gaps_and_stock]))
    stock = [s for _, s in gaps_and_stock]
    p = one_station(stock, days, demand)
    got = outdated_cumulative(p, p.on_hand)[0, 0, -1]
    assert got == simulate_fefo(stock, days, demand)


def test_worked_example() -> None:
    # 20 units expire in 1 day, 5 in 2 days; 10 U/day: 10 of the first bucket expire.
    p = one_station([20, 5], [1, 2], 10)
    assert outdated_cumulative(p, p.on_hand)[0, 0].tolist() == [10, 10]
    # end of a 3-day horizon: 25 - 30 demand - 10 expired (both buckets expire in it)
    assert end_stock(p, p.on_hand).tolist() == [[-15]]
