"""``report.html`` of one run folder: KPIs, stock, stockouts, legs and emergency lead times."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.compare.flatten import flatten_kpis
from sim.execution import output_page as page_file
from sim.execution.output import free_table_memory
from sim.reports import frames, html, run_charts
from sim.reports.calibration_section import calibration_section
from sim.reports.errors import ReportError
from sim.reports.labels import KPIS
from sim.reports.qc_section import qc_section
from sim.reports.region_section import region_section

# The columns the report draws from each table; nothing else is read (a year: 0.3 M orders).
TABLES = {
    "orders": ["priority", "placed_at", "arrived_at"],
    "stockouts": ["time", "product"],
    "stock": ["day", "kind", "product", "units"],
}
WARMUP_NOTE = "Flow KPIs exclude the scenario's warm-up days."
STOCK_NOTE = "Available (released, unreserved) units at the end of each day, province-wide."
STOCKOUT_NOTE = "Times a hospital could not issue a blood group's demand from its shelf."
LEAD_NOTE = "Emergency orders, from placing the order to the arrival of the units."


@dataclass(frozen=True)
class RunTables:
    """What a run report reads from a run folder (times in minutes, stock in units)."""

    kpis: dict
    orders: pd.DataFrame
    stockouts: pd.DataFrame
    stock: pd.DataFrame


def read_run_tables(run_dir: str | Path) -> RunTables:
    """Read ``kpis.json``, orders, stockouts and stock of a run folder.

    Raises
    ------
    ReportError
        If the folder or one of those files is missing or unreadable.
    """
    path = Path(run_dir)
    check_complete(path)
    kpis = read_kpis(path)
    try:
        tables = {name: _read_table(path / f"{name}.parquet", name) for name in TABLES}
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: unreadable run folder ({exc})") from None
    return RunTables(kpis=kpis, **tables)


def check_complete(path: Path) -> None:
    """Raise :class:`ReportError` unless ``path`` holds ``kpis.json`` and the report's tables."""
    names = ["kpis.json", *(f"{name}.parquet" for name in TABLES)]
    missing = [name for name in names if not (path / name).is_file()]
    if missing:
        raise ReportError(f"{path}: not a complete run folder (missing {', '.join(missing)})")


def read_kpis(path: Path) -> dict:
    """``kpis.json`` of the run folder ``path`` (ReportError if unreadable)."""
    try:
        return json.loads((path / "kpis.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: unreadable run folder ({exc})") from None


def _read_table(file: Path, name: str) -> pd.DataFrame:
    """The columns :data:`TABLES` names of one table; ReportError naming a missing one."""
    columns = TABLES[name]
    missing = [c for c in columns if c not in pq.read_schema(file).names]
    if missing:
        raise ReportError(
            f"{file}: missing column {', '.join(missing)} "
            f"(the report reads {', '.join(columns)} of the {name} table)"
        )
    return pd.read_parquet(file, columns=columns)


def kpi_table(kpis: dict) -> str:
    """The main KPIs of a run as an HTML table: name, value, unit."""
    flat = flatten_kpis(kpis)
    rows = [(k.label, k.format(flat[k.key]), k.unit) for k in KPIS if k.key in flat]
    return html.table(["KPI", "value", "unit"], rows, numeric_from=1)


def legs_table(legs: pd.DataFrame) -> str:
    """Legs by mode: legs, loaded legs, units, km and cost."""
    rows = [
        (mode, f"{r.legs:,.0f}", f"{r.loaded_legs:,.0f}", f"{r.units:,.1f}", f"{r.km:,.1f}",
         f"{r.cost_yuan:,.0f}")
        for mode, r in legs.iterrows()
    ]  # fmt: skip
    headers = ["mode", "legs", "loaded legs", "units (U)", "km", "cost (yuan)"]
    return html.table(headers, rows)


def run_sections(tables: RunTables) -> list[str]:
    """The sections of a run report, in page order."""
    days = int(tables.kpis.get("provenance", {}).get("days", 0)) or _days(tables.stock)
    legs = frames.legs_by_mode(tables.kpis)
    stock = _chart(run_charts.stock_chart(tables.stock), "No stock recorded.")
    stockouts = _chart(run_charts.stockouts_chart(tables.stockouts, days), "No stockout.")
    lead = _chart(run_charts.lead_time_chart(tables.orders), "No emergency order arrived.")
    return [
        html.section("Key figures", kpi_table(tables.kpis), note=WARMUP_NOTE),
        html.section("Stock over time", stock, note=STOCK_NOTE),
        html.section("Stockouts over time", stockouts, note=STOCKOUT_NOTE),
        html.section("Legs by mode", legs_table(legs), _chart(run_charts.legs_chart(legs))),
        html.section("Emergency lead time", lead, note=LEAD_NOTE),
    ]


def write_run_report(
    run_dir: str | Path, out: str | Path | None = None, *, overwrite: bool = False
) -> Path:
    """Write the report of a run folder as one HTML file that opens with no network.

    The file is written whole or not at all. An existing file is replaced only if it is an
    earlier bloodflow report and either it is ``run_dir/report.html`` or ``overwrite`` is set;
    any other existing file is refused.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``bloodflow run`` (``kpis.json`` and the parquet tables).
    out : str or Path, optional
        The page to write (default ``run_dir/report.html``).
    overwrite : bool
        Replace ``out`` if it is an earlier bloodflow report.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ReportError
        If the run folder is incomplete or unreadable, or ``out`` may not or cannot be written.
    """
    check_complete(Path(run_dir))
    default = Path(run_dir) / "report.html"
    target = Path(out) if out is not None else default
    may_replace = overwrite or page_file.same_file(target, default)
    page_file.check_target(target, html.KIND, may_replace=may_replace, error=ReportError)
    # The calibration reads the ledger: the largest input of any view, so it goes first, with
    # nothing else held yet (the page's order of sections is unchanged)
    calibration = calibration_section(run_dir, read_kpis(Path(run_dir)))
    free_table_memory()
    tables = read_run_tables(run_dir)
    sections = [*run_sections(tables), region_section(run_dir), qc_section(run_dir), calibration]
    text = html.page(_title(tables.kpis), _meta(tables.kpis), [s for s in sections if s])
    return page_file.write_page(target, text, html.KIND, may_replace=may_replace, error=ReportError)


def _chart(svg: str | None, empty: str = "Nothing to chart.") -> str:
    return svg if svg is not None else html.paragraph(empty)


def _days(stock: pd.DataFrame) -> int:
    return int(stock["day"].max()) + 1 if len(stock) else 0


def _title(kpis: dict) -> str:
    return f"bloodflow run: {kpis.get('provenance', {}).get('scenario_name', 'unnamed scenario')}"


def _meta(kpis: dict) -> str:
    p = kpis.get("provenance", {})
    policies = ", ".join(f"{k}={v}" for k, v in (p.get("policies") or {}).items())
    return (
        f"region {p.get('region', '?')} · start {p.get('start', '?')} · {p.get('days', '?')} days "
        f"(warm-up {p.get('warmup_days', 0)}) · seed {p.get('seed', '?')} · {policies} · "
        f"bloodflow {p.get('package_version', '?')}"
    )
