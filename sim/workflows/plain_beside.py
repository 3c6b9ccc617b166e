"""The plain counterfactual, simulated in a second process while the scenario's own run goes on.

``bloodflow demo`` runs a year with the scenario's policies and then tells what they bought
against plain ones (:mod:`sim.workflows.policy_value`). The two runs share nothing but their
inputs, so on a machine with two cores they can run side by side and the demo takes about as
long as its longer run instead of the sum of both.

The second process simulates exactly what :func:`~sim.workflows.policy_value.policy_value`
simulates in-process: the same scenario object (sent pickled, so a file edited meanwhile does not
matter), the same seed and horizon, :data:`~sim.workflows.policy_value.PLAIN_POLICIES`. Runs are
deterministic for a seed in any process, so the figures are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from sim.core.errors import RunError
from sim.execution.runner import run
from sim.scenario import LoadedScenario
from sim.workflows.policy_value import PLAIN_POLICIES, PolicyValue, pair_values

_POLL_S = 0.2
"""How often a wait for the plain run checks its progress, seconds."""

ROOM_FOR_TWO_MB = 2048
"""Memory two province-year runs need side by side, MB (each peaks at ~0.9 GB:
``bench/RESULTS.md``, the demo at the end of the eighth session)."""


def room_for_beside(meminfo: Path = Path("/proc/meminfo")) -> bool:
    """Whether a second run beside this one pays: two or more cores, and at least
    :data:`ROOM_FOR_TWO_MB` of memory available (``MemAvailable``; assumed there where the
    system does not say)."""
    if (os.cpu_count() or 1) < 2:
        return False
    available_mb = _available_mb(meminfo)
    return available_mb is None or available_mb >= ROOM_FOR_TWO_MB


def _available_mb(meminfo: Path) -> float | None:
    try:
        lines = meminfo.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, _, value = line.partition(":")
        fields = value.split()
        if name == "MemAvailable" and fields and fields[0].isdigit():
            return int(fields[0]) / 1024  # kB -> MB
    return None


class PlainRunBeside:
    """The plain counterfactual of ``loaded`` running in a child process.

    Use it as a context manager: leaving the block stops the child if it is still running
    (an interrupted demo leaves no simulation behind).

    Parameters
    ----------
    loaded
        The scenario whose policies are valued.
    seed, days
        As given to the run with the scenario's policies (``None``: the scenario's).
    """

    def __init__(
        self, loaded: LoadedScenario, *, seed: int | None = None, days: int | None = None
    ) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self._days: multiprocessing.Queue = context.Queue()
        self._answer, answer_end = context.Pipe(duplex=False)
        self._done = 0
        self._kpis: Mapping[str, Any] | None = None
        self._total = days or loaded.scenario.days
        self._process = context.Process(
            target=_simulate_plain,
            args=(loaded, seed, days, self._days, answer_end),
            name="bloodflow-plain-run",
            daemon=True,
        )
        self._process.start()
        answer_end.close()

    def __enter__(self) -> PlainRunBeside:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def progress(self) -> tuple[int, int]:
        """``(days simulated, days in the horizon)`` of the plain run so far."""
        while True:
            try:
                self._done, self._total = self._days.get_nowait()
            except queue.Empty:
                return self._done, self._total

    def wait(self, timeout: float = _POLL_S) -> bool:
        """Wait up to ``timeout`` seconds for the plain run to end; whether it has."""
        return self._answer.poll(timeout) or not self._process.is_alive()

    def kpis(self) -> Mapping[str, Any]:
        """The plain run's KPIs (blocks until it ends).

        Raises
        ------
        RunError
            If the plain run failed or its process ended without an answer.
        """
        if self._kpis is None:
            self._kpis = self._receive()
        return self._kpis

    def _receive(self) -> Mapping[str, Any]:
        try:
            kind, payload = self._answer.recv()
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            raise RunError(
                f"the plain counterfactual run ended without results (exit code {code})"
            ) from None
        if kind == "error":
            raise RunError(f"the plain counterfactual run failed: {payload}")
        return payload

    def values(self, kpis: Mapping[str, Any]) -> list[PolicyValue]:
        """Pair the KPIs of the run with the scenario's policies with the plain run's."""
        return pair_values(kpis, self.kpis())

    def close(self) -> None:
        """Stop the child process if it still runs and release its pipe and queue."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answer.close()
        self._days.close()
        self._days.join_thread()


def _simulate_plain(
    loaded: LoadedScenario,
    seed: int | None,
    days: int | None,
    progress: multiprocessing.Queue,
    answer: Any,
) -> None:
    """Child process: simulate the plain run, report each day, send back its KPIs or error."""

    def on_day(done: int, total: int) -> None:
        progress.put((done, total))

    try:
        plain = run(loaded, seed=seed, days=days, policies=PLAIN_POLICIES, on_day=on_day)
        answer.send(("kpis", plain.kpis))
    except Exception as exc:  # every failure goes back to the parent as one line
        answer.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        answer.close()
        progress.close()
        progress.join_thread()
