"""``bloodflow map RUN_DIR``: write the offline HTML map of a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def map_command(
    run_dir: Annotated[Path, typer.Argument(help="run folder written by `bloodflow run`")],
    out: Annotated[
        Path | None, typer.Option(help="HTML file to write (default RUN_DIR/map.html)")
    ] = None,
    day: Annotated[
        int | None, typer.Option(help="day the time slider plays, 0-based (default 0)")
    ] = None,
) -> None:
    """Write an HTML map of a run (sites, legs, no-fly zones, time slider); works offline."""
    from sim.cli import fail
    from sim.cli import out as console
    from sim.maps import MapError, write_map

    try:
        written = write_map(run_dir, out, day=day)
    except MapError as exc:
        fail([str(exc)])
    console.print(f"Map written to {written}", markup=False, highlight=False)
