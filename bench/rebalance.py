"""Benchmark: one provincial rebalancing decision, 11 stations × 32 items × 5 expiry buckets.

Items are 4 products (RBC, PLT, FFP, CRYO) × 8 ABO/RhD groups. The instance is random but
seeded: station sizes vary (lognormal), each station holds 1-12 days of supply per item
(peaks and valleys), and stock is spread over the buckets by product age profile.
Prints the solve time, status, units moved, shipments and the cost against doing nothing
and against the greedy fallback. Record results in bench/RESULTS.md (date, machine).

    python bench/rebalance.py                       # seed 0, 5 s limit
    python bench/rebalance.py --seeds 0 1 2 3 4 --time-limit 10
    python bench/rebalance.py --method flow         # the min-cost flow instead of CP-SAT
    python bench/rebalance.py --zhejiang 20         # the real nightly problems of the baseline

``--zhejiang DAYS`` runs the Zhejiang baseline for DAYS days with optimized rebalancing,
keeps every night's problem, and prints per night the flow's solve time and cost against
CP-SAT's (work limit 0.5, as the policy used before the flow) on the same problem.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from optimizer.rebalance import (
    RebalancingProblem,
    find_violations,
    greedy_moves,
    plan_cost,
    solve_rebalancing,
)

BUCKET_DAYS = [2.0, 5.0, 10.0, 20.0, 35.0]
GROUPS = {"O+": 0.3406, "A+": 0.2859, "B+": 0.2807, "AB+": 0.0888,
          "O-": 0.0014, "A-": 0.0011, "B-": 0.0011, "AB-": 0.0004}
"""ABO shares from facts.md §2.1 (national), × 99.6 % RhD+ / 0.4 % RhD− (§2.2)."""
PRODUCTS = {
    # name: (U/day per station at mean size, target days, safety days, stock share per bucket)
    "RBC": (185.0, 7.0, 3.0, [0.05, 0.10, 0.20, 0.35, 0.30]),  # Hubei 1.078 M U/yr / 16
    "PLT": (21.0, 3.0, 1.0, [0.45, 0.55, 0.0, 0.0, 0.0]),  # Hubei 124 k doses/yr / 16
    "FFP": (150.0, 14.0, 7.0, [0.0, 0.0, 0.02, 0.08, 0.90]),  # assumed; long-dated
    "CRYO": (55.0, 14.0, 7.0, [0.0, 0.0, 0.02, 0.08, 0.90]),  # assumed; long-dated
}


def make_instance(seed: int, n: int = 11) -> RebalancingProblem:
    """Seeded random province: 11 stations in a 300 × 300 km square, vans at 46 km/h net."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    items = [f"{p} {g}" for p in PRODUCTS for g in GROUPS]
    size = rng.lognormal(0.0, 0.5, size=n)
    mean = np.array([PRODUCTS[p][0] * s for p in PRODUCTS for s in GROUPS.values()])
    demand = size[:, None] * mean[None, :] * rng.uniform(0.8, 1.2, size=(n, len(items)))
    days_held = rng.uniform(1.0, 12.0, size=demand.shape)
    profile = np.array([PRODUCTS[p][3] for p in PRODUCTS for _ in GROUPS])
    on_hand = np.floor(demand[:, :, None] * days_held[:, :, None] * profile[None])
    xy = rng.uniform(0, 300, size=(n, 2))
    km = 1.3 * np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    return RebalancingProblem(
        stations=tuple(f"BS{i:02d}" for i in range(n)), items=tuple(items),
        bucket_days=BUCKET_DAYS, on_hand=on_hand, daily_demand=demand,
        target_days=np.array([PRODUCTS[p][1] for p in PRODUCTS for _ in GROUPS]),
        safety_days=np.array([PRODUCTS[p][2] for p in PRODUCTS for _ in GROUPS]),
        ship_cost=300.0 + 3.0 * km, unit_cost=np.full((n, n), 2.0),
        ship_minutes=km / 46.0 * 60.0, horizon_days=3.0, max_ship_minutes=240.0,
        min_transfer_u=10, shortage_penalty=200.0, outdate_penalty=300.0, safety_penalty=100.0,
    )


