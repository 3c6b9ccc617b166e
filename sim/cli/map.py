"""``bloodflow map RUN_DIR``: write the offline HTML map of a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import fail
from sim.cli.console import out as console
from sim.maps import MapError, write_map


def map_command(
    run_dir: Annotated[Path, typer.Argument(help="run folder written by `bloodflow run`")],
    out: Annotated[
        Path | None,
        typer.Option(
            help="HTML file to write (default RUN_DIR/map.html, which replaces an earlier map); "
            "a file that is not a bloodflow map is never replaced"
        ),
    ] = None,
    day: Annotated[
        int | None, typer.Option(help="day the time slider plays, 0-based (default 0)")
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="replace --out if it is an earlier bloodflow map (no other file)"
        ),
    ] = False,
) -> None:
    """Write an HTML map of a run (sites, legs, no-fly zones, time slider); works offline."""

    try:
        written = write_map(run_dir, out, day=day, overwrite=overwrite)
    except MapError as exc:
        fail([str(exc)])
    console.print(f"Map written to {written}", markup=False, highlight=False)
