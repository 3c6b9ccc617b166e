"""Tables a report charts, computed from a run's tables (times in minutes, stock in units)."""

from __future__ import annotations

import pandas as pd

from sim.core.domain import MINUTES_PER_DAY
from sim.state.sites import STATION_KINDS

PRODUCTS = ("RBC", "PLT", "FFP", "CRYO", "FRBC")  # the order of sim.core.domain.Product
LEG_COLUMNS = ("legs", "loaded_legs", "units", "km", "cost_yuan")


def stock_by_day(stock: pd.DataFrame) -> pd.DataFrame:
    """Province-wide available units per day: ``day, product, holder, units``.

    ``holder`` is ``stations`` (blood centre and stations) or ``hospitals``; products with no
    stock on any day are left out.

    Parameters
    ----------
    stock : DataFrame
        ``stock.parquet``: ``day, site_id, kind, product, units`` (closing available units, U).
    """
    frame = stock.assign(
        holder=stock["kind"]
        .astype(str)
        .isin(STATION_KINDS)
        .map({True: "stations", False: "hospitals"}),
        product=stock["product"].astype(str),
    )
    totals = frame.groupby(["day", "product", "holder"], as_index=False)["units"].sum()
    kept = totals[totals.groupby("product")["units"].transform("sum") > 0]
    return kept.sort_values(["product", "day"], key=_product_order).reset_index(drop=True)


def stockouts_by_day(stockouts: pd.DataFrame) -> pd.DataFrame:
    """Stockout events per day and product: a frame indexed by day, one column per product.

    Parameters
    ----------
    stockouts : DataFrame
        ``stockouts.parquet``: ``time`` (minutes since start), ``product``, ...
    """
    day = (stockouts["time"] // MINUTES_PER_DAY).astype(int).rename("day")
    counts = stockouts.groupby([day, stockouts["product"].astype(str)]).size()
    table = counts.unstack("product", fill_value=0).sort_index()
    return table[sorted(table.columns, key=product_rank)]


def emergency_lead_times(orders: pd.DataFrame) -> pd.Series:
    """Minutes from placing to arrival of every emergency order that arrived."""
    emergency = orders[(orders["priority"] == "emergency") & orders["arrived_at"].notna()]
    return (emergency["arrived_at"] - emergency["placed_at"]).rename("lead_time_min")


def legs_by_mode(kpis: dict) -> pd.DataFrame:
    """The ``legs_by_mode`` KPIs as a frame indexed by mode (legs, units, km, cost in yuan)."""
    rows = {mode: {c: values.get(c, 0) for c in LEG_COLUMNS} for mode, values in
            (kpis.get("legs_by_mode") or {}).items()}  # fmt: skip
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(LEG_COLUMNS))


def site_stock(stock: pd.DataFrame, sites: list[str], product: str) -> pd.DataFrame:
    """Available units of one product per day at chosen sites: indexed by day, a column per site."""
    rows = stock[
        stock["site_id"].astype(str).isin(sites) & (stock["product"].astype(str) == product)
    ]
    table = rows.pivot_table(index="day", columns="site_id", values="units", aggfunc="sum",
                             observed=True)  # fmt: skip
    return table.reindex(columns=sites)


def busiest_sites(stock: pd.DataFrame, product: str, count: int = 3) -> list[str]:
    """The stations holding most of ``product`` on average (the default sites to chart)."""
    rows = stock[
        stock["kind"].astype(str).isin(STATION_KINDS) & (stock["product"].astype(str) == product)
    ]
    means = rows.groupby(rows["site_id"].astype(str))["units"].mean()
    return means.sort_values(ascending=False).index[:count].tolist()


def product_rank(product: str) -> int:
    """Position of a product in the report's order (red cells first; unknown ones last)."""
    return PRODUCTS.index(product) if product in PRODUCTS else len(PRODUCTS)


def _product_order(column: pd.Series) -> pd.Series:
    return column.map(product_rank) if column.name == "product" else column
