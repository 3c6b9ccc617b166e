"""solve_rebalancing on small instances with known optimal plans; fallback; determinism."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.rebalance import (
    RebalancingBuilder,
    RebalancingProblem,
    Transfer,
    find_violations,
    greedy_transfers,
    solve_rebalancing,
)
from optimizer.rebalance import solve as solve_module
from optimizer.rebalance.cpsat_adapter import SolverResult

RBC = "RBC O+"


def builder(stations: str = "AB", **options) -> RebalancingBuilder:
    """Buckets expire in 2, 10, 30 days; RBC target 3 days, safety 1 day."""
    b = RebalancingBuilder([2, 10, 30], **options)
    b.add_item(RBC, target_days=3, safety_days=1)
    for s in stations:
        b.add_station(s)
    return b


def near_expiry_problem(**options) -> RebalancingProblem:
    """A holds 40 U expiring in 2 days but uses 5 U/day; B uses 15 U/day and holds none.

    A can use 10 of the 40 before they expire, B the other 30: the unique optimum moves
    exactly 30 U of bucket 0 (moving fresh units only shifts shortage and costs 1 yuan/U).
    """
    opts = dict(shortage_penalty=10, outdate_penalty=100, safety_penalty=0) | options
    b = builder(**opts)
    b.set_stock("A", RBC, [40, 0, 20])
    b.set_demand("A", RBC, 5)
    b.set_demand("B", RBC, 15)
    b.add_link("A", "B", minutes=60, ship_cost=50, unit_cost=1)
    return b.build()


def test_near_expiry_surplus_moves_to_fast_user() -> None:
    p = near_expiry_problem()
    plan = solve_rebalancing(p, time_limit_s=5.0)
    assert plan.status == "optimal"
    assert plan.transfers == (Transfer("A", "B", RBC, 0, 30),)
    assert (plan.units_moved, plan.shipments) == (30, 1)
    # 50 shipment + 30 × 1 per unit + B short 60 U × 10 (A ends at target, nothing outdates)
    assert plan.objective == pytest.approx(680.0)
    assert plan.fallback_reason is None
    assert find_violations(p, plan) == []


def test_station_at_safety_never_ships() -> None:
    b = builder(outdate_penalty=1000)
    b.set_demand("A", RBC, 10)  # safety 10 U: A holds exactly that, expiring soon
    b.set_stock("A", RBC, [10, 0, 0])
    b.set_demand("B", RBC, 50)
    b.add_link("A", "B", minutes=30, ship_cost=1)
    plan = solve_rebalancing(b.build())
    assert plan.status == "optimal"
    assert plan.transfers == ()


def test_too_far_link_unused() -> None:
    b = builder("ABC", max_ship_minutes=240)
    b.set_stock("A", RBC, [0, 0, 100])
    b.set_demand("A", RBC, 1)
    for s in "BC":
        b.set_demand(s, RBC, 10)
    b.add_link("A", "B", minutes=300, ship_cost=1)  # beyond the cold-chain limit
    b.add_link("A", "C", minutes=200, ship_cost=1)
    plan = solve_rebalancing(b.build())
    assert plan.status == "optimal"
    assert {(t.from_station, t.to_station) for t in plan.transfers} == {("A", "C")}


def test_shipping_dearer_than_shortage_means_no_transfer() -> None:
    b = builder(shortage_penalty=10, safety_penalty=0)
    b.set_stock("A", RBC, [0, 0, 40])  # fresh surplus of 25 U above target
    b.set_demand("A", RBC, 5)
    b.set_demand("B", RBC, 5)  # deficit: target 15 U
    b.add_link("A", "B", minutes=30, ship_cost=1000)  # > 15 U × 10 yuan saved
    plan = solve_rebalancing(b.build())
    assert plan.status == "optimal"
    assert plan.transfers == ()


@pytest.mark.parametrize(("min_transfer_u", "moved"), [(1, 8), (10, 0)])
def test_min_transfer_blocks_small_shipment(min_transfer_u: int, moved: int) -> None:
    """A would outdate 8 of its 10 U (uses 1 U/day); B uses them all. Safety lets 9 U go."""
    b = builder(min_transfer_u=min_transfer_u)
    b.set_stock("A", RBC, [10, 0, 0])
    b.set_demand("A", RBC, 1)
    b.set_demand("B", RBC, 10)
    b.add_link("A", "B", minutes=30, ship_cost=0, unit_cost=1)
    plan = solve_rebalancing(b.build())
    assert plan.status == "optimal"
    assert plan.units_moved == moved


def test_max_transfers_caps_shipments() -> None:
    b = builder("ABC")
    b.set_stock("A", RBC, [0, 0, 100])
    b.set_demand("A", RBC, 1)
    for s in "BC":
        b.set_demand(s, RBC, 10)
        b.add_link("A", s, minutes=30, ship_cost=10)
    p = b.build()
    assert solve_rebalancing(p).shipments == 2
    capped = solve_rebalancing(p, max_transfers=1)
    assert capped.shipments == 1
    assert find_violations(p, capped, max_transfers=1) == []


def random_problem(seed: int, n: int = 5, k: int = 3) -> RebalancingProblem:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 200, size=(n, 2))
    minutes = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    return RebalancingProblem(
        stations=tuple(f"S{i}" for i in range(n)), items=tuple(f"I{q}" for q in range(k)),
        bucket_days=[2, 7, 20, 35], on_hand=rng.integers(0, 40, size=(n, k, 4)),
        daily_demand=rng.uniform(0, 25, size=(n, k)), target_days=np.full(k, 4.0),
        safety_days=np.full(k, 1.5), ship_cost=200 + minutes, unit_cost=np.full((n, n), 2.0),
        ship_minutes=minutes, max_ship_minutes=180, min_transfer_u=5,
    )


def test_same_seed_same_plan() -> None:
    p = random_problem(7)
    first = solve_rebalancing(p, seed=3, work_limit=2.0, time_limit_s=60)
    second = solve_rebalancing(p, seed=3, work_limit=2.0, time_limit_s=60)
    assert first.transfers == second.transfers
    assert first.objective == second.objective
    assert first.status in ("optimal", "feasible")
    assert find_violations(p, first) == []


def fake_solver(result: SolverResult | Exception):
    def solver(*_args, **_kwargs) -> SolverResult:
        if isinstance(result, Exception):
            raise result
        return result
    return solver


@pytest.mark.parametrize(("result", "reason"), [
    (SolverResult("UNKNOWN", None, 5.0), "CP-SAT status UNKNOWN: no solution"),
    (SolverResult("INFEASIBLE", None, 0.1), "CP-SAT status INFEASIBLE"),
    (SolverResult("MODEL_INVALID", None, 0.0), "CP-SAT status MODEL_INVALID"),
    (RuntimeError("boom"), "CP-SAT failed: RuntimeError: boom"),
], ids=["unknown", "infeasible", "invalid", "exception"])
def test_fallback_on_solver_trouble(monkeypatch, result, reason) -> None:
    monkeypatch.setattr(solve_module, "solve_cpsat", fake_solver(result))
    p = random_problem(1)
    plan = solve_rebalancing(p)
    assert plan.status == "fallback"
    assert plan.fallback_reason is not None and plan.fallback_reason.startswith(reason)
    assert plan.transfers == greedy_transfers(p)
    assert plan.units_moved > 0
    assert find_violations(p, plan) == []


def test_fallback_when_solver_plan_is_rejected(monkeypatch) -> None:
    p = near_expiry_problem()
    bad = np.zeros((2, 2, 1, 3), dtype=np.int64)
    bad[0, 1, 0, 0] = 41  # more than A holds in bucket 0
    monkeypatch.setattr(solve_module, "solve_cpsat",
                        fake_solver(SolverResult("OPTIMAL", bad, 0.0)))
    plan = solve_rebalancing(p)
    assert plan.status == "fallback"
    assert "rejected by the validator: supply" in (plan.fallback_reason or "")
    assert find_violations(p, plan) == []


def test_fallback_on_tiny_time_limit() -> None:
    p = random_problem(2, n=8, k=6)
    plan = solve_rebalancing(p, time_limit_s=1e-9)
    assert plan.status == "fallback"
    assert "UNKNOWN" in (plan.fallback_reason or "")
    assert find_violations(p, plan) == []


def test_greedy_near_expiry() -> None:
    """Greedy sends the surplus above target (45 of 60 U), oldest first, to the deficit."""
    assert greedy_transfers(near_expiry_problem()) == (
        Transfer("A", "B", RBC, 0, 40), Transfer("A", "B", RBC, 2, 5))


@pytest.mark.parametrize("kwargs", [
    {"time_limit_s": 0.0}, {"time_limit_s": float("inf")}, {"max_transfers": -1},
    {"work_limit": 0.0},
])
def test_bad_arguments_raise(kwargs) -> None:
    with pytest.raises(ValueError):
        solve_rebalancing(near_expiry_problem(), **kwargs)
