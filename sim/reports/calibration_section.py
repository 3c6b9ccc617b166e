"""The "Calibration against published figures" section of a run report."""

from __future__ import annotations

from pathlib import Path

from sim.calibration import CalibrationError, calibrate, shipped_regions
from sim.calibration.text import HEADERS, cells, horizon_note
from sim.reports import html

TITLE = "Calibration against published figures"


def calibration_section(run_dir: str | Path, kpis: dict) -> str | None:
    """The section comparing a run with its region's shipped reference figures, or None
    when no reference is shipped for the run's region (``kpis.json`` provenance.region).

    A run folder the measures cannot read (e.g. without ``ledger.parquet``) gets a section
    that says why, so the rest of the report is still written.
    """
    region = str((kpis.get("provenance") or {}).get("region", ""))
    if region not in shipped_regions():
        return None
    try:
        frame = calibrate(run_dir)
    except CalibrationError as exc:
        return html.section(TITLE, html.paragraph(f"Not available: {exc.lines[0]}"))
    table = html.table(HEADERS, cells(frame, quotes=True), numeric_from=len(HEADERS))
    return html.section(TITLE, table, note=horizon_note(frame))
