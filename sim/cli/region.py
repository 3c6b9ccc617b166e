"""``bloodflow region NAME|PATH``: summarise a region's sites by kind and city."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from geodata import GeodataError, load_region
from sim.cli.console import fail, out


def region_command(name: Annotated[str, typer.Argument(help="embedded region or path")]) -> None:
    """Summarise a region: sites by kind and by city."""
    try:
        loaded = load_region(name)
    except GeodataError as exc:
        fail([str(exc)])
    out.print(_region_table(loaded))


SHORT_KIND = {
    "blood_center": "centre",
    "blood_station": "station",
    "county_blood_bank": "county banks",
    "lab": "lab",
    "donation_house": "houses",
    "hospital": "hospitals",
    "rail_station": "rail",
    "drone_port": "drones",
}


def _region_table(loaded: object) -> Table:
    sites = loaded.sites
    counts = sites.groupby(["city", "kind"]).size().unstack(fill_value=0)
    counts = counts[[k for k in SHORT_KIND if k in counts.columns]]
    table = Table(title=f"Region {loaded.name}: {len(sites)} sites")
    table.add_column("city")
    for kind in counts.columns:
        table.add_column(SHORT_KIND[kind], justify="right")
    for city, row in counts.iterrows():
        table.add_row(str(city), *(str(int(v)) for v in row))
    table.add_row("[b]total[/b]", *(f"[b]{int(v)}[/b]" for v in counts.sum()))
    return table
