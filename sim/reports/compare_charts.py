"""Charts of a policy comparison, each an inline SVG string (``None`` when nothing to draw)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.execution.kpis import KEY_KPIS
from sim.reports import frames
from sim.reports.labels import PRODUCT_NAMES, difference_unit, kpi
from sim.reports.svg import colour, day_axis, plain_numbers, render_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LEAD_COLUMNS = tuple(f"emergency_lead_time_min.{q}" for q in ("p50", "p90", "p99"))


def paired_chart(paired: pd.DataFrame, keys: Sequence[str] = KEY_KPIS) -> str | None:
    """Mean paired difference to the baseline with its 95 % interval, one panel per KPI.

    Parameters
    ----------
    paired : DataFrame
        ``policy, baseline, kpi, mean_diff, ci_low, ci_high`` (a comparison's paired table).
    keys : sequence of str
        Flat KPI names to chart (those with no finite difference are skipped).
    """
    diff = pd.to_numeric(paired["mean_diff"], errors="coerce")
    rows = paired[paired["kpi"].isin(keys) & np.isfinite(diff)]
    shown = [k for k in keys if k in set(rows["kpi"])]
    if not shown:
        return None
    columns = min(3, len(shown))
    lines = math.ceil(len(shown) / columns)
    height = 0.5 + 0.35 * rows["policy"].nunique()

    def draw(figure: Figure) -> None:
        axes = figure.subplots(lines, columns, squeeze=False).ravel()
        for ax, key in zip(axes, shown, strict=False):
            _paired_panel(ax, rows[rows["kpi"] == key], key)
        for ax in axes[len(shown) :]:
            ax.set_visible(False)

    return render_svg(draw, name="paired", size=(11, lines * (1.2 + height)))


def _paired_panel(ax: Axes, rows: pd.DataFrame, key: str) -> None:
    entry = kpi(key)
    mean = rows["mean_diff"].map(entry.scale).to_numpy()
    low = (rows["mean_diff"] - rows["ci_low"]).map(entry.scale).fillna(0).to_numpy()
    high = (rows["ci_high"] - rows["mean_diff"]).map(entry.scale).fillna(0).to_numpy()
    y = np.arange(len(rows))
    ax.errorbar(mean, y, xerr=[low, high], fmt="o", color=colour(1), capsize=4)
    ax.axvline(0, color="#555", linewidth=1)
    ax.set_yticks(y, rows["policy"].tolist())
    ax.set_ylim(-0.6, len(rows) - 0.4)
    unit = difference_unit(entry)
    ax.set_title(f"{entry.label}" + (f" ({unit})" if unit else ""), fontsize=8.5)
    ax.set_xlabel(f"difference to {rows['baseline'].iloc[0]}", fontsize=8)
    plain_numbers(ax.xaxis)


def lead_time_policies_chart(replications: pd.DataFrame) -> str | None:
    """Emergency lead-time percentiles per policy as boxes.

    The box spans the replications' mean p50 to mean p90, the whisker reaches the mean p99 and
    the dots are the single replications' p50, p90 and p99.

    Parameters
    ----------
    replications : DataFrame
        A comparison's replications table (``emergency_lead_time_min.p50/p90/p99``, minutes).
    """
    if not set(LEAD_COLUMNS) <= set(replications.columns):
        return None
    policies = list(dict.fromkeys(replications["policy"]))
    groups = [replications.loc[replications["policy"] == p, list(LEAD_COLUMNS)] for p in policies]
    if all(group.isna().all().all() for group in groups):
        return None

    def draw(figure: Figure) -> None:
        ax = figure.subplots()
        for i, group in enumerate(groups):
            _lead_box(ax, i, group, colour(i))
        ax.set_xticks(range(len(policies)), policies)
        ax.set_ylabel("emergency lead time (min)")
        ax.set_ylim(bottom=0)

    return render_svg(draw, name="lead_times", size=(max(4.5, 1.6 * len(policies)), 3.2))


def _lead_box(ax: Axes, x: int, group: pd.DataFrame, tint: str) -> None:
    p50, p90, p99 = (group[c].mean() for c in LEAD_COLUMNS)
    if np.isnan(p50):
        return
    ax.bar(x, p90 - p50, bottom=p50, width=0.5, color=tint, alpha=0.35, edgecolor=tint)
    ax.plot([x - 0.25, x + 0.25], [p50, p50], color=tint, linewidth=2)
    ax.plot([x, x], [p90, p99], color=tint)
    ax.plot([x - 0.12, x + 0.12], [p99, p99], color=tint)
    for column, marker in zip(LEAD_COLUMNS, ("o", "s", "^"), strict=True):
        values = group[column].dropna()
        ax.scatter(np.full(len(values), x + 0.32), values, s=10, color=tint, marker=marker)


def site_stock_chart(
    stocks: Mapping[str, pd.DataFrame], sites: Sequence[str], product: str = "RBC"
) -> str | None:
    """Available units of one product per day at chosen sites, one line per policy.

    Parameters
    ----------
    stocks : mapping of policy label to DataFrame
        Each policy's ``stock.parquet`` (one replication).
    sites : sequence of str
        Site ids, one panel each.
    product : str
        Product code, e.g. ``"RBC"``.
    """
    tables = {
        policy: frames.site_stock(stock, list(sites), product) for policy, stock in stocks.items()
    }
    if not sites or all(table.dropna(how="all").empty for table in tables.values()):
        return None

    def draw(figure: Figure) -> None:
        axes = figure.subplots(1, len(sites), squeeze=False, sharey=True)[0]
        for ax, site in zip(axes, sites, strict=True):
            for i, (policy, table) in enumerate(tables.items()):
                ax.plot(table.index, table[site], marker=".", color=colour(i), label=policy)
            ax.set_title(site)
            day_axis(ax.xaxis)
            plain_numbers(ax.yaxis)
        axes[0].set_ylabel(f"available {PRODUCT_NAMES.get(product, product)}")
        axes[0].legend(frameon=False)

    return render_svg(draw, name="site_stock", size=(max(4.5, 3.2 * len(sites)), 2.8))
