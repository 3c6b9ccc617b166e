"""Benchmark: emergency dispatch latency of the travel oracle on the Zhejiang region.

Builds :class:`optimizer.network.TravelOracle` with the default fleet (drones 5 kg, 15 km,
55 km/h, 5 min turnaround; rail hand-over 12 min, 06:30-22:00 every 30 min), then times random
``fastest`` requests from a blood station (or the blood centre) to a hospital at a random time
in the first week. Prints mean / p50 / p99 latency (ms) and the share of requests won by each
mode label. Record results in bench/RESULTS.md (date, machine).

    python bench/dispatch_latency.py
    python bench/dispatch_latency.py --requests 5000 --seed 1
"""

from __future__ import annotations

import argparse
import platform
import time
from collections import Counter

import numpy as np

from geodata import load_region
from optimizer.network import DroneParams, RailParams, TravelOracle

DRONES = DroneParams(payload_kg=5.0, range_km=15.0, cruise_kmh=55.0, turnaround_min=5.0)
RAIL = RailParams(handover_min=12.0, first_departure_h=6.5, last_departure_h=22.0, headway_min=30)


def requests(region, n: int, seed: int) -> list[tuple[int, int, float]]:
    """``n`` random (station position, hospital position, time in minutes) triples."""
    kind = region.sites["kind"].to_numpy()
    stations = np.flatnonzero(np.isin(kind, ["blood_station", "blood_center"]))
    hospitals = np.flatnonzero(kind == "hospital")
    rng = np.random.default_rng(seed)
    origin = rng.choice(stations, size=n)
    dest = rng.choice(hospitals, size=n)
    when = rng.uniform(0.0, 7 * 1440.0, size=n)
    return [(int(o), int(d), float(t)) for o, d, t in zip(origin, dest, when, strict=True)]


def time_requests(
    oracle: TravelOracle, batch: list[tuple[int, int, float]]
) -> tuple[np.ndarray, Counter]:
    """Latency of each request (ms) and the count of winning mode labels."""
    latency = np.empty(len(batch))
    modes: Counter = Counter()
    for k, (o, d, t) in enumerate(batch):
        t0 = time.perf_counter()
        route = oracle.fastest(o, d, t)
        latency[k] = (time.perf_counter() - t0) * 1000.0
        modes[route.modes] += 1
    return latency, modes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    region = load_region("zhejiang")
    t0 = time.perf_counter()
    oracle = TravelOracle.from_region(region, DRONES, RAIL)
    build_s = time.perf_counter() - t0
    batch = requests(region, args.requests, args.seed)
    oracle.fastest(*batch[0])  # warm-up (first-call imports and caches)
    latency, modes = time_requests(oracle, batch)

    print(f"python {platform.python_version()} on {platform.machine()}, {len(batch)} requests")
    print(f"oracle build: {build_s * 1000:.0f} ms")
    print(
        f"latency ms: mean {latency.mean():.3f}  p50 {np.percentile(latency, 50):.3f}  "
        f"p99 {np.percentile(latency, 99):.3f}  max {latency.max():.3f}"
    )
    for label, count in modes.most_common():
        print(f"  {label:<18} {count / len(batch):6.1%}")


if __name__ == "__main__":
    main()
