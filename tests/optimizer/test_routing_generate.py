"""Blood-delivery instance generator: deterministic, reachable, shared vs mixed limits."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.routing.generate import blood_instance
from optimizer.routing.ride import ride_encoding
from optimizer.routing.scaling import scale_problem


def test_same_seed_same_instance_other_seed_other() -> None:
    a, b, c = blood_instance(4, hospitals=30), blood_instance(4, hospitals=30), blood_instance(5)
    assert a.clients == b.clients and np.array_equal(a.distance, b.distance)
    assert a.clients != c.clients


@pytest.mark.parametrize("seed", range(5))
def test_every_hospital_is_reachable_in_time(seed: int) -> None:
    p = blood_instance(seed, hospitals=60, mixed_ride=True)
    n = len(p.depots)
    direct = p.duration[0, :n, n:].min(axis=0)  # fastest van from any station (min)
    assert all(
        direct[i] <= c.max_ride_min and direct[i] <= c.tw_late for i, c in enumerate(p.clients)
    )
    assert all(c.delivery <= p.vehicle_types[0].capacity for c in p.clients)


def test_shared_limit_is_exact_for_pyvrp_mixed_is_not() -> None:
    shared = blood_instance(1, hospitals=40)
    mixed = blood_instance(1, hospitals=40, mixed_ride=True)
    assert ride_encoding(shared, scale_problem(shared)).exact
    assert len({c.max_ride_min for c in mixed.clients}) == 2
    assert not ride_encoding(mixed, scale_problem(mixed)).exact
