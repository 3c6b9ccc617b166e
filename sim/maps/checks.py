"""Checks on what a map reads from a run folder: provenance values and table columns.

A run folder written by ``bloodflow run`` always passes; a folder edited by hand, written by
another version or damaged fails here with one line naming the file, the field and what was
expected, instead of a traceback deep in the map code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.domain import MINUTES_PER_DAY
from sim.maps.errors import MapError

MAX_DAYS = 3660  # the longest horizon a scenario may have (sim/scenario/model.py)
SLACK_DAYS = 366  # legs may arrive after the horizon (in transit at the end), but not later
NUMBER, TEXT = "finite numbers", "text"
# table → column → what it holds; other columns are ignored
COLUMNS: dict[str, dict[str, str]] = {
    "legs": {
        "leg_id": NUMBER, "mode": TEXT, "purpose": TEXT, "from_site": TEXT, "to_site": TEXT,
        "depart_at": NUMBER, "arrive_at": NUMBER, "units": NUMBER, "samples": NUMBER,
    },
    "stock": {"day": NUMBER, "site_id": TEXT, "product": TEXT, "units": NUMBER},
    "stockouts": {"hospital_id": TEXT},
}  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """The provenance fields a map needs (``kpis.json``).

    Attributes
    ----------
    scenario : str
        Path of the scenario file the run was made from.
    start : datetime
        Minute 0 of the run.
    days : int
        Horizon, days (1 to MAX_DAYS).
    region : str
        Region name or path recorded by the run.
    """

    scenario: str
    start: datetime
    days: int
    region: str


def provenance(values: object, file: Path) -> Provenance:
    """Check the ``provenance`` object of ``kpis.json``.

    Raises
    ------
    MapError
        Naming ``file``, the field and what was expected.
    """
    if not isinstance(values, dict):
        raise MapError(f"{file}: provenance: expected an object, got {_short(values)}")
    missing = [k for k in ("scenario", "start", "days", "region") if k not in values]
    if missing:
        raise MapError(f"{file}: provenance: missing {', '.join(missing)}")
    for key in ("scenario", "start", "region"):
        if not isinstance(values[key], str) or not values[key]:
            raise MapError(f"{file}: provenance.{key}: expected text, got {_short(values[key])}")
    days = _days(values["days"], file)
    return Provenance(values["scenario"], _start(values["start"], days, file), days,
                      values["region"])  # fmt: skip


def _days(value: object, file: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        raise MapError(
            f"{file}: provenance.days: expected a whole number of days from 1 to {MAX_DAYS}, "
            f"got {_short(value)}"
        )
    return value


def _start(value: str, days: int, file: Path) -> datetime:
    try:
        start = datetime.fromisoformat(value)
        start + timedelta(days=days + SLACK_DAYS)  # noqa: B018 - the last minute a map shows
    except ValueError:
        raise MapError(
            f"{file}: provenance.start: expected an ISO date such as 2025-03-03, got {value!r}"
        ) from None
    except OverflowError:
        raise MapError(
            f"{file}: provenance.start: {value} plus {days} days is past the year 9999"
        ) from None
    return start


def table(frame: pd.DataFrame, name: str, file: Path) -> pd.DataFrame:
    """Check the columns a map reads from table ``name``; text columns come back as ``str``.

    Raises
    ------
    MapError
        If a column is missing, or a number column holds text, NaN or infinity.
    """
    expected = COLUMNS[name]
    missing = [column for column in expected if column not in frame.columns]
    if missing:
        raise MapError(
            f"{file}: missing column {', '.join(missing)} "
            f"(a {name} table of bloodflow run has {', '.join(expected)})"
        )
    out = frame.copy()
    for column, kind in expected.items():
        if kind == NUMBER:
            _check_numbers(out[column], column, file)
        else:
            out[column] = out[column].astype(str)
    return out


def _check_numbers(column: pd.Series, name: str, file: Path) -> None:
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    if not numeric:
        raise MapError(f"{file}: column {name}: expected {NUMBER}, got {column.dtype} values")
    values = column.to_numpy(dtype=float, na_value=math.nan)
    bad = ~np.isfinite(values)  # NaN and infinities (one pass, no Python call per value)
    if bad.any():
        row = int(bad.argmax())
        raise MapError(f"{file}: column {name}: expected {NUMBER}, row {row} holds {values[row]}")


def leg_times(legs: pd.DataFrame, days: int, file: Path) -> None:
    """Legs depart within the run, arrive after they depart, and carry no negative load.

    Raises
    ------
    MapError
        Naming the first leg that does not.
    """
    limit = (days + SLACK_DAYS) * MINUTES_PER_DAY
    rules = {
        "depart_at": (legs["depart_at"] >= 0) & (legs["depart_at"] < days * MINUTES_PER_DAY),
        "arrive_at": (legs["arrive_at"] >= legs["depart_at"]) & (legs["arrive_at"] <= limit),
        "units": legs["units"] >= 0,
        "samples": legs["samples"] >= 0,
    }
    what = {
        "depart_at": f"minutes from 0 to {days * MINUTES_PER_DAY:.0f} (the run's {days} days)",
        "arrive_at": f"minutes from depart_at to {limit}",
        "units": "units ≥ 0",
        "samples": "samples ≥ 0",
    }
    for column, ok in rules.items():
        if not ok.all():
            row = int((~ok).to_numpy().argmax())
            value = legs[column].iloc[row]
            raise MapError(
                f"{file}: column {column}: expected {what[column]}, row {row} holds {value}"
            )


EVENT_SHAPES = {
    "mass_casualty": "lat, lon and casualties as finite numbers",
    "road_closure": "a polygon of 3 or more [lon, lat] pairs of finite numbers",
}


def event(values: dict, index: int, file: Path) -> None:
    """Check that a scenario event of a type the map draws can be drawn.

    Raises
    ------
    MapError
        Naming ``file``, the event's position in ``events`` and what was expected.
    """
    kind = values["type"]
    try:
        numbers = _event_numbers(values)
    except (KeyError, TypeError, ValueError, OverflowError):
        numbers = [math.nan]
    if not all(math.isfinite(n) for n in numbers):
        raise MapError(f"{file}: events[{index}] ({kind}): expected {EVENT_SHAPES[kind]}")


def _event_numbers(values: dict) -> list[float]:
    if values["type"] == "mass_casualty":
        return [float(values[key]) for key in ("lat", "lon", "casualties")]
    vertices = [[float(c) for c in vertex] for vertex in values["polygon"]]
    if len(vertices) < 3 or any(len(vertex) != 2 for vertex in vertices):
        raise ValueError("not a polygon")
    return [c for vertex in vertices for c in vertex]


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
