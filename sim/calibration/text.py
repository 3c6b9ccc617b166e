"""The calibration table as text cells, shared by the command line and the run report."""

from __future__ import annotations

import math

import pandas as pd

HEADERS = ("figure", "measured", "reference", "verdict", "source", "detail")


def number(value: float) -> str:
    """A figure with three significant digits, whole numbers from 100 (thousands separated)."""
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 0.1 else f"{value:.2g}"


def with_unit(value: float | None, unit: str) -> str:
    """``value`` in ``unit`` (``—`` when missing; ratios have no unit)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return number(value) if unit == "ratio" else f"{number(value)} {unit}"


def reference_range(low: float | None, high: float | None, unit: str) -> str:
    """A range as text: ``0.3–2 %``, ``≤ 48 h``, ``≥ 99 %`` (``—`` when there is none)."""
    low, high = (None if _missing(b) else b for b in (low, high))
    if low is None and high is None:
        return "—"
    if low is None:
        return f"≤ {with_unit(high, unit)}"
    if high is None:
        return f"≥ {with_unit(low, unit)}"
    return f"{number(low)}–{with_unit(high, unit)}"


def cells(frame: pd.DataFrame, *, quotes: bool = False) -> list[tuple[str, ...]]:
    """One tuple of text cells (:data:`HEADERS`) per row of a :func:`calibrate` table; with
    ``quotes`` the source cell also quotes the figure."""
    return [
        (r.description, with_unit(_value(r.measured), r.unit),
         reference_range(r.low, r.high, r.unit) + _scaled(r.scale),
         r.verdict, f"{r.source}: “{r.quote}”" if quotes else r.source, r.detail)
        for r in frame.itertuples(index=False)
    ]  # fmt: skip


def horizon_note(frame: pd.DataFrame) -> str:
    """One sentence on the horizon and what was compared."""
    days = frame.attrs.get("days", "?")
    return (
        f"{frame.attrs.get('reference', 'Reference')}: {days} measured days (after warm-up); "
        "annual figures (*) are scaled by measured days / 365, rates are not."
    )


def _scaled(scale: str) -> str:
    return " *" if scale == "annual" else ""


def _value(value: object) -> float | None:
    return None if _missing(value) else float(value)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
