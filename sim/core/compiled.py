"""bloodflow's compiled modules (``sim.state.fefo_core``, ``sim.state.ledger_core``,
``sim.processes.issue_core``, ``sim.core.draws_core``): found or not, and wanted or not.

Each compiled module has a pure-Python twin that gives the same results. The twin runs
where the module is not built (no C compiler at install) or where
``BLOODFLOW_PURE_PYTHON`` is set. A module built from an older ``.pyx`` than the one beside
it (edited or pulled without rebuilding) is an error with the command that fixes it, not a
silent mix of old and new code.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

PURE_PYTHON = "BLOODFLOW_PURE_PYTHON"
"""Environment variable: set (to anything but empty) to run the pure-Python twins."""


class StaleBuildError(ImportError):
    """A compiled module is older than its ``.pyx`` source."""


def built(name: str, package: str = "sim.state") -> ModuleType | None:
    """The compiled module ``<package>.<name>``, or None where it is not built or not
    wanted (``BLOODFLOW_PURE_PYTHON`` is set).

    Raises
    ------
    StaleBuildError
        If its ``.pyx`` source beside it is newer than the built module.
    """
    if not wanted():
        return None
    try:
        module = importlib.import_module(f"{package}.{name}")
    except ImportError:
        return None
    built_file = Path(module.__file__)
    check_fresh(built_file, built_file.with_name(f"{name}.pyx"))
    return module


def wanted() -> bool:
    """Whether compiled modules may run (``BLOODFLOW_PURE_PYTHON`` is not set)."""
    return not os.environ.get(PURE_PYTHON)


def check_fresh(built_file: Path, source: Path) -> None:
    """Raise :class:`StaleBuildError` if ``source`` exists and is newer than ``built_file``
    (an installed wheel carries no source: nothing to check)."""
    if source.exists() and source.stat().st_mtime > built_file.stat().st_mtime:
        raise StaleBuildError(
            f"{built_file.name} was built before {source} last changed: rebuild it with "
            f"`make` or `pip install -e .`, or set {PURE_PYTHON}=1 to run without it"
        )
