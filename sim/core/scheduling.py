"""SimPy scheduling helpers: work that waits for nothing, without a process of its own."""

from __future__ import annotations

from collections.abc import Callable

import simpy
from simpy.events import URGENT


def start_callback(env: simpy.Environment, callback: Callable[[simpy.Event], None]) -> None:
    """Run ``callback`` now, where ``env.process`` would start a process: from an urgent
    event scheduled now (as SimPy's process start is), so it runs after the events already
    due now with that priority and before the normal ones. Work that waits for nothing then
    keeps its place in the event order without a process (whose end is one more event)."""
    start = simpy.Event(env)
    start.callbacks.append(callback)
    start._ok, start._value = True, None  # noqa: SLF001 - triggered as SimPy's Initialize is
    env.schedule(start, URGENT)