def bench(seed: int, time_limit_s: float, work_limit: float | None, method: str) -> None:
    problem = make_instance(seed)
    plan = solve_rebalancing(problem, time_limit_s=time_limit_s, seed=seed,
                             work_limit=work_limit, method=method)
    nothing = plan_cost(problem, np.zeros_like(greedy_moves(problem))).total
    greedy = plan_cost(problem, greedy_moves(problem)).total
    valid = "valid" if not find_violations(problem, plan) else "INVALID"
    print(f"seed {seed}: {plan.solve_time_s:6.2f} s  {plan.status:8s} "
          f"moved {plan.units_moved:6d} U in {plan.shipments:3d} shipments  "
          f"cost {plan.objective:11,.0f} yuan (nothing {nothing:11,.0f}, greedy "
          f"{greedy:11,.0f})  {valid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds per solve")
    parser.add_argument("--work-limit", type=float, default=None,
                        help="CP-SAT deterministic time limit (reproducible runs)")
    parser.add_argument("--method", default="cpsat", choices=["auto", "flow", "cpsat"])
    parser.add_argument("--zhejiang", type=int, default=0, metavar="DAYS",
                        help="time the baseline's nightly problems over DAYS days instead")
    args = parser.parse_args()
    if args.zhejiang:
        zhejiang_nights(args.zhejiang)
        return
    n, k, b = make_instance(args.seeds[0]).shape
    print(f"{n} stations × {k} items × {b} buckets; time limit {args.time_limit} s; "
          f"Python {platform.python_version()}, {platform.machine()}")
    start = time.perf_counter()
    for seed in args.seeds:
        bench(seed, args.time_limit, args.work_limit, args.method)
    print(f"total {time.perf_counter() - start:.1f} s")


def zhejiang_nights(days: int) -> None:
    """Flow against CP-SAT on the baseline's own nightly problems (policy: 13 shipments)."""
    import optimizer.rebalance as rebalance
    from sim.execution.runner import run
    from sim.policies.rebalancing import MAX_TRANSFERS

    problems, real = [], rebalance.solve_rebalancing

    def keep(problem, **kwargs):
        problems.append(problem)
        return real(problem, **kwargs)

    rebalance.solve_rebalancing = keep
    start = time.perf_counter()
    run("scenarios/zhejiang_baseline.yaml", days=days, policies={"rebalancing": "optimized"})
    print(f"{days} days simulated in {time.perf_counter() - start:.1f} s; "
          f"{problems[0].shape} stations × items × buckets; Python "
          f"{platform.python_version()}, {platform.machine()}")
    flow_s, gaps = [], []
    for night, problem in enumerate(problems):
        flow = real(problem, max_transfers=MAX_TRANSFERS, method="flow")
        exact = real(problem, max_transfers=MAX_TRANSFERS, method="cpsat", work_limit=0.5,
                     time_limit_s=30.0)
        flow_s.append(flow.solve_time_s)
        gaps.append(flow.objective - exact.objective)
        print(f"night {night:3d}: flow {1000 * flow.solve_time_s:6.1f} ms {flow.units_moved:5d} U "
              f"{flow.shipments:2d} shipments {flow.objective:12,.0f} yuan | CP-SAT "
              f"{exact.solve_time_s:5.2f} s {exact.status:8s} {exact.objective:12,.0f} yuan")
    print(f"flow per night: median {1000 * np.median(flow_s):.1f} ms, max "
          f"{1000 * max(flow_s):.1f} ms; cost above CP-SAT: median {np.median(gaps):,.0f} "
          f"yuan, max {max(gaps):,.0f} yuan")


if __name__ == "__main__":
    main()
