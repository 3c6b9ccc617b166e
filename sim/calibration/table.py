"""The calibration table of a run: every reference entry with its measured figure and verdict."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.calibration.errors import CalibrationError
from sim.calibration.measured import Measured
from sim.calibration.reference import (
    Entry,
    Reference,
    load_reference,
    shipped_reference,
    shipped_regions,
)
from sim.calibration.registry import MEASURES
from sim.calibration.run_folder import RunData, read_run
from sim.scenario.problems import short

DAYS_PER_YEAR = 365.0
VERDICTS = ("within", "below", "above", "not measured", "reported")
COLUMNS = ["id", "description", "measure", "role", "measured", "unit", "low", "high", "verdict",
           "detail", "scale", "reference_low", "reference_high", "source", "quote"]  # fmt: skip


def calibrate(run_dir: str | Path, reference: str | Path | Reference | None = None) -> pd.DataFrame:
    """Compare a run folder with published figures: one row per reference entry.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``bloodflow run``.
    reference : str, Path or Reference, optional
        A reference file (or a loaded one); default: the file shipped for the run's region
        (``kpis.json`` ``provenance.region``).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``measured`` in ``unit`` (NaN when not measured, with the
        reason in ``detail``); ``low``/``high`` the reference range for this run's horizon
        (annual figures scaled by measured days / 365; ``reference_low``/``reference_high``
        as in the file); ``verdict`` one of :data:`VERDICTS`. ``attrs`` holds ``run_dir``,
        ``days`` (measured days) and ``reference`` (its title).

    Raises
    ------
    CalibrationError
        If the run folder or the reference file cannot be read, or no reference is shipped
        for the run's region and none is given.
    """
    run = read_run(run_dir)
    ref = _reference(run, reference)
    frame = pd.DataFrame([_row(entry, run) for entry in ref.entries], columns=COLUMNS)
    frame.attrs.update(run_dir=str(run.folder), days=run.days, reference=ref.title)
    return frame


def verdict(value: float | None, low: float | None, high: float | None, role: str) -> str:
    """Where ``value`` lies against the range [``low``, ``high``] (bounds inclusive)."""
    if value is None:
        return "not measured"
    if role == "report":
        return "reported"
    if low is not None and value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "within"


def horizon_factor(scale: str, days: int) -> float:
    """What an annual reference figure is multiplied by for ``days`` measured days."""
    return days / DAYS_PER_YEAR if scale == "annual" else 1.0


def _reference(run: RunData, reference: str | Path | Reference | None) -> Reference:
    if isinstance(reference, Reference):
        return reference
    if reference is not None:
        return load_reference(reference)
    shipped = shipped_reference(run.region)
    if shipped is None:
        raise CalibrationError([
            f"{run.folder}: no reference figures for region {short(run.region)} "
            f"(shipped: {', '.join(shipped_regions())}; give a reference file)"
        ])  # fmt: skip
    return shipped


def _row(entry: Entry, run: RunData) -> dict:
    result: Measured = MEASURES[entry.measure].compute(run)
    factor = horizon_factor(entry.scale, run.days)
    low, high = (None if b is None else b * factor for b in (entry.low, entry.high))
    return {
        "id": entry.id, "description": entry.description, "measure": entry.measure,
        "role": entry.role, "measured": result.value, "unit": entry.unit, "low": low,
        "high": high, "verdict": verdict(result.value, low, high, entry.role),
        "detail": result.detail, "scale": entry.scale, "reference_low": entry.low,
        "reference_high": entry.high, "source": entry.source, "quote": entry.quote,
    }  # fmt: skip


def records(frame: pd.DataFrame) -> dict:
    """A :func:`calibrate` table as plain JSON-ready data: the run, the reference, the
    measured days and one mapping per row (missing figures as None)."""
    rows = [
        {key: (None if isinstance(value, float) and math.isnan(value) else value)
         for key, value in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]  # fmt: skip
    attrs = frame.attrs
    return {"run_dir": attrs.get("run_dir"), "reference": attrs.get("reference"),
            "measured_days": attrs.get("days"), "rows": rows}  # fmt: skip
