"""Routing engines on Solomon VRPTW and on generated blood-delivery instances.

Usage::

    python bench/routing_engines.py run --set solomon --engine pyvrp --engine ortools \\
        [--time-limit 10] [--workers 2] [--instances R101 C101 ...] --out runs.jsonl
    python bench/routing_engines.py run --set blood --engine default --out runs.jsonl
    python bench/routing_engines.py summary runs.jsonl

Sets: ``solomon`` (the 56 shipped files, DIMACS convention, gap to the distance-only
BKS), ``blood`` (12 instances of :func:`optimizer.routing.generate.blood_instance`, 100 to
200 hospitals, one shared ride limit) and ``blood-mixed`` (the same with shorter
platelet limits at a third of the hospitals). Blood figures are costs (yuan) divided by
the best cost any run in the file found for the instance.

Engines are ``solve`` engine names: ``default``, ``pyvrp``, ``ortools``, ``pyvrp+ortools``.
Every plan is checked again here by the independent validator
(:func:`optimizer.routing.validate.find_violations`): the record's ``feasible`` is the
validator's verdict, and ``violations`` lists the kinds it found (ride-time included).
One JSON line per run is appended to ``--out`` as soon as it ends. The checkout this
file lives in is benchmarked (``vrptw_solomon`` puts it first on ``sys.path``), not the
editable install's, and each record names the ``optimizer`` package it ran.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from vrptw_solomon import BENCH_DIR, load_bks  # bench/ is on sys.path when run as a script

import optimizer  # noqa: E402  (after vrptw_solomon has put this checkout first)
from optimizer.routing import find_violations, read_solomon, solve
from optimizer.routing.generate import blood_instance
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.solve import ENGINE_NAMES

BLOOD_SIZES = (100, 150, 200)


def instances(name: str, data: Path, only: list[str] | None) -> Iterator[RoutingProblem]:
    """The problems of a set, in a fixed order (optionally only the named ones)."""
    if name == "solomon":
        problems = (read_solomon(f) for f in sorted((data / "solomon").glob("*.txt")))
    else:
        mixed = name == "blood-mixed"
        problems = (
            blood_instance(seed, hospitals=BLOOD_SIZES[seed % 3], mixed_ride=mixed)
            for seed in range(12)
        )
    for problem in problems:
        if not only or problem.name in only:
            yield problem


def record(problem: RoutingProblem, engine: str, args: argparse.Namespace) -> dict:
    """Solve once and describe the plan, re-checked by the validator."""
    plan = solve(problem, engine=engine, time_limit_s=args.time_limit, workers=args.workers)
    violations = find_violations(problem, plan)
    assert bool(violations) != plan.feasible, "solve and the validator disagree"
    return {
        "set": args.set,
        "instance": problem.name,
        "engine": engine,
        "used": plan.engine,
        "objective": round(plan.objective, 3),
        "distance": round(sum(r.distance for r in plan.routes), 1),
        "vehicles": plan.num_vehicles,
        "feasible": not violations,
        "violations": sorted({v.split(":")[0] for v in violations}),
        "time_s": round(plan.solve_time_s, 2),
        "time_limit_s": args.time_limit,
        "workers": args.workers,
        "load": round(os.getloadavg()[0], 2),
        "code": str(Path(optimizer.__file__).parents[1]),
    }


def run(args: argparse.Namespace) -> None:
    """Solve every instance of the set with every engine, one JSON line per run; then
    print the summary tables (per family for Solomon) of this run's records."""
    recs = []
    for problem in instances(args.set, args.data, args.instances):
        for engine in args.engine:
            rec = record(problem, engine, args)
            print(
                f"{engine:14s} {rec['instance']:22s} {rec['objective']:12.1f} "
                f"veh {rec['vehicles']:3d} feasible {rec['feasible']} {rec['time_s']:.1f}s "
                f"load {rec['load']}",
                flush=True,
            )
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec) + "\n")
            recs.append(rec)
    tabulate(recs, args.data)


def _score(rec: dict, bks: dict[str, float], best: dict[tuple, float]) -> float:
    if rec["set"] == "solomon":
        return 100 * (rec["distance"] / bks[rec["instance"]] - 1)
    return rec["objective"] / best[rec["set"], rec["instance"]]


