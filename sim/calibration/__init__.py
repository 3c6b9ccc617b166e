"""Calibration against published figures: a run folder's measured figures next to reference
ranges shipped per region (``scenarios/reference/*.yaml``), each with its source.

>>> from sim.calibration import calibrate
>>> table = calibrate("runs/zhejiang_baseline-seed20250101")  # doctest: +SKIP
>>> table[["id", "measured", "low", "high", "verdict"]]  # doctest: +SKIP

Measures read only the run folder's tables and ``kpis.json``; a figure they cannot give is
"not measured", with the reason.
"""

from sim.calibration.errors import CalibrationError
from sim.calibration.measured import Measured
from sim.calibration.reference import (
    Entry,
    Reference,
    load_reference,
    shipped_reference,
    shipped_regions,
)
from sim.calibration.registry import MEASURES, Measure
from sim.calibration.run_folder import RunData, read_run
from sim.calibration.table import VERDICTS, calibrate

__all__ = [
    "MEASURES",
    "VERDICTS",
    "CalibrationError",
    "Entry",
    "Measure",
    "Measured",
    "Reference",
    "RunData",
    "calibrate",
    "load_reference",
    "read_run",
    "shipped_reference",
    "shipped_regions",
]
