"""Ground travel parameters of a region (``road.json``).

Sources of every default are listed in ``geodata/SOURCES.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from geodata.errors import fail


@dataclass(frozen=True)
class FerryInfo:
    """Extra time for road legs that touch an island site (``island`` column is True).

    Attributes
    ----------
    extra_min : float
        Minutes added to a road leg with an island end (crossing, waiting, loading), min.
    note : str
        Which sites count as island sites.
    """

    extra_min: float = 45.0
    note: str = "applies to road legs with an end at a site whose 'island' column is True"


@dataclass(frozen=True)
class RoadModel:
    """Simple road travel-time model: straight line x detour at a speed by distance band.

    Attributes
    ----------
    detour_factor : float
        Road km per straight-line km (dimensionless).
    urban_speed_kmh : float
        Effective door-to-door speed for legs up to ``urban_radius_km``, km/h.
    intercity_speed_kmh : float
        Effective speed for longer legs, km/h.
    urban_radius_km : float
        Straight-line distance up to which a leg is urban, km.
    peak_windows_h : tuple of (float, float)
        Peak traffic windows as (start hour, end hour) of the day, h.
    peak_factor : float
        Travel-time multiplier inside a peak window (dimensionless).
    handling_min : float
        Loading plus unloading time added once per leg, min.
    ferry : FerryInfo
        Extra time for island sites.
    """

    detour_factor: float = 1.3
    urban_speed_kmh: float = 25.0
    intercity_speed_kmh: float = 85.0
    urban_radius_km: float = 15.0
    peak_windows_h: tuple[tuple[float, float], ...] = ((7.0, 9.0), (17.0, 19.0))
    peak_factor: float = 1.6
    handling_min: float = 10.0
    ferry: FerryInfo = field(default_factory=FerryInfo)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (the layout of ``road.json``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["peak_windows_h"] = [list(w) for w in self.peak_windows_h]
        data["ferry"] = {"extra_min": self.ferry.extra_min, "note": self.ferry.note}
        return data


def road_from_dict(data: dict, source: str = "road.json") -> RoadModel:
    """Build a :class:`RoadModel` from a ``road.json`` dict; missing keys take defaults.

    Parameters
    ----------
    data : dict
        Parsed JSON; unknown keys (e.g. ``"_units"``, ``"_sources"``) are ignored if they start
        with ``_``.
    source : str
        File name for error messages.
    """
    known = {f.name for f in fields(RoadModel)}
    unknown = sorted(k for k in data if k not in known and not k.startswith("_"))
    if unknown:
        raise fail(source, unknown[0], f"a known road parameter ({sorted(known)})")
    kwargs = {k: v for k, v in data.items() if k in known}
    if "peak_windows_h" in kwargs:
        kwargs["peak_windows_h"] = _windows(kwargs["peak_windows_h"], source)
    if "ferry" in kwargs:
        kwargs["ferry"] = FerryInfo(**kwargs["ferry"])
    road = RoadModel(**kwargs)
    _check_positive(road, source)
    return road


def road_from_json(text: str | None, source: str = "road.json") -> RoadModel:
    """Parse ``road.json`` text; ``None`` (file absent) gives the defaults."""
    if text is None:
        return RoadModel()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(source, "<document>", f"valid JSON ({exc})") from exc
    return road_from_dict(data, source)


def _windows(raw: list, source: str) -> tuple[tuple[float, float], ...]:
    try:
        windows = tuple((float(a), float(b)) for a, b in raw)
    except (TypeError, ValueError) as exc:
        raise fail(source, "peak_windows_h", "a list of [start_hour, end_hour]") from exc
    for a, b in windows:
        if not 0 <= a < b <= 24:
            raise fail(source, "peak_windows_h", f"0 <= start < end <= 24, got [{a}, {b}]")
    return windows


def _check_positive(road: RoadModel, source: str) -> None:
    for name in ("detour_factor", "urban_speed_kmh", "intercity_speed_kmh", "peak_factor"):
        if not getattr(road, name) > 0:
            raise fail(source, name, f"a positive number, got {getattr(road, name)!r}")
    for name in ("urban_radius_km", "handling_min"):
        if not getattr(road, name) >= 0:
            raise fail(source, name, f"a non-negative number, got {getattr(road, name)!r}")
