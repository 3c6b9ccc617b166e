"""Fast source ranking against plain reference implementations (issue 12: same answers).

- the oracle's answer with the rail-chain bound equals the full search over every chain;
- the bounds never exceed an exact travel time;
- multimodal dispatch's lazy ranking equals sorting every candidate by the oracle's arrival,
  and leaving out the too-far candidates only removes them;
- the lazy escalation walk equals :func:`escalation_order` (one region and two regions).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.network import NoRoute, Route, TravelOracle
from optimizer.network.bounds import TravelBounds
from sim.build import make_world
from sim.policies.dispatch import Multimodal
from sim.processes.orders import _escalation, _local_sources, escalation_order
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
ALL = frozenset({"van", "drone", "rail"})
MODES = st.sampled_from(
    [ALL, frozenset({"van", "rail"}), frozenset({"van"}), frozenset({"drone", "rail"})]
)
SETTINGS = settings(max_examples=60, deadline=None)


def _world(name: str):
    loaded = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    return make_world(loaded.scenario, loaded.region, 1)


@pytest.fixture(scope="module")
def zhejiang():
    return _world("zhejiang_baseline")


@pytest.fixture(scope="module")
def delta():
    return _world("delta_mutual_aid")


def reference_fastest(oracle: TravelOracle, o: int, d: int, t: float, modes, grounded) -> Route:
    """The oracle's search before the bound: every chain evaluated, fastest first."""
    chains = oracle._chains(o, d, t, modes).ravel() if "rail" in modes else np.empty(0)
    arrivals = np.concatenate([oracle._direct(o, d, t, modes), chains])
    ranked = sorted(range(len(arrivals)), key=arrivals.__getitem__)  # stable: ties by index
    for index in [i for i in ranked if np.isfinite(arrivals[i])]:
        legs = oracle._legs(index, o, d, t)
        if all(not grounded(leg.depart_min, leg.arrive_min) for leg in legs if leg.mode == "drone"):
            return Route.of(legs, oracle._arrival(legs))
    raise NoRoute("none")


def _grounding(windows):
    return lambda t0, t1: any(a < t1 and t0 < b for a, b in windows)


def _oracle(zhejiang, closed: bool) -> TravelOracle:
    if not closed:
        return zhejiang.oracle
    lonlat = zhejiang.oracle.site_lonlat
    mask = (lonlat[:, None, 0] > 120.5) != (lonlat[None, :, 0] > 120.5)  # a meridian cut
    return zhejiang.oracle.with_closed_roads(mask, 2.5)


@SETTINGS
@given(
    pair=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
    t=st.floats(0.0, 4 * 1440.0),
    modes=MODES,
    windows=st.lists(st.tuples(st.floats(0, 5760), st.floats(1, 600)), max_size=3),
    closed=st.booleans(),
)
def test_fastest_equals_the_full_search(zhejiang, pair, t, modes, windows, closed) -> None:
    oracle = _oracle(zhejiang, closed)
    n = len(oracle.site_lonlat)
    o, d = pair[0] % n, pair[1] % n
    grounded = _grounding([(a, a + w) for a, w in windows])
    if o == d:
        assert oracle.fastest(o, d, t, modes=modes).arrival_min == t
        return
    try:
        expected = reference_fastest(oracle, o, d, t, modes, grounded)
    except NoRoute:
        with pytest.raises(NoRoute):
            oracle.fastest(o, d, t, modes=modes, drone_grounded=grounded)
        return
    got = oracle.fastest(o, d, t, modes=modes, drone_grounded=grounded)
    assert got == expected
    bound = oracle.bounds.travel(np.array([o]), d)[0]
    assert got.arrival_min >= t + bound


@SETTINGS
@given(o=st.integers(0, 10**6), d=st.integers(0, 10**6), t=st.floats(0.0, 3 * 1440.0))
def test_chain_bound_is_below_every_chain(zhejiang, o, d, t) -> None:
    oracle = zhejiang.oracle
    n = len(oracle.site_lonlat)
    o, d = o % n, d % n
    chains = oracle._chains(o, d, t, ALL)
    assert np.all(chains >= t + oracle.bounds.chain(o, d))


def test_bounds_are_tight_enough_to_prune(zhejiang) -> None:
    """Not a correctness matter, but the point of the bounds: most van trips beat them."""
    bounds = TravelBounds.build(zhejiang.road, zhejiang.oracle.drones, zhejiang.oracle.rail, 5.0)
    stations = zhejiang.sites.stations
    hospital = zhejiang.sites.of_kind("hospital")[0]
    van = zhejiang.road.offpeak_minutes(stations, hospital)
    assert np.all(bounds.travel(stations, hospital) <= van)
    assert np.mean(bounds.travel(stations, hospital) >= 0.5 * van) > 0.5


def reference_rank(world, hospital: int) -> list[int]:
    """Every candidate (stations, then the 6 nearest hospitals by road) timed and sorted."""
    others = world.sites.of_kind("hospital")
    others = others[others != hospital]
    minutes = world.road.offpeak_minutes(others, hospital)
    near = others[np.argsort(minutes, kind="stable")][:6]
    candidates = [int(s) for s in world.sites.stations] + [int(h) for h in near]
    arrival = {s: Multimodal._route(world, s, hospital, ALL).arrival_min for s in candidates}
    return sorted(candidates, key=lambda s: arrival[s])


@settings(max_examples=15, deadline=None)
@given(
    steps=st.lists(st.floats(0.0, 600.0), min_size=1, max_size=4),
    picks=st.lists(st.integers(0, 10**6), min_size=3, max_size=3),
    within=st.sampled_from([np.inf, 240.0, 90.0, 30.0]),
)
def test_lazy_ranking_equals_sorting_every_candidate(zhejiang, steps, picks, within) -> None:
    hospitals = zhejiang.sites.of_kind("hospital")
    policy = Multimodal()
    for step in steps:
        zhejiang.env.run(until=zhejiang.env.now + step + 1e-3)
        for pick in picks:
            h = int(hospitals[pick % len(hospitals)])
            expected = reference_rank(zhejiang, h)
            assert policy.rank_sources(zhejiang, h) == expected
            far = zhejiang.road.offpeak_minutes(np.array(expected), h) > within
            kept = [s for s, out in zip(expected, far, strict=True) if not out]
            assert list(policy.sources(zhejiang, h, within)) == kept
            first = next(iter(Multimodal().sources(zhejiang, h, within)), None)
            assert first == (kept[0] if kept else None)


def test_reading_only_the_first_source_times_few_candidates(zhejiang) -> None:
    policy = Multimodal()
    hospitals = zhejiang.sites.of_kind("hospital")[:40]
    for h in hospitals:
        next(policy.sources(zhejiang, int(h)))
    candidates = len(zhejiang.sites.stations) + Multimodal.lateral_hospitals
    assert len(policy._arrival) < 0.5 * candidates * len(hospitals)


@pytest.mark.parametrize("name", ["zhejiang", "delta"])
def test_lazy_escalation_equals_escalation_order(name, request) -> None:
    world = request.getfixturevalue(name)
    for h in world.sites.of_kind("hospital")[::7]:
        h = int(h)
        local = _local_sources(world, h)
        ranked = world.dispatch.rank_sources(world, h)
        assert list(_escalation(world, h, local, iter(ranked))) == escalation_order(world, h)
