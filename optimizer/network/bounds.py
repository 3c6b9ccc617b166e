"""Lower bounds on door-to-door travel time that hold at every departure time.

They let the travel oracle skip work that cannot change its answer (speed only, the answers
stay the same): the rail chains of :mod:`optimizer.network.oracle` are evaluated only when
their bound does not rule them out, and dispatch evaluates candidate sources in the order of
their bound, stopping as soon as no unevaluated source can arrive sooner.

Each leg is bounded independently of the hour: a van leg by its road minutes at the smaller
of the peak factor and 1, a drone leg by turnaround plus flight, a train by its boarding
hand-over with no wait, the ride and the arrival hand-over. ``SLACK_MIN`` is subtracted so
that rounding in the oracle's own sums (and the timetable's tolerance) never puts an exact
time below its bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from optimizer.network.drones import DroneNetwork
from optimizer.network.rail import RailNetwork
from optimizer.network.road import RoadTimes

SLACK_MIN = 1e-4  # minutes; far above rounding (about 1e-9 min at a year's minute counts)


@dataclass(frozen=True, eq=False)
class TravelBounds:
    """Hour-independent lower bounds on travel minutes between sites.

    Attributes
    ----------
    road : RoadTimes
        The road matrices the bounds were built from.
    flights : ndarray
        Port x port turnaround plus flight minutes, with a last row and column of ``inf``
        for sites without a port (port index -1), min.
    port_of_site : ndarray of int
        Port index of every site, -1 if none.
    to_rail : ndarray
        Site x rail station: least minutes from the site until a train releases the goods
        at that station (first mile, boarding hand-over, ride, arrival hand-over), min.
    from_rail : ndarray
        Rail station x site: least last-mile minutes (0 at the station itself), min.
    van_factor : float
        The smallest multiplier on urban road minutes (dimensionless, at most 1).
    """

    road: RoadTimes
    flights: np.ndarray
    port_of_site: np.ndarray
    to_rail: np.ndarray
    from_rail: np.ndarray
    van_factor: float
    _chain: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, road: RoadTimes, drones: DroneNetwork, rail: RailNetwork, turnaround_min: float
    ) -> TravelBounds:
        """Bounds for the road, drone and rail networks (``turnaround_min``: minutes)."""
        flights = np.pad(drones.minutes + turnaround_min, ((0, 1), (0, 1)), "constant")
        flights[-1, :] = flights[:, -1] = np.inf
        ports, factor = drones.port_of_site, min(1.0, float(road.peak_factor))
        stations, k = rail.station_sites, len(rail.station_sites)
        everywhere = np.arange(len(road.km))
        first = _legs(road, flights, ports, factor, everywhere, stations)  # site x station
        last = _legs(road, flights, ports, factor, stations, everywhere)  # station x site
        first[stations, np.arange(k)] = 0.0
        last[np.arange(k), stations] = 0.0
        ride = rail.ride_min + rail.handover_min
        np.fill_diagonal(ride, np.inf)
        to_rail = np.full(first.shape, np.inf)
        for i in range(k):  # one station at a time: memory sites x stations
            np.minimum(to_rail, first[:, i, None] + ride[i][None], out=to_rail)
        return cls(road, flights, ports, to_rail + rail.handover_min, last, factor)

    def legs(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Least minutes of one van or drone leg, sites ``a`` x sites ``b``."""
        return _legs(self.road, self.flights, self.port_of_site, self.van_factor, a, b)

    def chain(self, origin: int, dest: int) -> float:
        """Least minutes of any rail chain from ``origin`` to ``dest`` (inf without rail),
        minus ``SLACK_MIN``."""
        key = (origin, dest)
        if key not in self._chain:  # pairs repeat (a station's routine deliveries)
            if self.to_rail.shape[1]:
                least = float((self.to_rail[origin] + self.from_rail[:, dest]).min())
            else:
                least = np.inf
            self._chain[key] = least - SLACK_MIN
        return self._chain[key]

    def travel(self, origins: np.ndarray, dest: int) -> np.ndarray:
        """Least minutes of any route (van, drone or rail chain) from each of ``origins``
        to ``dest``, minus ``SLACK_MIN``."""
        origins = np.asarray(origins, dtype=np.int64)
        best = self.legs(origins, np.array([dest]))[:, 0]
        if self.to_rail.shape[1]:
            rail = (self.to_rail[origins] + self.from_rail[:, dest][None]).min(axis=1)
            best = np.minimum(best, rail)
        return best - SLACK_MIN


def _legs(
    road: RoadTimes,
    flights: np.ndarray,
    ports: np.ndarray,
    factor: float,
    a: np.ndarray,
    b: np.ndarray,
) -> np.ndarray:
    """Least minutes of one van or drone leg, sites ``a`` x sites ``b``."""
    van = road.urban_min[np.ix_(a, b)] * factor + road.rest_min[np.ix_(a, b)]
    return np.minimum(van, flights[np.ix_(ports[a], ports[b])])
