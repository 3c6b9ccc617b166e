"""``bloodflow validate FILE...``: check scenario files without running them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import fail, out
from sim.scenario import ScenarioError, load_scenario


def validate_command(
    files: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
) -> None:
    """Check scenario files; print "ok" per good file, one line per problem otherwise."""
    failed: list[str] = []
    for file in files:
        try:
            load_scenario(file)
        except ScenarioError as exc:
            failed.extend(p.line(str(file)) for p in exc.problems)
            continue
        out.print(f"{file}: ok", markup=False, highlight=False, soft_wrap=True)
    if failed:
        fail(failed)