def summary(args: argparse.Namespace) -> None:
    """Print the tables of the JSON lines in ``args.files``."""
    recs = [json.loads(line) for path in args.files for line in path.open(encoding="utf-8")]
    tabulate(recs, args.data)


def tabulate(recs: list[dict], data: Path) -> None:
    """Print one Markdown row per (set, engine, time limit, workers), then Solomon families."""
    bks = load_bks(data / "bks.csv")
    best: dict[tuple, float] = {}
    for r in recs:
        if r["feasible"]:
            key = (r["set"], r["instance"])
            best[key] = min(best.get(key, float("inf")), r["objective"])
    pyvrp = {
        (r["set"], r["instance"], r["time_limit_s"], r["workers"]): r["objective"]
        for r in recs
        if r["engine"] == "pyvrp" and r["feasible"]
    }
    groups = defaultdict(list)
    for r in recs:
        groups[r["set"], r["engine"], r["time_limit_s"], r["workers"]].append(r)
    print("| set | engine | limit | workers | runs | feasible | mean | worst | ÷ pyvrp | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, engine, limit, workers), rows in sorted(groups.items()):
        ok = [r for r in rows if r["feasible"]]
        scores = [_score(r, bks, best) for r in ok]
        ratios = [
            r["objective"] / pyvrp[key]
            for r in ok
            if (key := (name, r["instance"], limit, workers)) in pyvrp
        ]
        unit = " %" if name == "solomon" else "×"
        print(
            f"| {name} | {engine} | {limit:g} s | {workers} | {len(rows)} | "
            f"{len(ok)}/{len(rows)} | {_fmt(scores, statistics.fmean, unit)} | "
            f"{_fmt(scores, max, unit)} | {_fmt(ratios, statistics.fmean, '×')} | "
            f"{statistics.fmean(r['load'] for r in rows):.1f} |"
        )
    families(recs, bks)


def families(recs: list[dict], bks: dict[str, float]) -> None:
    """Solomon gaps per family (mean %, worst instance, instances at the BKS)."""
    names = ("C1", "C2", "R1", "R2", "RC1", "RC2")
    print("\n| engine | limit | workers | at BKS | worst | " + " | ".join(names) + " |")
    print("|---|---|---|---|---|" + "---|" * len(names))
    groups = defaultdict(list)
    for r in recs:
        if r["set"] == "solomon" and r["feasible"]:
            groups[r["engine"], r["time_limit_s"], r["workers"]].append(r)
    for (engine, limit, workers), rows in sorted(groups.items()):
        gap = {r["instance"]: 100 * (r["distance"] / bks[r["instance"]] - 1) for r in rows}
        worst = max(gap, key=gap.get)
        means = [
            statistics.fmean([g for i, g in gap.items() if i[:-2] == f] or [float("nan")])
            for f in names
        ]
        print(
            f"| {engine} | {limit:g} s | {workers} | {sum(g < 0.005 for g in gap.values())} | "
            f"{gap[worst]:.2f} % ({worst}) | " + " | ".join(f"{m:.2f}" for m in means) + " |"
        )


def _fmt(values: list[float], how, unit: str) -> str:
    return f"{how(values):.3f}{unit}" if values else "-"


def main() -> None:
    """Parse arguments and run a sub-command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH_DIR, help="benchmarks/vrp folder")
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run", help="solve a set of instances")
    go.add_argument("--set", choices=["solomon", "blood", "blood-mixed"], required=True)
    go.add_argument("--engine", action="append", choices=ENGINE_NAMES, required=True)
    go.add_argument("--time-limit", type=float, default=10.0, help="seconds per solve")
    go.add_argument("--workers", type=int, default=1, help="parallel searches per solve")
    go.add_argument("--instances", nargs="*", help="instance names (default: the whole set)")
    go.add_argument("--out", type=Path, required=True, help="append JSON lines here")
    show = sub.add_parser("summary", help="tabulate JSON lines")
    show.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    run(args) if args.command == "run" else summary(args)


if __name__ == "__main__":
    main()
