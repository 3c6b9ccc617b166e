"""The direct donor queue equals the SimPy-resource queue; appointments shorten waits."""

from __future__ import annotations

import numpy as np
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import run
from sim.processes.donor_queue import serve_donors


def simpy_waits(arrive, screen, donate, deferred, staff, beds):
    """Reference: the same day served by SimPy Resources, one process per donor."""
    env = simpy.Environment()
    staff_res, bed_res = simpy.Resource(env, staff), simpy.Resource(env, beds)
    waits, done = np.zeros(len(arrive)), np.zeros(len(arrive))

    def donor(i):
        yield env.timeout(arrive[i])
        with staff_res.request() as turn:
            yield turn
            waits[i] = env.now - arrive[i]
            yield env.timeout(screen[i])
        if not deferred[i]:
            queued = env.now
            with bed_res.request() as bed:
                yield bed
                waits[i] += env.now - queued
                yield env.timeout(donate[i])
        done[i] = env.now

    for i in range(len(arrive)):
        env.process(donor(i))
    env.run()
    return waits, done


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    staff=st.integers(1, 3),
    beds=st.integers(1, 6),
    seed=st.integers(0, 2**31),
)
def test_direct_queue_matches_simpy_resources(n, staff, beds, seed):
    rng = np.random.default_rng(seed)
    arrive = np.sort(rng.uniform(0, 600, n))
    screen, donate = rng.exponential(8, n), rng.gamma(4, 3, n)
    deferred = rng.random(n) < 0.15
    wait, done = serve_donors(arrive, screen, donate, deferred, staff, beds)
    ref_wait, ref_done = simpy_waits(arrive, screen, donate, deferred, staff, beds)
    np.testing.assert_allclose(wait, ref_wait, atol=1e-9)
    np.testing.assert_allclose(done, ref_done, atol=1e-9)


def test_nobody_waits_with_enough_servers():
    arrive = np.array([0.0, 100.0, 200.0])
    wait, done = serve_donors(
        arrive, np.full(3, 5.0), np.full(3, 10.0), np.array([False, True, False]), staff=1, beds=1
    )
    assert wait.tolist() == [0.0, 0.0, 0.0]
    assert done.tolist() == [15.0, 105.0, 215.0]  # the deferred donor leaves after screening


BUSY = """\
supply:
  donors_per_house_per_day: 100
  queue: {{mode: {mode}, engine: {engine}, staff: 2}}
"""


def _busy(tiny_scenario, days: int, seed: int, mode: str, engine: str):
    """The tiny world with a busy donation house: its ``supply`` section replaced whole."""
    path = tiny_scenario(days=days, seed=seed)
    text = path.read_text(encoding="utf-8")
    start = text.index("supply:\n")
    end = text.index("demand:\n")
    busy = path.with_name(f"busy_{mode}_{engine}_{path.name}")
    busy.write_text(text[:start] + BUSY.format(mode=mode, engine=engine) + text[end:], "utf-8")
    return busy


def test_appointments_cut_donor_waiting(tiny_scenario):
    walk_in = run(_busy(tiny_scenario, 3, 5, "walk_in", "direct"))
    booked = run(_busy(tiny_scenario, 3, 5, "appointment", "direct"))
    assert booked.kpis["donor_wait_min"]["mean"] < 0.5 * walk_in.kpis["donor_wait_min"]["mean"]


def test_both_engines_give_the_same_run(tiny_scenario):
    direct = run(_busy(tiny_scenario, 2, 9, "walk_in", "direct"))
    process = run(_busy(tiny_scenario, 2, 9, "walk_in", "simpy"))
    assert direct.kpis["donor_wait_min"] == process.kpis["donor_wait_min"]
    assert direct.kpis["units_collected"] == process.kpis["units_collected"]
