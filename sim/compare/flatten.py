"""KPIs of one run as a flat row: nested keys joined by dots, numbers only."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from numbers import Real


def flatten_kpis(kpis: Mapping) -> dict[str, float]:
    """Flatten a run's ``kpis`` dict into ``{"emergency_lead_time_min.p90": 41.0, ...}``.

    ``provenance`` is skipped except its ``seed`` (kept as ``"seed"``); non-numeric values
    (text, lists) are dropped; ``None`` becomes NaN; numbers become floats.
    """
    row = dict(_leaves(kpis, ""))
    seed = kpis.get("provenance", {}).get("seed")
    if seed is not None:
        row["seed"] = float(seed)
    return row


def _leaves(node: Mapping, prefix: str) -> Iterator[tuple[str, float]]:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if name == "provenance":
            continue
        if isinstance(value, Mapping):
            yield from _leaves(value, f"{name}.")
        elif value is None:
            yield name, math.nan
        elif isinstance(value, Real):
            yield name, float(value)
