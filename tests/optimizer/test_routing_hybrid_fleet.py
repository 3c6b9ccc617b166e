"""Mixed ride limits with van fixed costs: a chain that ends by repacking, and the
OR-Tools engine's repacked ILS run beside it."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.routing import find_violations, solve
from optimizer.routing.chain import CHAIN_REPACK_SHARE, PYVRP_SHARE, solve_chain
from optimizer.routing.generate import blood_instance
from optimizer.routing.pyvrp_adapter import unsupported_reason
from optimizer.routing.solve import HYBRID_PORTFOLIO, REPACK, _hybrid_runs
from tests.optimizer.conftest import plan_of

LIMITS = {"time_limit_s": 1.0, "max_iterations": None}


def _kinds(runs) -> list[tuple]:
    return [
        (r.engine, r.options.get("ride"), r.options.get("repack_share"), r.options.get("config"))
        for r in runs
    ]


def test_fixed_costs_give_the_mixed_limit_portfolio_a_repacking_chain_and_repacked_ils() -> None:
    problem = blood_instance(3, hospitals=30, mixed_ride=True)
    assert unsupported_reason(problem) is not None  # PyVRP cannot model these limits
    runs = _hybrid_runs(problem, 4, 5, True, **LIMITS)
    assert _kinds(runs) == [
        ("chain", "restrict", CHAIN_REPACK_SHARE, None),
        (REPACK, None, None, "ils"),
        ("chain", "relax", None, None),
        ("chain", "restrict", CHAIN_REPACK_SHARE, None),
    ]
    assert [r.options["seed"] for r in runs] == [5, 6, 7, 8]
    plain = _hybrid_runs(problem, 3, 5, False, **LIMITS)  # no fixed costs: as before
    assert [(r.engine, r.options.get("ride")) for r in plain] == [
        (kind, extra.get("ride")) for kind, extra in HYBRID_PORTFOLIO
    ]
    assert all("repack_share" not in r.options for r in plain)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    hospitals=st.integers(12, 40),
    ride=st.sampled_from(["restrict", "relax"]),
)
def test_repacking_chain_is_never_worse_than_the_chain_and_keeps_every_limit(
    seed: int, hospitals: int, ride: str
) -> None:
    problem = blood_instance(seed, hospitals=hospitals, mixed_ride=True)
    limits = {"time_limit_s": None, "max_iterations": 15, "seed": seed, "ride": ride}
    chained, _, _ = solve_chain(problem, **limits)
    packed, reason, _ = solve_chain(problem, **limits, repack_share=CHAIN_REPACK_SHARE)
    before, after = plan_of(problem, chained), plan_of(problem, packed)
    assert after.feasible and not find_violations(problem, after)
    assert after.objective <= before.objective + 1e-9
    assert ("repacked" in reason) == (after.objective < before.objective - 1e-6)
    assert Counter(c for _, v in packed for c in v) == Counter(range(len(problem.clients)))
    for r in after.routes:  # ride limits, re-checked here beyond the validator
        for c, start_min in zip(r.visits, r.starts, strict=True):
            limit = problem.clients[c].max_ride_min
            assert limit is None or start_min - r.departure <= limit + 1e-6


def test_repacking_chain_empties_a_van() -> None:
    problem = blood_instance(4, hospitals=40, mixed_ride=True)
    limits = {"time_limit_s": None, "max_iterations": 20, "ride": "restrict"}
    chained, _, _ = solve_chain(problem, **limits)
    packed, reason, _ = solve_chain(problem, **limits, repack_share=CHAIN_REPACK_SHARE)
    assert "repacked" in reason
    assert plan_of(problem, packed).num_vehicles < plan_of(problem, chained).num_vehicles


@pytest.mark.parametrize("share", [-0.1, 1 - PYVRP_SHARE + 0.01])
def test_repack_share_out_of_range_is_refused(share: float) -> None:
    problem = blood_instance(1, hospitals=12, mixed_ride=True)
    with pytest.raises(ValueError, match="repack_share"):
        solve_chain(problem, time_limit_s=1.0, max_iterations=None, repack_share=share)


def test_default_engine_on_mixed_limits_with_fixed_costs_plans_within_every_limit() -> None:
    problem = blood_instance(5, hospitals=40, mixed_ride=True)
    plan = solve(problem, time_limit_s=3.0, workers=2)
    assert plan.feasible and not plan.dropped and not find_violations(problem, plan)
    assert plan.engine in ("pyvrp+ortools", "ortools")
    first, second = (solve(problem, max_iterations=15) for _ in range(2))
    assert first.feasible and first.routes == second.routes  # an iteration limit: the same plan
