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
    urgent_first(env).callbacks.append(callback)


class Environment(simpy.Environment):
    """SimPy's environment, which can also tell whether urgent events are due now.

    One process that does the work of many (e.g. every hospital's demand block in one pass)
    keeps their order of events by letting the urgent events each part causes run before the
    next part (:func:`urgent_first`), as they would between the resumptions of many
    processes due at the same time.
    """

    def urgent_due(self) -> bool:
        """True when an urgent event (a process's start, :func:`start_callback`) is due now:
        SimPy runs those before any normal event due now."""
        queue = self._queue  # heap of (time, priority, event id, event)
        return bool(queue) and queue[0][1] == URGENT and queue[0][0] == self._now


def urgent_first(env: simpy.Environment) -> simpy.Event:
    """An urgent event due now: a process that yields it resumes after the urgent events
    already due now (and before any normal one)."""
    event = simpy.Event(env)
    event._ok, event._value = True, None  # noqa: SLF001 - triggered as SimPy's Initialize is
    env.schedule(event, URGENT)
    return event
