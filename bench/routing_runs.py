"""One engine run of each kind per instance: which kinds a portfolio should hold.

A portfolio (``solve(..., workers=k)``) keeps the best of k runs that each use one core.
This measures the runs one by one, two at a time on the two cores as a portfolio would,
so that the kinds whose best is lowest can be chosen for the workers:

    python bench/routing_runs.py --set blood-mixed --kind chain --kind chain-repack \\
        --kind ils --kind gls --kind ils-repack --time-limit 60 --out runs.jsonl
    python bench/routing_runs.py --summary runs.jsonl

Kinds (every plan re-checked by the independent validator):

- ``chain``: PyVRP on tightened ride limits for a third of the time, then OR-Tools from its
  plan (the default's first worker for mixed limits without van fixed costs);
- ``chain-repack``: the same, then repacking (:data:`~optimizer.routing.chain.
  CHAIN_REPACK_SHARE` of the time);
- ``ils``, ``gls``: OR-Tools' iterated local search, and guided local search from parallel
  savings (the OR-Tools engine's two workers for mixed limits before repacking);
- ``ils-repack``, ``bandit-repack``: an ILS search, then repacking (the OR-Tools engine's
  workers when vans have fixed costs);
- ``pyvrp``, ``pyvrp-repack``: PyVRP (exact ride limits only), alone or for 60 % of the
  time followed by repacking.

Sets and instances are those of ``routing_engines.py``. The summary prints each kind's
cost above the best run of the instance (%, vans in brackets) as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from routing_engines import instances  # bench/ is on sys.path when run as a script
from vrptw_solomon import BENCH_DIR  # (and puts this checkout first on it)

from optimizer.routing import find_violations  # noqa: E402
from optimizer.routing.chain import CHAIN_REPACK_SHARE, solve_chain
from optimizer.routing.ortools_adapter import BANDIT_CONFIG, WARM_CONFIG, solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import solve_pyvrp
from optimizer.routing.repack import repack, solve_repacked
from optimizer.routing.schedule import assemble_plan

Sequences = list[tuple[int, list[int]]]


def _chain(problem: RoutingProblem, limit_s: float, repack_share: float = 0.0) -> Sequences:
    return solve_chain(
        problem,
        time_limit_s=limit_s,
        max_iterations=None,
        ride="restrict",
        repack_share=repack_share,
    )[0]


def _search(problem: RoutingProblem, limit_s: float, config: str) -> Sequences:
    return solve_ortools(problem, time_limit_s=limit_s, max_iterations=None, config=config)[0]


def _repacked(problem: RoutingProblem, limit_s: float, config: str, seed: int) -> Sequences:
    return solve_repacked(
        problem, time_limit_s=limit_s, max_iterations=None, seed=seed, config=config
    )[0]


def _pyvrp(problem: RoutingProblem, limit_s: float) -> Sequences:
    return solve_pyvrp(problem, time_limit_s=limit_s, max_iterations=None)[0]


def _pyvrp_repack(problem: RoutingProblem, limit_s: float) -> Sequences:
    tic = time.perf_counter()
    start = _pyvrp(problem, 0.6 * limit_s)
    return repack(problem, start, time_limit_s=max(0.0, limit_s - (time.perf_counter() - tic)))[0]


KINDS: dict[str, Callable[[RoutingProblem, float], Sequences]] = {
    "chain": _chain,
    "chain-repack": partial(_chain, repack_share=CHAIN_REPACK_SHARE),
    "ils": partial(_search, config="ils"),
    "gls": partial(_search, config=WARM_CONFIG),
    "ils-repack": partial(_repacked, config="ils", seed=0),
    "bandit-repack": partial(_repacked, config=BANDIT_CONFIG, seed=1),
    "pyvrp": _pyvrp,
    "pyvrp-repack": _pyvrp_repack,
}
"""Run kinds by name: ``(problem, time limit in seconds) -> sequences``."""


def one_run(job: tuple[RoutingProblem, str, float]) -> dict:
    """Record of one run: instance, kind, cost (yuan), vans, validator's verdict, wall (s)."""
    problem, kind, limit_s = job
    tic = time.perf_counter()
    sequences = KINDS[kind](problem, limit_s)
    wall = time.perf_counter() - tic
    plan = assemble_plan(problem, sequences, engine=kind, solve_time_s=wall, stop_reason="", seed=0)
    feasible = plan.feasible and not plan.dropped and not find_violations(problem, plan)
    return {
        "instance": problem.name,
        "kind": kind,
        "time_limit_s": limit_s,
        "cost": plan.objective,
        "vans": plan.num_vehicles,
        "feasible": feasible,
        "wall_s": round(wall, 2),
    }


def summary(path: Path) -> None:
    """Print the Markdown table of a run file: % above the instance's best run (vans)."""
    runs: dict[str, dict[str, dict]] = defaultdict(dict)
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        runs[rec["instance"]][rec["kind"]] = rec
    kinds = list(dict.fromkeys(k for recs in runs.values() for k in recs))
    print("| instance | " + " | ".join(kinds) + " |\n|---|" + "---|" * len(kinds))
    for name, recs in runs.items():
        best = min((r["cost"] for r in recs.values() if r["feasible"]), default=float("nan"))
        print(f"| {name} | " + " | ".join(_cell(recs.get(k), best) for k in kinds) + " |")


def _cell(rec: dict | None, best: float) -> str:
    if rec is None:
        return "–"
    if not rec["feasible"]:
        return "infeasible"
    gap = 100 * (rec["cost"] / best - 1)
    return f"**0** ({rec['vans']})" if gap < 0.005 else f"+{gap:.2f} % ({rec['vans']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="blood-mixed", choices=("blood", "blood-mixed"))
    parser.add_argument("--kind", action="append", choices=list(KINDS))
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--instances", nargs="*", help="only these instance names")
    parser.add_argument("--parallel", type=int, default=2, help="runs at once (one core each)")
    parser.add_argument("--out", type=Path, help="JSON lines appended here")
    parser.add_argument("--summary", type=Path, help="print the table of a run file and stop")
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
        return
    if not args.kind or not args.out:
        parser.error("give --kind (repeatable) and --out, or --summary FILE")
    problems = instances(args.set, BENCH_DIR, args.instances)
    jobs = [(p, kind, args.time_limit) for p in problems for kind in args.kind]
    with ProcessPoolExecutor(args.parallel) as pool, args.out.open("a", encoding="utf-8") as out:
        for rec in pool.map(one_run, jobs):
            out.write(json.dumps(rec) + "\n")
            out.flush()
            print(rec, flush=True)
    summary(args.out)


if __name__ == "__main__":
    main()
