"""``bloodflow calibrate RUN_DIR``: a run's figures against published reference ranges."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from sim.calibration import CalibrationError, calibrate
from sim.calibration.table import records
from sim.calibration.text import HEADERS, cells, horizon_note
from sim.cli.console import fail, out

STYLES = {"within": "green", "below": "red", "above": "red", "not measured": "dim"}
# Column layout: figure and detail wrap and share the width; the short cells never wrap.
COLUMNS = {
    "figure": {"ratio": 3, "min_width": 24},
    "measured": {"justify": "right", "no_wrap": True},
    "reference": {"no_wrap": True},
    "verdict": {"no_wrap": True},
    "source": {"no_wrap": True},
    "detail": {"ratio": 2, "min_width": 16, "overflow": "fold"},
}


def calibrate_command(
    run_dir: Annotated[Path, typer.Argument(help="run folder written by `bloodflow run`")],
    reference: Annotated[
        Path | None,
        typer.Option(help="reference YAML file (default: the one shipped for the run's region)"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the rows as JSON instead of a table")
    ] = False,
) -> None:
    """Compare a run with published figures: measured, reference range, source, verdict.

    A report: the exit status is 0 whatever the verdicts; 2 for an unreadable run folder or
    reference file.
    """
    try:
        frame = calibrate(run_dir, reference)
    except CalibrationError as exc:
        fail(exc.lines)
    if as_json:
        typer.echo(json.dumps(records(frame), ensure_ascii=False, indent=2))
        return
    out.print(_table(frame))
    out.print(Text(horizon_note(frame)), soft_wrap=True)


def _table(frame) -> Table:
    table = Table(title=Text(f"Calibration of {frame.attrs['run_dir']}"), show_lines=True)
    for header in HEADERS:
        table.add_column(header, **COLUMNS[header])
    for row in cells(frame):
        verdict = row[3]
        table.add_row(*(Text(c, style=STYLES.get(verdict, "") if i == 3 else "")
                        for i, c in enumerate(row)))  # fmt: skip
    return table
