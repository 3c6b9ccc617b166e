"""The "Quality indicators by district" section of a run report: the league table of
``qc.parquet`` (:func:`sim.execution.qc.district_league`) and, for a region with districts,
the district choropleth beside the site map."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.execution.qc import district_league
from sim.reports import html

TITLE = "Quality indicators by district"
NOTE = (
    "Summed over the district's hospitals and the counted days, then divided: wastage = units "
    "expired or discarded at hospitals ÷ units transfused, expired or discarded; red cells per "
    "discharged patient, discharges = beds × occupancy × days ÷ length of stay (scenario "
    "quality section); emergency demand met by its required time (60 min by default); "
    "stockout days per hospital. Per hospital and month in qc.parquet."
)
HEADERS = ["district", "hospitals", "beds", "wastage", "RBC wastage", "RBC U per discharge",
           "emergency on time", "stockout days per hospital"]  # fmt: skip


def qc_section(run_dir: str | Path) -> str | None:
    """The section, or None when the run folder has no ``qc.parquet``."""
    path = Path(run_dir) / "qc.parquet"
    if not path.is_file():
        return None
    try:
        league = district_league(pd.read_parquet(path))
    except (OSError, ValueError, KeyError) as exc:
        return html.section(TITLE, html.paragraph(f"Not available: {exc}"))
    table = html.table(HEADERS, [_cells(r) for r in league.itertuples()], numeric_from=1)
    return html.section(TITLE, table, *_maps(Path(run_dir)), note=NOTE)


def _cells(r) -> list[str]:
    return [
        str(r.district), f"{r.hospitals:,}", f"{r.beds:,.0f}", _pct(r.wastage_rate),
        _pct(r.rbc_wastage_rate), _num(r.rbc_per_discharge, 3),
        _pct(r.emergency_on_time_share), _num(r.stockout_days_per_hospital, 1),
    ]  # fmt: skip


def _pct(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.2%}"


def _num(value: float, digits: int) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}f}"


def _maps(run_dir: Path) -> list[str]:
    """The choropleth beside the site map, when the run folder has both pages."""
    choropleth, sites = run_dir / "districts.html", run_dir / "map.html"
    pages = [(choropleth, "Districts by indicator"), (sites, "Sites")]
    if not pages[0][0].is_file():
        return []
    figures = [html.embedded_page(c, p.read_text("utf-8")) for p, c in pages if p.is_file()]
    return [html.side_by_side(figures)]
