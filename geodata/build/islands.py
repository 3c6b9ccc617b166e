"""Island flag: a site is on an island when its outline part is neither the mainland (the
largest part) nor an island joined by a fixed link (``cfg.bridged_island_points``)."""

from __future__ import annotations

import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geodata.build.config import ProvinceConfig


def island_flags(cfg: ProvinceConfig, points: pd.Series, outline: BaseGeometry) -> list[bool]:
    """True for each point on an island without a fixed link to the mainland."""
    parts = sorted(getattr(outline, "geoms", [outline]), key=lambda g: -g.area)
    linked = [parts[0]] + [
        part
        for part in parts[1:]
        if any(part.covers(Point(lon, lat)) for lat, lon in cfg.bridged_island_points)
    ]
    return [not any(part.covers(p) for part in linked) for p in points]
