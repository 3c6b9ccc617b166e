"""Read what a map needs from a run folder: legs, stock, stockouts, provenance, region, events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

REQUIRED_FILES = ("kpis.json", "legs.parquet", "stock.parquet", "stockouts.parquet")
MAPPED_EVENTS = ("mass_casualty", "road_closure")


class MapError(ValueError):
    """A run folder cannot be mapped; the message names the folder or file and the problem."""


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
        If the folder or one of its files is missing or unreadable, or its region cannot be
        found.
    """
    path = Path(run_dir)
    _check_complete(path)
    provenance = _provenance(path / "kpis.json")
    scenario = _scenario_file(provenance)
    text = _read_yaml(scenario)
    return RunFolder(
        path=path,
        legs=_parquet(path / "legs.parquet"),
        stock=_parquet(path / "stock.parquet"),
        stockouts=_parquet(path / "stockouts.parquet"),
        start=datetime.fromisoformat(str(provenance["start"])),
        days=int(provenance["days"]),
        region=_region(scenario, text, str(provenance["region"])),
        events=_events(text),
    )


def _check_complete(path: Path) -> None:
    if not path.is_dir():
        raise MapError(f"{path}: not a run folder (no such directory)")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise MapError(f"{path}: incomplete run folder (missing {', '.join(missing)})")


def _provenance(file: Path) -> dict:
    try:
        provenance = json.loads(file.read_text(encoding="utf-8"))["provenance"]
        missing = [k for k in ("scenario", "start", "days", "region") if k not in provenance]
    except (ValueError, KeyError, TypeError) as exc:
        raise MapError(f"{file}: provenance: unreadable ({exc})") from None
    if missing:
        raise MapError(f"{file}: provenance: missing {', '.join(missing)}")
    return provenance


def _parquet(file: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(file)
    except (OSError, ValueError) as exc:
        raise MapError(f"{file}: unreadable parquet ({exc})") from None


def _scenario_file(provenance: dict) -> Path | None:
    path = Path(str(provenance["scenario"]))
    return path if path.is_file() else None


def _read_yaml(scenario: Path | None) -> dict:
    if scenario is None:
        return {}
    try:
        loaded = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MapError(f"{scenario}: unreadable scenario file ({exc})") from None
    return loaded if isinstance(loaded, dict) else {}


def _region(scenario: Path | None, text: dict, recorded: str) -> object:
    """The run's region: the scenario's ``region`` (a path relative to it, or a name)."""
    from geodata import GeodataError, load_region

    name = str(text.get("region", recorded))
    candidate = scenario.parent / name if scenario is not None else None
    target = str(candidate) if candidate is not None and candidate.exists() else name
    try:
        return load_region(target)
    except GeodataError as exc:
        where = scenario or "the scenario file named in kpis.json (not found)"
        raise MapError(f"region {name!r} of {where}: {exc}") from None


def _events(text: dict) -> list[dict]:
    events = text.get("events") or []
    if not isinstance(events, list):
        return []
    return [e for e in events if isinstance(e, dict) and e.get("type") in MAPPED_EVENTS]
