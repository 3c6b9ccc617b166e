"""The consoles every command prints to, and the one way a command reports user errors."""

from __future__ import annotations

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)


def fail(lines: list[str], code: int = 2) -> None:
    """Print user-facing error lines to stderr and exit with ``code``.

    Lines are printed verbatim (no rich markup), one per problem, so text from files is shown
    exactly as written.
    """
    for line in lines:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)
