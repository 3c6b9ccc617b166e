"""OR-Tools iterated local search (the default OR-Tools configuration) and the pure engine."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.constraint_solver import pywrapcp

from optimizer.routing import RoutingProblem, solve
from optimizer.routing import portfolio as portfolio_module
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import (
    BANDIT_CONFIG,
    CONFIGS,
    WARM_CONFIG,
    _attempts,
    search_parameters,
    solve_ortools,
)
from optimizer.routing.schedule import assemble_plan
from optimizer.routing.solve import _runs


@pytest.fixture(scope="module")
def blood() -> RoutingProblem:
    return blood_instance(5, hospitals=30, stations=2)


def _objective(problem: RoutingProblem, config, iterations: int) -> float:
    seqs, _, _ = solve_ortools(problem, time_limit_s=None, max_iterations=iterations, config=config)
    plan = assemble_plan(problem, seqs, engine="ortools", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible
    return plan.objective


def test_ils_goes_beyond_the_local_optimum_of_its_descent(blood: RoutingProblem) -> None:
    # without the ILS entry point the same parameters stop at the descent's local optimum
    descent = replace(CONFIGS["ils"], ils=False)
    assert _objective(blood, "ils", 300) < _objective(blood, descent, 300) - 1e-6


def test_ils_is_deterministic_under_an_iteration_limit(blood: RoutingProblem) -> None:
    assert _objective(blood, "ils", 100) == _objective(blood, "ils", 100)


def test_ils_warm_start_uses_guided_local_search(blood: RoutingProblem) -> None:
    start = solve(blood, engine="pyvrp", max_iterations=300)
    initial = [(r.vehicle_type, r.visits) for r in start.routes]
    for config in ("ils", WARM_CONFIG):
        seqs, _, _ = solve_ortools(
            blood, time_limit_s=None, max_iterations=1, initial=initial, config=config
        )
        plan = assemble_plan(blood, seqs, engine="", solve_time_s=0, stop_reason="", seed=0)
        assert plan.feasible and plan.objective <= start.objective + 1e-6


def test_pure_ortools_engine_never_runs_pyvrp(blood: RoutingProblem, monkeypatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("PyVRP was called by the pure OR-Tools engine")

    monkeypatch.setitem(portfolio_module._RUNNERS, "pyvrp", forbidden)
    monkeypatch.setitem(portfolio_module._RUNNERS, "chain", forbidden)
    plan = solve(blood, engine="ortools", max_iterations=20)
    assert plan.feasible and plan.engine == "ortools"
    runs = _runs("ortools", 4, 0, time_limit_s=1.0, max_iterations=None)
    assert {run.engine for run in runs} == {"ortools"}


def test_warm_started_portfolio_runs_distinct_gls_searches() -> None:
    runs = _runs("ortools", 3, 0, time_limit_s=1.0, max_iterations=None, initial=[(0, [0])])
    configs = [run.options["config"] for run in runs]
    assert len(set(configs)) == 3 and not any(CONFIGS[c].ils for c in configs)


def test_ils_without_a_first_solution_falls_back_to_gls(blood: RoutingProblem, monkeypatch) -> None:
    # e.g. a loaded machine: the first solution of a 200-client model took over 10 s
    monkeypatch.setattr(
        pywrapcp.RoutingModel, "SolveWithIteratedLocalSearch", lambda self, params: None
    )
    seqs, reason, _ = solve_ortools(blood, time_limit_s=None, max_iterations=20, config="ils")
    plan = assemble_plan(blood, seqs, engine="", solve_time_s=0, stop_reason=reason, seed=0)
    assert plan.feasible and reason == "iteration_limit"


def _sa(config, arc_cost: float):
    params = search_parameters(config, 1.0, None, arc_cost)
    return params.iterated_local_search_parameters.reference_solution_acceptance_strategy


def test_explicit_temperatures_scale_with_the_mean_arc_cost() -> None:
    sa = _sa(replace(CONFIGS["ils"], temperatures=(0.5, 0.005)), 2000.0).simulated_annealing
    assert not sa.automatic_temperatures
    assert sa.initial_temperature == pytest.approx(1000.0)
    assert sa.final_temperature == pytest.approx(10.0)
    assert _sa(CONFIGS["ils"], 2000.0).simulated_annealing.automatic_temperatures


def test_ruin_settings_reach_the_parameters() -> None:
    config = replace(
        CONFIGS["ils"], bypass=1.0, sequence=40, ruins=(("spatially_close_routes", 2),)
    )
    rr = search_parameters(config, 1.0, None).iterated_local_search_parameters
    strategies = rr.ruin_recreate_parameters.ruin_strategies
    assert strategies[0].sisr.bypass_factor == 1.0
    assert strategies[0].sisr.max_removed_sequence_size == 40
    assert strategies[1].spatially_close_routes.num_ruined_routes == 2


@pytest.mark.parametrize("name", [n for n, c in CONFIGS.items() if c.ils])
def test_every_ils_configuration_is_deterministic_and_feasible(
    blood: RoutingProblem, name: str
) -> None:
    assert _objective(blood, name, 60) == _objective(blood, name, 60)


def test_two_worker_portfolio_runs_two_distinct_ils_searches() -> None:
    runs = _runs("ortools", 2, 0, time_limit_s=1.0, max_iterations=None)
    configs = [CONFIGS[run.options["config"]] for run in runs]
    assert all(c.ils for c in configs) and configs[0] != configs[1]


def test_ils_tries_required_clients_mandatory_first(blood: RoutingProblem) -> None:
    # on the optional model a recreate step may leave a required client out for good
    tries = _attempts(blood, None, CONFIGS["ils"])
    assert [(c.ils, soft) for c, soft in tries] == [
        (True, False),
        (True, True),
        (False, False),
        (False, True),
    ]
    seqs, _, _ = solve_ortools(blood, time_limit_s=None, max_iterations=30, config="ils")
    served = {c for _, visits in seqs for c in visits}
    assert served == set(range(len(blood.clients)))


def test_ride_limited_portfolio_keeps_guided_local_search_second() -> None:
    limits = {"time_limit_s": 1.0, "max_iterations": None}
    ride = [run.options["config"] for run in _runs("ortools", 2, 0, True, **limits)]
    assert ride == ["ils", WARM_CONFIG]
    free = [run.options["config"] for run in _runs("ortools", 2, 0, False, **limits)]
    assert free == ["ils", "ils-split"]


def test_bandit_search_is_the_split_search_with_bandit_operator_choice() -> None:
    bandit, split = (search_parameters(CONFIGS[n], 1.0, None) for n in (BANDIT_CONFIG, "ils-split"))
    assert bandit.use_multi_armed_bandit_concatenate_operators
    assert not split.use_multi_armed_bandit_concatenate_operators
    bandit.use_multi_armed_bandit_concatenate_operators = False
    assert bandit == split


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), ride=st.sampled_from([90.0, 120.0, 150.0]))
def test_bandit_search_keeps_every_ride_limit(seed: int, ride: float) -> None:
    """The second search for vans with fixed costs (blood deliveries): every plan it
    returns passes the independent validator, ride limits included."""
    problem = blood_instance(seed, hospitals=25, stations=2, ride_min=ride)
    seqs, _, _ = solve_ortools(problem, time_limit_s=None, max_iterations=80, config=BANDIT_CONFIG)
    plan = assemble_plan(problem, seqs, engine="t", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible, plan.violations
    served = {c for _, visits in seqs for c in visits}
    assert served == set(range(len(problem.clients)))
