"""Small geometry helpers for the build: distances, circles, snapping, jittered points."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG_LAT = 111.32
#: Sites outside the simplified outline move to the nearest point of the outline shrunk by this.
SNAP_INSET_DEG = 0.001


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two lon/lat points, km."""
    lat1, lat2 = math.radians(a.y), math.radians(b.y)
    dlat, dlon = lat2 - lat1, math.radians(b.x - a.x)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def circle(center: Point, radius_km: float, n: int = 48) -> Polygon:
    """Polygon approximating a circle of ``radius_km`` (km) on the ground around ``center``."""
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    dy = radius_km / KM_PER_DEG_LAT * np.sin(angles)
    dx = radius_km / (KM_PER_DEG_LAT * math.cos(math.radians(center.y))) * np.cos(angles)
    return Polygon(np.round(np.column_stack([center.x + dx, center.y + dy]), 5))


def round_point(p: Point) -> Point:
    """Point with coordinates rounded to 5 decimals (about 1 m)."""
    return Point(round(p.x, 5), round(p.y, 5))


def snap_inside(p: Point, outline: BaseGeometry) -> tuple[Point, bool]:
    """``p`` unchanged if the outline covers it, else the nearest point of the inset outline.

    Returns the point and whether it was moved.
    """
    if outline.covers(p):
        return p, False
    inset = outline.buffer(-SNAP_INSET_DEG)
    target = nearest_points(inset, p)[0]
    return round_point(target), True


def jitter_within(
    rng: np.random.Generator, center: Point, sigma_km: float, area: BaseGeometry, tries: int = 200
) -> Point:
    """A point drawn from a normal around ``center`` (``sigma_km``, km) that lies in ``area``.

    Falls back to ``center`` after ``tries`` rejected draws.
    """
    prepared = shapely.prepared.prep(area)
    for _ in range(tries):
        dy, dx = rng.normal(0.0, sigma_km, size=2)
        p = round_point(
            Point(
                center.x + dx / (KM_PER_DEG_LAT * math.cos(math.radians(center.y))),
                center.y + dy / KM_PER_DEG_LAT,
            )
        )
        if prepared.contains(p):
            return p
    return center
