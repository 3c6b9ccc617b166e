"""Matplotlib figures as inline SVG strings (no pyplot, no global backend, no files).

Each chart is drawn on a bare :class:`matplotlib.figure.Figure` attached explicitly to the SVG
canvas, so nothing depends on the process-wide Matplotlib backend. Text stays text
(``svg.fonttype: none``) so the page is small and uses the browser's sans-serif font; the XML
prolog, DOCTYPE and the metadata block (which carry ``http://`` identifiers) are removed, and
each chart gets its own id salt so clip-path ids of several charts in one page never clash.

Matplotlib is imported inside the functions that draw (about 25 MB and 0.25 s), so
``import sim`` and a run without a report do not load it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

STYLE = {
    "svg.fonttype": "none",
    "text.parse_math": False,  # site ids and policy names are text: a "$" is not mathtext
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # shipped with Matplotlib: no font look-up warnings
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
PALETTE = ("#b2182b", "#2166ac", "#1b7837", "#e08214", "#762a83", "#4d4d4d", "#35978f")
PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def render_svg(draw: Callable[[Figure], None], *, name: str, size: tuple[float, float]) -> str:
    """Draw a figure and return it as an ``<svg>`` element for inlining in HTML.

    Parameters
    ----------
    draw : callable
        ``draw(figure)`` adds axes and artists to an empty figure.
    name : str
        Unique name of the chart within its page (salts the SVG element ids).
    size : (float, float)
        Width and height, inches (at 72 pt per inch in the SVG).
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with rc_context({**STYLE, "svg.hashsalt": name}):
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasSVG(figure)
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _clean(buffer.getvalue(), name)


def _clean(text: str, name: str) -> str:
    text = METADATA.sub("", PROLOG.sub("", text, count=1), count=1)
    label = name.replace('"', "")
    return text.replace("<svg ", f'<svg class="chart" role="img" aria-label="{label}" ', 1)


def colour(i: int) -> str:
    """The i-th colour of the report palette (cycling)."""
    return PALETTE[i % len(PALETTE)]


def plain_numbers(axis: Axis) -> None:
    """Tick labels as ``1,259,395`` instead of an offset ``1e6`` (small values as ``0.25``)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(_plain))


def _plain(value: float, _position: int | None = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def day_axis(axis: Axis) -> None:
    """Whole days only on a day axis."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_label_text("day")
