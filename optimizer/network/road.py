"""Road travel times: straight line x detour, urban and intercity speeds, peak hours.

The matrices are computed once per region (NumPy); a leg's time depends on the hour it
departs only through the peak factor on its urban part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from optimizer.network.geometry import distance_matrix_km

MINUTES_PER_DAY = 1440.0


class RoadParameters(Protocol):
    """What the road model needs (``geodata.RoadModel`` satisfies it)."""

    detour_factor: float
    urban_speed_kmh: float
    intercity_speed_kmh: float
    urban_radius_km: float
    peak_windows_h: tuple[tuple[float, float], ...]
    peak_factor: float
    handling_min: float


@dataclass(frozen=True)
class RoadTimes:
    """Road distances (km) and off-peak / peak times (min) between all sites.

    Attributes
    ----------
    km : ndarray
        Road distance, km (straight line x detour factor).
    urban_min, rest_min : ndarray
        Minutes of the urban part (peak-sensitive) and of the rest (handling, intercity part,
        ferry), so that ``time = urban_min * peak + rest_min``.
    """

    km: np.ndarray
    urban_min: np.ndarray
    rest_min: np.ndarray
    peak_windows_min: tuple[tuple[float, float], ...]
    peak_factor: float

    @classmethod
    def build(
        cls,
        lat: np.ndarray,
        lon: np.ndarray,
        road: RoadParameters,
        island: np.ndarray | None = None,
        ferry_min: float = 0.0,
    ) -> RoadTimes:
        """Matrices for sites at ``lat``/``lon`` (degrees) under ``road``."""
        straight = distance_matrix_km(lat, lon)
        urban_km = np.minimum(straight, road.urban_radius_km) * road.detour_factor
        rest_km = np.maximum(straight - road.urban_radius_km, 0.0) * road.detour_factor
        urban = urban_km / road.urban_speed_kmh * 60.0
        rest = rest_km / road.intercity_speed_kmh * 60.0 + road.handling_min
        if island is not None:
            island = np.asarray(island, dtype=bool)
            rest = rest + ferry_min * (island[:, None] != island[None, :])
        np.fill_diagonal(urban, 0.0)
        np.fill_diagonal(rest, 0.0)
        windows = tuple((a * 60.0, b * 60.0) for a, b in road.peak_windows_h)
        return cls(straight * road.detour_factor, urban, rest, windows, road.peak_factor)

    def peak_multiplier(self, depart_min: float) -> float:
        """Travel-time factor for a departure at ``depart_min`` (minutes since start)."""
        minute_of_day = float(depart_min) % MINUTES_PER_DAY  # a Python float: fast compares
        for start, end in self.peak_windows_min:
            if start <= minute_of_day < end:
                return self.peak_factor
        return 1.0

    def offpeak_minutes(self, origin: object, dest: object) -> object:
        """Road minutes outside peak hours (indices or index arrays, NumPy broadcasting)."""
        return self.urban_min[origin, dest] + self.rest_min[origin, dest]

    def minutes(self, origin: int, dest: int, depart_min: float) -> float:
        """Door-to-door road time in minutes from site ``origin`` to ``dest``."""
        factor = self.peak_multiplier(depart_min)
        urban, rest = float(self.urban_min[origin, dest]), float(self.rest_min[origin, dest])
        return leg_minutes(urban, rest, factor)


def leg_minutes(urban_min: float, rest_min: float, peak_factor: float) -> float:
    """Road time (min) of a leg from its urban and other minutes under ``peak_factor``
    (:meth:`RoadTimes.peak_multiplier`): the one formula every road time uses."""
    return urban_min * peak_factor + rest_min
