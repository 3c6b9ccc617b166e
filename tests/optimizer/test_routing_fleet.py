"""The fleet run: OR-Tools with costlier vans first, then the real costs; never worse."""

from __future__ import annotations

import pytest

from optimizer.routing import RoutingProblem
from optimizer.routing import fleet as fleet_module
from optimizer.routing import portfolio as portfolio_module
from optimizer.routing.fleet import fleet_problem, solve_fleet
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import BANDIT_CONFIG, WARM_CONFIG, solve_ortools
from optimizer.routing.portfolio import Run
from optimizer.routing.schedule import assemble_plan
from optimizer.routing.solve import FLEET, REPACK, _portfolio, _runs


@pytest.fixture(scope="module")
def blood() -> RoutingProblem:
    return blood_instance(3, hospitals=30, stations=2)


def _plan(problem: RoutingProblem, seqs):
    return assemble_plan(problem, seqs, engine="t", solve_time_s=0, stop_reason="", seed=0)


def test_fleet_problem_raises_fixed_costs_only(blood: RoutingProblem) -> None:
    costly = fleet_problem(blood, 3.0)
    assert [v.fixed_cost for v in costly.vehicle_types] == [
        3.0 * v.fixed_cost for v in blood.vehicle_types
    ]
    assert [v.cost_per_km for v in costly.vehicle_types] == [
        v.cost_per_km for v in blood.vehicle_types
    ]
    assert costly.clients == blood.clients


def test_fleet_run_is_never_worse_than_its_first_stage(blood: RoutingProblem) -> None:
    first, _, _ = solve_ortools(
        fleet_problem(blood), time_limit_s=None, max_iterations=100, config="ils"
    )
    seqs, reason, _ = solve_fleet(blood, time_limit_s=None, max_iterations=100)
    plan, start = _plan(blood, seqs), _plan(blood, first)
    assert plan.feasible and start.feasible
    assert plan.objective <= start.objective + 1e-6
    assert reason.startswith(("fleet:", "ortools:"))


def test_fleet_run_keeps_its_incumbent_when_the_second_stage_ends_worse(
    blood: RoutingProblem, monkeypatch
) -> None:
    real = solve_ortools

    def second_stage_one_van_per_client(problem, **kwargs):
        if kwargs.get("initial") is None:
            return real(problem, **kwargs)
        return [(0, [c]) for c in range(len(problem.clients))], "time_limit", 0.0

    monkeypatch.setattr(fleet_module, "solve_ortools", second_stage_one_van_per_client)
    first, _, _ = real(fleet_problem(blood), time_limit_s=None, max_iterations=100, config="ils")
    seqs, reason, _ = solve_fleet(blood, time_limit_s=None, max_iterations=100)
    assert _plan(blood, seqs).objective == pytest.approx(_plan(blood, first).objective)
    assert reason.startswith("fleet:")


def test_fixed_costs_bring_the_bandit_search_second_and_the_fleet_run_third() -> None:
    limits = {"time_limit_s": 1.0, "max_iterations": None}
    plain = [(r.engine, r.options.get("config")) for r in _runs("ortools", 3, 0, **limits)]
    fleet = [
        (r.engine, r.options.get("config")) for r in _runs("ortools", 3, 0, False, True, **limits)
    ]
    # the two ILS searches are followed by repacking (test_routing_repack.py)
    assert fleet == [(REPACK, plain[0][1]), (REPACK, BANDIT_CONFIG), (FLEET, None)]
    assert BANDIT_CONFIG not in {c for _, c in plain}  # Solomon's searches unchanged
    ride = [r.options.get("config") for r in _runs("ortools", 3, 0, True, True, **limits)]
    assert ride == ["ils", WARM_CONFIG, None]  # GLS second for unfiltered ride limits
    warm = _runs("ortools", 2, 0, False, True, initial=[(0, [0])], **limits)
    assert FLEET not in {r.engine for r in warm}  # a warm start runs GLS searches only


def test_fleet_run_is_pure_ortools_and_labelled_so(blood: RoutingProblem, monkeypatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("PyVRP was called by the pure OR-Tools engine")

    monkeypatch.setitem(portfolio_module._RUNNERS, "pyvrp", forbidden)
    monkeypatch.setitem(portfolio_module._RUNNERS, "chain", forbidden)
    run = Run(FLEET, {"time_limit_s": None, "max_iterations": 30, "seed": 0})
    (plan,) = _portfolio(blood, [run], seed=0)
    assert plan.feasible and plan.engine == "ortools"
