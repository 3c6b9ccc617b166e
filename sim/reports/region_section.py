"""The "Regions and mutual aid" section of a run report, for regions run together (e.g.
Shanghai + Zhejiang): each region's balance of units and the units sent across the border,
from ``border.parquet`` (:mod:`sim.execution.border`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.reports import html

TITLE = "Regions and mutual aid"
NOTE = (
    "Units (U; platelets in doses) by the region where they were created: collected, or sent "
    "by other provinces (imported); received from / sent to the neighbouring region as mutual "
    "aid (escalation level 4), counted on the legs that crossed the border and checked "
    "against the ledger; and where they are at the end. Each region balances: created + "
    "received − sent = transfused + expired + discarded + in stock + in transit."
)
COLUMNS = {
    "created_u": "created",
    "imported_u": "of which imported",
    "received_u": "received",
    "sent_u": "sent",
    "transfused_u": "transfused",
    "expired_u": "expired",
    "discarded_u": "discarded",
    "in_stock_u": "in stock",
    "in_transit_u": "in transit",
}


def region_section(run_dir: str | Path) -> str | None:
    """The section, or None when the run folder has no ``border.parquet`` (one region)."""
    path = Path(run_dir) / "border.parquet"
    if not path.is_file():
        return None
    try:
        table = pd.read_parquet(path)
        balance = _balance_table(table)
        flows = _flow_table(table)
    except (OSError, ValueError, KeyError) as exc:
        return html.section(TITLE, html.paragraph(f"Not available: {exc}"))
    return html.section(TITLE, balance, flows, note=NOTE)


def _balance_table(table: pd.DataFrame) -> str:
    rows = [[str(r["region"]), *(f"{r[c]:,.1f}" for c in COLUMNS)] for _, r in table.iterrows()]
    return html.table(["region", *COLUMNS.values()], rows, numeric_from=1)


def _flow_table(table: pd.DataFrame) -> str:
    """Units across the border, from the row's region to the column's."""
    regions = [str(r) for r in table["region"]]
    rows = [
        [f"from {r['region']}", *(f"{r[f'to_{to}_u']:,.1f}" for to in regions)]
        for _, r in table.iterrows()
    ]
    return html.table(["units across the border", *(f"to {r}" for r in regions)], rows)
