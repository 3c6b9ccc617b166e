"""The scenario files shipped inside the package (``scenarios/``), for ``bloodflow demo``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

DEFAULT_SCENARIO = "zhejiang_baseline.yaml"


@contextlib.contextmanager
def default_scenario(path: Path | None) -> Iterator[Path]:
    """Yield ``path``, or the embedded default scenario when ``path`` is None.

    The default is read from the installed package, so ``bloodflow demo`` works from any
    folder, not only from a checkout.
    """
    if path is not None:
        yield path
        return
    with as_file(files("scenarios") / DEFAULT_SCENARIO) as embedded:
        yield embedded
