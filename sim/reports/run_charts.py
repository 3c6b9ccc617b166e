"""Charts of one run, each an inline SVG string (see :mod:`sim.reports.svg`).

Each function takes a run's tables (as in the run folder) and returns ``None`` when there is
nothing to draw, so a notebook can show the same charts as the report:
``IPython.display.HTML(stock_chart(result.stock))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.reports import frames
from sim.reports.frames import product_rank
from sim.reports.labels import PRODUCT_NAMES
from sim.reports.svg import colour, day_axis, plain_numbers, render_svg

if TYPE_CHECKING:
    from matplotlib.figure import Figure

HOLDERS = ("stations", "hospitals")


def stock_chart(stock: pd.DataFrame) -> str | None:
    """Province-wide available units per product and day, stations vs hospitals.

    Parameters
    ----------
    stock : DataFrame
        ``stock.parquet`` (closing available units per site and product, U or doses).
    """
    totals = frames.stock_by_day(stock)
    products = list(dict.fromkeys(totals["product"]))
    if not products:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.subplots(1, len(products), squeeze=False, sharex=True)[0]
        for ax, product in zip(axes, products, strict=True):
            rows = totals[totals["product"] == product]
            for i, holder in enumerate(HOLDERS):
                line = rows[rows["holder"] == holder]
                ax.plot(line["day"], line["units"], marker=".", color=colour(i), label=holder)
            ax.set_title(PRODUCT_NAMES.get(product, product))
            day_axis(ax.xaxis)
            ax.set_ylim(bottom=0)
            plain_numbers(ax.yaxis)
        axes[0].set_ylabel("available units at day end")
        axes[0].legend(frameon=False)

    return render_svg(draw, name="stock", size=(2.9 * len(products), 2.8))


def stockouts_chart(stockouts: pd.DataFrame, days: int) -> str | None:
    """Stockout events per day, stacked by product.

    Parameters
    ----------
    stockouts : DataFrame
        ``stockouts.parquet`` (``time`` in minutes since the start).
    days : int
        Horizon of the run, days (the x axis covers every day, also those with no stockout).
    """
    if stockouts.empty:
        return None
    counts = frames.stockouts_by_day(stockouts).reindex(range(days), fill_value=0)

    def draw(figure: Figure) -> None:
        ax = figure.subplots()
        bottom = np.zeros(len(counts))
        for product in counts.columns:
            colour_of = colour(product_rank(product))
            ax.bar(counts.index, counts[product], bottom=bottom, color=colour_of, label=product)
            bottom += counts[product].to_numpy()
        day_axis(ax.xaxis)
        ax.set_ylabel("stockout events")
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))

    return render_svg(draw, name="stockouts", size=(8, 2.6))


def legs_chart(legs: pd.DataFrame) -> str | None:
    """Legs, units carried, km and cost per transport mode (bars).

    Parameters
    ----------
    legs : DataFrame
        :func:`sim.reports.frames.legs_by_mode`: indexed by mode.
    """
    if legs.empty:
        return None
    panels = (("legs", "legs"), ("units", "units carried (U)"), ("km", "km"),
              ("cost_yuan", "cost (yuan)"))  # fmt: skip

    def draw(figure: Figure) -> None:
        for ax, (column, title) in zip(figure.subplots(1, len(panels)), panels, strict=True):
            ax.bar(legs.index, legs[column], color=[colour(i) for i in range(len(legs))])
            ax.set_title(title)
            plain_numbers(ax.yaxis)

    return render_svg(draw, name="legs", size=(8, 2.4))


def lead_time_chart(orders: pd.DataFrame) -> str | None:
    """Histogram of emergency lead times (placed → arrived, minutes) with p50 and p90 marked.

    Parameters
    ----------
    orders : DataFrame
        ``orders.parquet`` (``priority``, ``placed_at``, ``arrived_at`` in minutes).
    """
    times = frames.emergency_lead_times(orders)
    if times.empty:
        return None

    def draw(figure: Figure) -> None:
        ax = figure.subplots()
        ax.hist(times, bins=min(40, max(5, len(times) // 3)), color=colour(1), alpha=0.8)
        for q, style in ((0.5, "-"), (0.9, "--")):
            value = float(times.quantile(q))
            ax.axvline(value, color=colour(0), linestyle=style, label=f"p{q * 100:.0f} {value:.0f}")
        ax.set_xlabel("minutes from order to arrival")
        ax.set_ylabel("emergency orders")
        ax.legend(frameon=False)

    return render_svg(draw, name="lead_time", size=(8, 2.6))
