"""The last line of defence of the ``bloodflow`` command: signals, user errors, internal errors.

- SIGTERM and SIGHUP raise :class:`Stopped`, so every ``finally`` runs and staging folders are
  removed (``sim.execution.output_folder``); the command exits with 128 + the signal number.
- An expected error that a command did not catch itself still becomes one clear line (exit 2).
- Anything else is a bug: one line says so and names a log file with the traceback (exit 70).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from geodata.errors import GeodataError
from optimizer.errors import InvalidProblem, UnsupportedProblem
from optimizer.network.osm import RoadGraphError
from sim.cli.console import err, fail
from sim.compare.errors import CompareError
from sim.core.errors import RunError
from sim.execution.output_folder import OutputFolderError
from sim.maps.errors import MapError
from sim.reports.errors import ReportError
from sim.scenario import ScenarioError

P = ParamSpec("P")
R = TypeVar("R")
USER_ERRORS = (
    GeodataError,
    InvalidProblem,
    UnsupportedProblem,
    RoadGraphError,
    CompareError,
    RunError,
    MapError,
    OutputFolderError,
    ReportError,
)
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE of sysexits.h


class Stopped(BaseException):
    """The process received SIGTERM or SIGHUP (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)  # args stay (signum,): copies made as type(exc)(*args) work
        self.signum = signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def guarded(command: Callable[[], object]) -> None:
    """Run ``command`` (a Typer app) and turn every escaping exception into an exit status."""
    _stop_on_signals()
    try:
        command()
    except Stopped as exc:
        _say(f"bloodflow: stopped by {exc}; nothing was written")
        sys.exit(128 + exc.signum)
    except Exception as exc:  # noqa: BLE001 - the one place that reports every failure
        lines = user_error_lines(exc)
        if lines:
            for line in lines:
                _say(line)
            sys.exit(EXIT_USER_ERROR)
        _say(internal_error_line(exc, write_log(exc)))
        sys.exit(EXIT_INTERNAL_ERROR)


def reports_user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so that an expected error it did not catch becomes one line (exit 2).

    Commands catch their own errors first, to add context (the scenario file); this is the
    fallback for the rest, e.g. an ``OSError`` for a path that is too long.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            lines = user_error_lines(exc)
            if lines is None:
                raise
            fail(lines, EXIT_USER_ERROR)
            raise  # unreachable: fail() exits

    return wrapper


def user_error_lines(exc: BaseException) -> list[str] | None:
    """The lines a user sees for an expected error, or None if ``exc`` is not one."""
    if isinstance(exc, ScenarioError):
        return [problem.line(exc.file) for problem in exc.problems]
    if isinstance(exc, USER_ERRORS):
        return [str(exc)]
    if isinstance(exc, OSError) and exc.filename is not None:
        return [f"{exc.filename}: {exc.strerror or exc}"]
    return None


def internal_error_line(exc: BaseException, log: Path | None) -> str:
    """One line for a bug: what broke and where the traceback went."""
    where = f"the traceback is in {log}" if log else "no log could be written"
    summary = f"{type(exc).__name__}: {exc}"[:300]
    return f"bloodflow: internal error ({summary}). This is a bug, not your input; {where}"


def write_log(exc: BaseException) -> Path | None:
    """Write the traceback of ``exc`` to a new file in the temporary folder; None if impossible."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(exc))
    try:
        handle, name = tempfile.mkstemp(prefix=f"bloodflow-error-{stamp}-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as log:
            log.write(f"bloodflow {' '.join(sys.argv[1:])}\n{text}")
    except OSError:
        return None
    return Path(name)


def _stop_on_signals() -> None:
    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _say(line: str) -> None:
    err.print(line, markup=False, highlight=False, soft_wrap=True)
