"""Read what a map needs from a run folder: legs, stock, stockouts, provenance, region, events."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geodata import GeodataError, load_region
from sim.maps import checks
from sim.maps.errors import MapError
from sim.scenario import strict_yaml
from sim.scenario.problems import ScenarioError
from sim.scenario.strict_yaml import MAX_BYTES

REQUIRED_FILES = ("kpis.json", "legs.parquet", "stock.parquet", "stockouts.parquet")
MAPPED_EVENTS = ("mass_casualty", "road_closure")
ARROW_PREFIX = re.compile(r"^Could not open Parquet input source '[^']*': ")
PARQUET_ERRORS = (OSError, ValueError, TypeError, NotImplementedError, pa.ArrowException)

__all__ = ["MAPPED_EVENTS", "MapError", "RunFolder", "check_complete", "read_run"]


@dataclass(frozen=True, eq=False)
class RunFolder:
    """The tables and context of one run folder, as the map reads them.

    Attributes
    ----------
    path : Path
        The run folder.
    legs, stock, stockouts : pandas.DataFrame
        ``legs.parquet`` (times in minutes since ``start``), ``stock.parquet`` (units, U),
        ``stockouts.parquet``.
    start : datetime
        Midnight of the scenario start (minute 0 of the run).
    days : int
        Simulated horizon, days.
    region : geodata.Region
        The region the run was simulated on.
    events : list of dict
        Scenario events the map can draw (``mass_casualty`` and ``road_closure``).
    """

    path: Path
    legs: pd.DataFrame
    stock: pd.DataFrame
    stockouts: pd.DataFrame
    start: datetime
    days: int
    region: object
    events: list[dict]


def read_run(run_dir: str | Path) -> RunFolder:
    """Read a run folder for mapping.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``bloodflow run``.

    Raises
    ------
    MapError
        If the folder or one of its files is missing, unreadable or holds values a run does
        not write (see :mod:`sim.maps.checks`), or its region cannot be found.
    """
    path = Path(run_dir)
    check_complete(path)
    provenance = _provenance(path / "kpis.json")
    scenario = _scenario_file(provenance)
    text = _read_yaml(scenario)
    legs = _table(path, "legs")
    checks.leg_times(legs, provenance.days, path / "legs.parquet")
    return RunFolder(
        path=path,
        legs=legs,
        stock=_table(path, "stock"),
        stockouts=_table(path, "stockouts"),
        start=provenance.start,
        days=provenance.days,
        region=_region(scenario, text, provenance.region),
        events=_events(text, scenario) if scenario is not None else [],
    )


def check_complete(path: Path) -> None:
    """Raise :class:`MapError` unless ``path`` is a folder holding every file a map reads."""
    if not path.is_dir():
        raise MapError(f"{path}: not a run folder (no such directory)")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise MapError(f"{path}: incomplete run folder (missing {', '.join(missing)})")


def _provenance(file: Path) -> checks.Provenance:
    try:
        kpis = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MapError(f"{file}: unreadable ({exc})") from None
    if not isinstance(kpis, dict) or "provenance" not in kpis:
        raise MapError(f"{file}: provenance: missing (a kpis.json of bloodflow run has one)")
    return checks.provenance(kpis["provenance"], file)


def _table(path: Path, name: str) -> pd.DataFrame:
    file = path / f"{name}.parquet"
    try:
        frame = pd.read_parquet(file, columns=_columns_read(file, name))
    except PARQUET_ERRORS as exc:
        raise MapError(f"{file}: unreadable parquet ({_first_line(exc)})") from None
    return checks.table(frame, name, file)


def _columns_read(file: Path, name: str) -> list[str]:
    """The columns of ``file`` the map reads (:data:`checks.COLUMNS`), the others left on disk
    (a year's legs table has columns the map never draws); a missing one is then reported by
    :func:`checks.table`."""
    present = set(pq.read_schema(file).names)
    return [column for column in checks.COLUMNS[name] if column in present]


def _first_line(exc: BaseException) -> str:
    lines = ARROW_PREFIX.sub("", str(exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _scenario_file(provenance: checks.Provenance) -> Path | None:
    path = Path(provenance.scenario)
    return path if path.is_file() else None


def _read_yaml(scenario: Path | None) -> dict:
    """The scenario file's YAML, read as strictly as ``bloodflow run`` reads it."""
    if scenario is None:
        return {}
    try:
        with scenario.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise MapError(f"{scenario}: scenario file larger than {MAX_BYTES:,} bytes")
        loaded = strict_yaml.parse(data.decode("utf-8"), str(scenario))
    except ScenarioError as exc:
        raise MapError(_first_line(exc)) from None  # names the file and the line
    except (OSError, UnicodeDecodeError) as exc:
        raise MapError(f"{scenario}: unreadable scenario file ({_first_line(exc)})") from None
    return loaded if isinstance(loaded, dict) else {}


def _region(scenario: Path | None, text: dict, recorded: str) -> object:
    """The run's region: the scenario's ``region`` (a path relative to it, or a name)."""
    name = str(text.get("region", recorded))
    candidate = scenario.parent / name if scenario is not None else None
    target = str(candidate) if candidate is not None and candidate.exists() else name
    try:
        return load_region(target)
    except (GeodataError, OSError) as exc:
        where = scenario or "the scenario file named in kpis.json (not found)"
        raise MapError(f"region {name!r} of {where}: {_first_line(exc)}") from None


def _events(text: dict, scenario: Path) -> list[dict]:
    events = text.get("events") or []
    if not isinstance(events, list):
        return []
    mapped = [
        (i, e)
        for i, e in enumerate(events)
        if isinstance(e, dict) and e.get("type") in MAPPED_EVENTS
    ]
    for index, event in mapped:
        checks.event(event, index, scenario)
    return [event for _, event in mapped]
