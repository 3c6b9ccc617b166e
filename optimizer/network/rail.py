"""High-speed-rail courier trips: stations, fastest rides, a headway timetable, hand-overs.

A trip from rail station A to B, for goods that reach A at time ``t`` (minutes since the
scenario start), is::

    departure = next_departure(A, t + handover_min)     # boarding hand-over, then wait
    arrival   = departure + ride_min[A, B] + handover_min  # ride, then arrival hand-over

``ride_min`` is the fastest path over the region's rail segments; a ride over several
segments is treated as one through ride (the timetable does not model changes of train).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from geodata import Region

MINUTES_PER_DAY = 1440.0
_EPS = 1e-9


@dataclass(frozen=True)
class RailParams:
    """Courier service on high-speed rail (defaults: facts 6.1 and 6.2).

    Attributes
    ----------
    handover_min : float
        Hand-over at each end (boarding, and from the train to the last mile), min.
    first_departure_h, last_departure_h : float
        First and last departure of each day, hours after midnight.
    headway_min : float
        Minutes between departures.
    """

    handover_min: float = 12.0
    first_departure_h: float = 6.5
    last_departure_h: float = 22.0
    headway_min: float = 30.0


@dataclass(frozen=True)
class Timetable:
    """Departures every ``headway_min`` from ``first_min`` to ``last_min`` of each day.

    Attributes
    ----------
    first_min, last_min : float
        First and last departure as minutes after midnight, min.
    headway_min : float
        Minutes between departures.
    """

    first_min: float
    last_min: float
    headway_min: float

    @classmethod
    def from_params(cls, params: RailParams) -> Timetable:
        """Timetable of ``params`` (hours converted to minutes)."""
        return cls(
            params.first_departure_h * 60.0, params.last_departure_h * 60.0, params.headway_min
        )

    def next_departure(self, t: float | np.ndarray) -> np.ndarray:
        """First departure at or after ``t`` (minutes since the start; day 0 midnight = 0)."""
        t = np.asarray(t, dtype=float)
        finite = np.isfinite(t)
        t_ok = np.where(finite, t, 0.0)  # inf (never there) stays inf, without NaN warnings
        day = np.floor(t_ok / MINUTES_PER_DAY) * MINUTES_PER_DAY
        k = np.ceil(np.maximum(t_ok - day - self.first_min, 0.0) / self.headway_min - _EPS)
        today = day + self.first_min + k * self.headway_min
        tomorrow = day + MINUTES_PER_DAY + self.first_min
        return np.where(finite, np.where(today - day <= self.last_min + _EPS, today, tomorrow), t)


@dataclass(frozen=True, eq=False)
class RailNetwork:
    """Rail stations, all-pairs fastest rides and the courier timetable.

    Attributes
    ----------
    station_sites : ndarray of int
        Site position of each rail station (row of ``region.sites``).
    ride_min : ndarray
        Fastest ride station x station, min (``inf`` if not connected, 0 on the diagonal).
    handover_min : float
        Hand-over at each end of a trip, min.
    timetable : Timetable
        Departure rule, the same at every station.
    """

    station_sites: np.ndarray
    ride_min: np.ndarray
    handover_min: float
    timetable: Timetable

    @classmethod
    def build(
        cls,
        station_sites: Sequence[int],
        segments: Iterable[tuple[int, int, float]],
        params: RailParams,
    ) -> RailNetwork:
        """Network from station site positions and ``(site_a, site_b, minutes)`` segments.

        Segments are ridden both ways; the ride time is the shortest path, min.
        """
        stations = np.asarray(station_sites, dtype=np.int64)
        graph = nx.Graph()
        graph.add_nodes_from(int(s) for s in stations)
        for a, b, minutes in segments:
            _add_segment(graph, int(a), int(b), float(minutes))
        ride = _all_pairs(graph, stations)
        return cls(stations, ride, params.handover_min, Timetable.from_params(params))

    @classmethod
    def from_region(cls, region: Region, params: RailParams) -> RailNetwork:
        """Stations of kind ``rail_station`` and the segments of ``region.rail_lines``."""
        position = {sid: k for k, sid in enumerate(region.sites["site_id"])}
        stations = np.flatnonzero((region.sites["kind"] == "rail_station").to_numpy())
        lines = region.rail_lines
        segments = zip(
            lines["from_site"].map(position),
            lines["to_site"].map(position),
            lines["minutes"],
            strict=True,
        )
        return cls.build(stations, segments, params)

    def station_of(self, site: int) -> int:
        """Station index of ``site``, or -1 if it is not a rail station."""
        hit = np.flatnonzero(self.station_sites == site)
        return int(hit[0]) if len(hit) else -1

    def next_departure(self, station: int, t: float) -> float:
        """First courier departure from station index ``station`` at or after ``t``, min."""
        if not 0 <= station < len(self.station_sites):
            raise IndexError(f"station: expected 0..{len(self.station_sites) - 1}, got {station}")
        return float(self.timetable.next_departure(t))

    def arrival(self, origin: int, dest: int, at_station_min: float) -> float:
        """When goods reaching station ``origin`` at ``at_station_min`` are released at ``dest``.

        Parameters
        ----------
        origin, dest : int
            Station indices.
        at_station_min : float
            Arrival of the goods at the origin station, minutes since the start.
        """
        departure = self.next_departure(origin, at_station_min + self.handover_min)
        return departure + float(self.ride_min[origin, dest]) + self.handover_min


def _add_segment(graph: nx.Graph, a: int, b: int, minutes: float) -> None:
    if minutes <= 0:
        raise ValueError(f"rail segment {a}-{b}: expected positive minutes, got {minutes}")
    if graph.has_edge(a, b):
        minutes = min(minutes, graph[a][b]["minutes"])
    graph.add_edge(a, b, minutes=minutes)


def _all_pairs(graph: nx.Graph, stations: np.ndarray) -> np.ndarray:
    index = {int(s): k for k, s in enumerate(stations)}
    ride = np.full((len(stations), len(stations)), np.inf)
    for source, lengths in nx.all_pairs_dijkstra_path_length(graph, weight="minutes"):
        for target, minutes in lengths.items():
            if source in index and target in index:
                ride[index[source], index[target]] = minutes
    return ride
