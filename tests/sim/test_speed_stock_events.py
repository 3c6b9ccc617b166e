"""Work run from event callbacks instead of processes keeps the event order (issue 12).

Van returns (``Vans.send_back``), component separation and lab results used to be SimPy
processes that nothing waited for. They now run from event callbacks started the way a
process starts; the only change is one event fewer each (the process's end).
"""

from __future__ import annotations

import pandas as pd
import simpy

import sim.processes.blood_station as blood_station
import sim.processes.lab as lab
from sim import run
from sim.core.scheduling import start_callback
from sim.scenario.loader import load_scenario
from sim.transport.vans import Vans


def _as_process(env: simpy.Environment, callback) -> None:
    """The reference: ``callback`` as the body of a process of its own."""

    def body():
        callback(None)
        yield from ()

    env.process(body())


def _send_back_as_process(self: Vans, request, at: int, base: int) -> None:
    """The reference: the return drive as a process (as before)."""
    self.world.env.process(self.drive_back(request, at, base))


def test_start_callback_runs_where_a_process_would_start() -> None:
    def order(start) -> tuple[list[str], int]:
        env, log = simpy.Environment(), []

        def other(name: str):
            log.append(name)
            yield env.timeout(0)
            log.append(name + " again")

        env.timeout(0).callbacks.append(lambda _: log.append("timeout"))
        env.process(other("a"))
        start(env, lambda _: log.append("x"))
        env.process(other("b"))
        events = 0
        while env.peek() < float("inf"):
            env.step()
            events += 1
        return log, events

    (fast, fast_events), (slow, slow_events) = order(start_callback), order(_as_process)
    assert fast == slow == ["a", "x", "b", "timeout", "a again", "b again"]
    assert fast_events == slow_events - 1  # the reference's process end


def test_a_run_is_the_same_with_processes_less_their_end_events(tiny_scenario, monkeypatch) -> None:
    loaded = load_scenario(tiny_scenario(days=4, seed=11))
    fast = run(loaded)
    with monkeypatch.context() as patch:
        patch.setattr(blood_station, "start_callback", _as_process)
        patch.setattr(lab, "start_callback", _as_process)
        patch.setattr(Vans, "send_back", _send_back_as_process)
        slow = run(loaded)
    for name in ("ledger", "legs", "orders"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name))
    assert len(fast.legs) and (fast.legs["purpose"] == "return").any()
    fast_events = fast.kpis["simulation"]["simpy_events"]
    assert fast_events < slow.kpis["simulation"]["simpy_events"]
