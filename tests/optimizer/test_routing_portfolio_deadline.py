"""A portfolio's time limit is one wall-clock budget for all its runs, the one run in this
process included (starting the worker processes takes time out of it)."""

from __future__ import annotations

from optimizer.routing import portfolio as portfolio_module
from optimizer.routing.generate import blood_instance
from optimizer.routing.portfolio import Run, run_all


def test_the_run_in_this_process_gets_what_is_left_of_the_budget(monkeypatch) -> None:
    problem = blood_instance(2, hospitals=12, stations=2)
    given: list[float] = []

    def recording(problem, **options):  # the run in this process only (workers are spawned)
        given.append(options["time_limit_s"])
        return None

    monkeypatch.setitem(portfolio_module._RUNNERS, "chain", recording)
    limit = 1.0
    runs = [
        Run("chain", {"time_limit_s": limit}),
        Run("pyvrp", {"time_limit_s": limit, "max_iterations": None, "seed": 0}),
    ]
    results = run_all(problem, runs)
    assert len(given) == 1 and 0 < given[0] < limit
    assert results[1][0].engine == "pyvrp" and results[1][1] is not None
