"""The tables of a run folder that the calibration measures read, and the run's horizon."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.calibration.errors import CalibrationError
from sim.core.domain import MINUTES_PER_DAY

# The columns each measure needs (README, "Outputs"); nothing else is read.
COLUMNS = {
    "ledger": ["donation_id", "product", "size_u", "collected_at", "released_at", "state",
               "site_id", "disposed_at"],
    "orders": ["hospital_id", "station_id", "priority", "placed_at", "arrived_at", "level"],
    "legs": ["mode", "purpose", "to_site", "depart_at", "units", "samples"],
    "stockouts": ["time", "hospital_id", "product", "short_u", "outcome"],
    "stock": ["site_id", "kind"],
}  # fmt: skip
# Columns read when the folder has them (older run folders lack them: the measures that
# need them say "not measured" instead of failing the whole folder).
OPTIONAL = {
    "ledger": ["collection_site"],
    "legs": ["from_site"],
    "orders": ["group", "quantity_u"],  # HLA requests left out; lead times weighted by units
}


@dataclass(frozen=True)
class RunData:
    """What calibration reads from a run folder (times in minutes since the scenario start).

    ``since`` is the end of the warm-up (minutes): flows before it are left out, as the KPIs
    leave them out. ``days`` is the measured horizon (simulated days minus warm-up days), the
    span that annual reference figures are scaled to.
    """

    folder: Path
    kpis: dict
    ledger: pd.DataFrame
    orders: pd.DataFrame
    legs: pd.DataFrame
    stockouts: pd.DataFrame
    stations: tuple[str, ...]
    start: dt.date
    since: float
    end: float
    days: int
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, name: str, compute: Callable[[RunData], object]) -> object:
        """``compute(self)``, computed once per run: several measures read the same derived
        table (e.g. collection → release lags), which for a year's ledger takes seconds."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    @property
    def region(self) -> str:
        """The run's region as recorded in ``kpis.json`` (a name or a path)."""
        return str(self.kpis["provenance"].get("region", ""))


def read_run(run_dir: str | Path) -> RunData:
    """Read the tables and ``kpis.json`` of a run folder.

    Raises
    ------
    CalibrationError
        If the folder, a file or a needed column is missing or unreadable, or ``kpis.json``
        lacks the run's horizon (``provenance.days``, ``warmup_days``, ``start``).
    """
    folder = Path(run_dir)
    if not _is_dir(folder):
        raise _bad(folder, "no such folder (a run folder written by bloodflow run)")
    missing = [n for n in ("kpis.json", *(f"{t}.parquet" for t in COLUMNS)) if not _is_file(
        folder / n)]  # fmt: skip
    if missing:
        raise _bad(folder, f"not a complete run folder (missing {', '.join(missing)})")
    kpis = _kpis(folder)
    tables = {name: _table(folder, name) for name in COLUMNS}
    days, warmup, start = _horizon(folder, kpis)
    stock = tables.pop("stock")
    stations = stock.loc[stock["kind"] != "hospital", "site_id"].astype(str)
    return RunData(
        folder=folder, kpis=kpis, **tables, stations=tuple(sorted(set(stations))), start=start,
        since=warmup * MINUTES_PER_DAY, end=days * MINUTES_PER_DAY, days=days - warmup,
    )  # fmt: skip


def _kpis(folder: Path) -> dict:
    try:
        kpis = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _bad(folder, f"kpis.json is unreadable ({exc})") from None
    if not isinstance(kpis, dict) or not isinstance(kpis.get("provenance"), dict):
        raise _bad(folder, "kpis.json has no provenance mapping (a kpis.json of bloodflow run)")
    return kpis


def _table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    try:
        present = set(pq.read_schema(path).names)
        extra = [c for c in OPTIONAL.get(name, []) if c in present]
        return pd.read_parquet(path, columns=COLUMNS[name] + extra)
    except (OSError, ValueError, KeyError) as exc:  # pyarrow errors are ValueErrors/KeyErrors
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        expected = ", ".join(COLUMNS[name])
        raise _bad(folder, f"{name}.parquet is unreadable ({reason}; needs {expected})") from None


def _horizon(folder: Path, kpis: dict) -> tuple[int, int, dt.date]:
    prov = kpis["provenance"]
    days, warmup = prov.get("days"), prov.get("warmup_days", 0)
    if not (_whole(days) and _whole(warmup) and 0 <= warmup < days):
        raise _bad(folder, "kpis.json: provenance.days and warmup_days are not a valid horizon "
                   "(whole numbers, 0 <= warmup_days < days)")  # fmt: skip
    try:
        start = dt.date.fromisoformat(str(prov.get("start")))
    except ValueError:
        raise _bad(folder, "kpis.json: provenance.start is not a date (YYYY-MM-DD)") from None
    return days, warmup, start


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _bad(folder: Path, what: str) -> CalibrationError:
    return CalibrationError([f"{folder}: {what}"])
