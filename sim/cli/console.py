"""The consoles every command prints to, and the one way a command reports user errors."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

# In a terminal Rich follows its width; piped or captured output (scripts, CI logs) would get
# Rich's 80-column default, which wraps tables and paths, so it gets a wide fixed width.
PIPED_WIDTH = 160


def _width(stream: object) -> int | None:
    isatty = getattr(stream, "isatty", None)
    return None if isatty is not None and isatty() else PIPED_WIDTH


out = Console(width=_width(sys.stdout))
err = Console(stderr=True, width=_width(sys.stderr))


def fail(lines: list[str], code: int = 2) -> None:
    """Print user-facing error lines to stderr and exit with ``code``.

    Lines are printed verbatim (no rich markup), one per problem, so text from files is shown
    exactly as written.
    """
    for line in lines:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)
