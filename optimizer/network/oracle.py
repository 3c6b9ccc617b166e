"""Travel-time oracle: the fastest van / drone / rail chain between two sites at a given time.

Candidates for a request from site ``o`` to site ``d`` departing at ``t`` (minutes since the
scenario start):

- direct van (peak-aware road time);
- direct drone from ``o``'s port to ``d``'s port (``turnaround_min`` before take-off);
- rail chains ``o -> station i -> station j -> d``, the first and last mile by van or by
  drone, with the rail trip of :mod:`optimizer.network.rail` in between.

All chains (4 mode combinations x stations x stations) are evaluated at once with NumPy; the
candidates are then taken fastest first, and the first whose drone legs are not grounded wins.
Ties go to the direct van, then the direct drone, then chains in a fixed order, so the answer
is deterministic. Direct van is always a candidate (when ``"van"`` is allowed), so the chosen
route is never slower than it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import Region
from optimizer.network.bounds import TravelBounds
from optimizer.network.drones import DroneNetwork, DroneParams
from optimizer.network.geometry import distance_matrix_km
from optimizer.network.rail import RailNetwork, RailParams
from optimizer.network.road import MINUTES_PER_DAY, RoadTimes

ALL_MODES: frozenset[str] = frozenset({"van", "drone", "rail"})
Grounding = Callable[[float, float], bool]
# Chain combinations (first mile, last mile), in tie-break order.
_COMBOS = (("van", "van"), ("van", "drone"), ("drone", "van"), ("drone", "drone"))


class NoRoute(ValueError):
    """No allowed mode connects the two sites at the requested time."""


@dataclass(frozen=True)
class RouteLeg:
    """One movement by one mode.

    Attributes
    ----------
    mode : str
        ``"van"``, ``"drone"`` or ``"rail"``.
    from_site, to_site : int
        Site positions (rows of ``region.sites``); drone legs name the port hosts.
    depart_min, arrive_min : float
        Departure (take-off, train departure) and arrival, minutes since the start.
    km : float
        Road km (van), straight-line km (drone, and rail station to station).
    """

    mode: str
    from_site: int
    to_site: int
    depart_min: float
    arrive_min: float
    km: float


@dataclass(frozen=True)
class Route:
    """A door-to-door route: a chain of legs with hand-overs between them.

    Attributes
    ----------
    arrival_min : float
        Arrival at the destination, minutes since the start.
    legs : tuple of RouteLeg
        Legs in order (empty when origin and destination coincide).
    modes : str
        Leg modes joined by ``+``, e.g. ``"van"``, ``"drone"``, ``"van+rail+drone"``
        (``"none"`` for an empty route).
    """

    arrival_min: float
    legs: tuple[RouteLeg, ...]
    modes: str

    @classmethod
    def of(cls, legs: Sequence[RouteLeg], arrival_min: float) -> Route:
        """Route of ``legs`` arriving at ``arrival_min`` (minutes since the start)."""
        label = "+".join(leg.mode for leg in legs) or "none"
        return cls(float(arrival_min), tuple(legs), label)


@dataclass(frozen=True, eq=False)
class OracleMatrices:
    """Slices of the mode matrices that the chain evaluation reads (rebuilt on every change).

    Attributes
    ----------
    station_port : ndarray of int
        Port index of each rail station, -1 if it has none.
    fly_to_station, fly_from_station : ndarray
        Flight minutes port x station and station x port (``inf`` if not flyable).
    urban_to, rest_to : ndarray
        Road minutes site x station (urban part, rest), min.
    urban_from, rest_from : ndarray
        Road minutes station x site, min.
    rail_arrival_min : ndarray
        Ride plus arrival hand-over, station x station, ``inf`` on the diagonal, min.
    """

    station_port: np.ndarray
    fly_to_station: np.ndarray
    fly_from_station: np.ndarray
    urban_to: np.ndarray
    rest_to: np.ndarray
    urban_from: np.ndarray
    rest_from: np.ndarray
    rail_arrival_min: np.ndarray

    @classmethod
    def build(cls, road: RoadTimes, drones: DroneNetwork, rail: RailNetwork) -> OracleMatrices:
        """Slices for ``road``, ``drones`` and ``rail``."""
        st = rail.station_sites
        port = drones.port_of_site[st]
        padded = np.pad(drones.minutes, ((0, 1), (0, 1)), constant_values=np.inf)
        ride = rail.ride_min + rail.handover_min
        np.fill_diagonal(ride, np.inf)
        return cls(
            port,
            padded[:, port],
            padded[port, :],
            road.urban_min[:, st],
            road.rest_min[:, st],
            road.urban_min[st, :],
            road.rest_min[st, :],
            ride,
        )


@dataclass(frozen=True, eq=False)
class TravelOracle:
    """Fastest multimodal routes between sites; rebuilt only when the network changes.

    Attributes
    ----------
    road : RoadTimes
        Road matrices over all sites.
    drones : DroneNetwork
        Flyable port legs.
    rail : RailNetwork
        Rail stations, rides and timetable.
    turnaround_min : float
        Reload and battery swap before each drone take-off, min.
    site_lonlat : ndarray
        Site coordinates (lon, lat), degrees; used for closures given as polygons.
    grounded_windows : tuple of (float, float)
        Intervals (minutes since the start) in which no drone flies.
    """

    road: RoadTimes
    drones: DroneNetwork
    rail: RailNetwork
    turnaround_min: float
    site_lonlat: np.ndarray
    grounded_windows: tuple[tuple[float, float], ...] = ()
    matrices: OracleMatrices = dataclasses.field(init=False, repr=False)
    bounds: TravelBounds = dataclasses.field(init=False, repr=False)
    _rail_km: dict[tuple[int, int], float] = dataclasses.field(
        init=False, repr=False, default_factory=dict
    )  # station pair -> straight-line km, computed on first use (each copy its own)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "matrices", OracleMatrices.build(self.road, self.drones, self.rail)
        )
        bounds = TravelBounds.build(self.road, self.drones, self.rail, self.turnaround_min)
        object.__setattr__(self, "bounds", bounds)

    @classmethod
    def from_region(
        cls, region: Region, drones: DroneParams | None = None, rail: RailParams | None = None
    ) -> TravelOracle:
        """Oracle over all sites of ``region`` (defaults: the scenario's default fleet)."""
        drones, rail = drones or DroneParams(), rail or RailParams()
        sites = region.sites
        lat, lon = sites.geometry.y.to_numpy(), sites.geometry.x.to_numpy()
        road = RoadTimes.build(
            lat,
            lon,
            region.road,
            sites["island"].to_numpy(dtype=bool),
            ferry_min=region.road.ferry.extra_min,
        )
        return cls(
            road,
            DroneNetwork.from_region(region, drones),
            RailNetwork.from_region(region, rail),
            drones.turnaround_min,
            np.column_stack([lon, lat]),
        )

    def fastest(
        self,
        origin: int,
        dest: int,
        depart_min: float,
        *,
        modes: frozenset[str] = ALL_MODES,
        drone_grounded: Grounding | None = None,
    ) -> Route:
        """Fastest route from site ``origin`` to site ``dest`` leaving at ``depart_min``.

        Parameters
        ----------
        origin, dest : int
            Site positions (rows of ``region.sites``).
        depart_min : float
            Time the goods are ready at ``origin``, minutes since the start.
        modes : frozenset of str
            Allowed modes among ``"van"``, ``"drone"``, ``"rail"``.
        drone_grounded : callable, optional
            ``drone_grounded(t0, t1)`` is True when drones may not fly between ``t0`` and
            ``t1`` (minutes); such drone legs are not used.

        Raises
        ------
        NoRoute
            If no allowed, ungrounded chain connects the sites.
        """
        if origin == dest:
            return Route.of((), depart_min)
        unknown = modes - ALL_MODES
        if unknown:
            raise ValueError(f"modes: expected a subset of {sorted(ALL_MODES)}, got {unknown}")
        t, grounded = float(depart_min), self._grounding(drone_grounded)
        direct = self._direct(origin, dest, t, modes)
        route = self._direct_route(direct, origin, dest, t, modes, grounded)
        if route is not None:
            return route
        rail = self._chains(origin, dest, t, modes).ravel() if "rail" in modes else np.empty(0)
        arrivals = np.concatenate([direct, rail])
        for index in np.argsort(arrivals, kind="stable"):
            if not np.isfinite(arrivals[index]):
                break
            legs = self._legs(int(index), origin, dest, t)
            if not any(grounded(g.depart_min, g.arrive_min) for g in legs if g.mode == "drone"):
                return Route.of(legs, self._arrival(legs))
        raise NoRoute(f"no route from site {origin} to site {dest} at {depart_min} min by {modes}")

    def _direct_route(
        self,
        direct: list[float],
        o: int,
        d: int,
        t: float,
        modes: frozenset[str],
        grounded: Grounding,
    ) -> Route | None:
        """The answer of :meth:`fastest` when a direct van or drone wins before any rail
        chain could arrive (by the chains' lower bound); None when the chains are needed."""
        chains = t + self.bounds.chain(o, d) if "rail" in modes else np.inf
        for index in (0, 1) if direct[0] <= direct[1] else (1, 0):
            if not direct[index] < chains:  # also inf and NaN: leave it to the full search
                return None
            legs = self._legs(index, o, d, t)
            if not any(grounded(g.depart_min, g.arrive_min) for g in legs if g.mode == "drone"):
                return Route.of(legs, self._arrival(legs))
        return None

    def with_closed_roads(
        self, closure: np.ndarray | BaseGeometry, factor: float = np.inf
    ) -> TravelOracle:
        """Oracle whose affected road pairs take ``factor`` times longer (``inf``: closed).

        Parameters
        ----------
        closure : ndarray of bool or shapely geometry
            Site x site mask of affected road legs, or an area (lon/lat degrees): every leg
            whose straight line meets it is affected.
        factor : float
            Travel-time multiplier on affected legs (dimensionless); ``inf`` closes them.
        """
        mask = closure if isinstance(closure, np.ndarray) else self._crossing(closure)
        mask = np.asarray(mask, dtype=bool) & ~np.eye(len(mask), dtype=bool)
        road = _scaled_road(self.road, mask, factor)
        return dataclasses.replace(self, road=road)

    def with_grounding(self, windows: Sequence[tuple[float, float]]) -> TravelOracle:
        """Oracle with drones grounded in extra ``(start, end)`` windows, minutes since start."""
        extra = tuple((float(a), float(b)) for a, b in windows)
        return dataclasses.replace(self, grounded_windows=self.grounded_windows + extra)

    def with_no_fly(self, zone: BaseGeometry) -> TravelOracle:
        """Oracle with one more no-fly polygon (lon/lat degrees)."""
        return dataclasses.replace(self, drones=self.drones.with_zone(zone))

    # -- candidate evaluation -------------------------------------------------------------

    def _direct(self, o: int, d: int, t: float, modes: frozenset[str]) -> list[float]:
        """Arrival minutes of the direct van and the direct drone (``inf`` if not allowed)."""
        van = self.road.minutes(o, d, t) + t if "van" in modes else np.inf
        fly = self._fly(o, d) if "drone" in modes else np.inf
        return [van, t + self.turnaround_min + fly]

    def _chains(self, o: int, d: int, t: float, modes: frozenset[str]) -> np.ndarray:
        """Arrival minutes of rail chains, shape (4 combos, stations, stations)."""
        m, here = self.matrices, self.rail.station_sites
        van_first = t + m.urban_to[o] * _peak(self.road, t) + m.rest_to[o]
        drone_first = t + self.turnaround_min + m.fly_to_station[self.drones.port_of(o)]
        ready = np.stack([_allow(van_first, "van" in modes), _allow(drone_first, "drone" in modes)])
        ready[0, here == o] = t  # already at the station: no first mile
        departure = self.rail.timetable.next_departure(ready + self.rail.handover_min)
        released = departure[:, :, None] + m.rail_arrival_min[None]  # (2 first modes, i, j)
        van_last = released + m.urban_from[:, d] * _peak(self.road, released) + m.rest_from[:, d]
        drone_last = released + self.turnaround_min + m.fly_from_station[:, self.drones.port_of(d)]
        van_last = _allow(van_last, "van" in modes)
        van_last[:, :, here == d] = released[:, :, here == d]  # at the destination: no last mile
        drone_last = _allow(drone_last, "drone" in modes)
        return np.stack([van_last, drone_last], axis=1)  # (first, last, i, j) = combo order

    def _fly(self, o: int, d: int) -> float:
        po, pd = self.drones.port_of(o), self.drones.port_of(d)
        if po < 0 or pd < 0:
            return np.inf
        return float(self.drones.minutes[po, pd])

    # -- route reconstruction -------------------------------------------------------------

    def _legs(self, index: int, o: int, d: int, t: float) -> list[RouteLeg]:
        if index == 0:
            return [self._van_leg(o, d, t)]
        if index == 1:
            return [self._drone_leg(o, d, t)]
        k = len(self.rail.station_sites)
        combo, i, j = np.unravel_index(index - 2, (len(_COMBOS), k, k))
        first, last = _COMBOS[combo]
        return self._chain_legs(first, last, int(i), int(j), o, d, t)

    def _chain_legs(
        self, first: str, last: str, i: int, j: int, o: int, d: int, t: float
    ) -> list[RouteLeg]:
        si, sj = int(self.rail.station_sites[i]), int(self.rail.station_sites[j])
        legs = [self._leg(first, o, si, t)] if o != si else []
        at_station = legs[-1].arrive_min if legs else t
        legs.append(self._rail_leg(i, j, at_station))
        released = legs[-1].arrive_min + self.rail.handover_min
        if sj != d:
            legs.append(self._leg(last, sj, d, released))
        return legs

    def _arrival(self, legs: Sequence[RouteLeg]) -> float:
        """Arrival of the goods: the last leg's, plus the hand-over if it ends on a train."""
        last = legs[-1]
        return last.arrive_min + (self.rail.handover_min if last.mode == "rail" else 0.0)

    def _leg(self, mode: str, a: int, b: int, t: float) -> RouteLeg:
        return self._van_leg(a, b, t) if mode == "van" else self._drone_leg(a, b, t)

    def _van_leg(self, a: int, b: int, t: float) -> RouteLeg:
        arrive = t + self.road.minutes(a, b, t)
        return RouteLeg("van", a, b, t, arrive, float(self.road.km[a, b]))

    def _drone_leg(self, a: int, b: int, t: float) -> RouteLeg:
        pa, pb = self.drones.port_of(a), self.drones.port_of(b)
        takeoff = t + self.turnaround_min
        minutes = float(self.drones.minutes[pa, pb])
        return RouteLeg("drone", a, b, takeoff, takeoff + minutes, float(self.drones.km[pa, pb]))

    def _rail_leg(self, i: int, j: int, at_station: float) -> RouteLeg:
        departure = self.rail.next_departure(i, at_station + self.rail.handover_min)
        si, sj = self.rail.station_sites[i], self.rail.station_sites[j]
        arrive = departure + float(self.rail.ride_min[i, j])
        return RouteLeg("rail", int(si), int(sj), departure, arrive, self._station_km(si, sj))

    def _station_km(self, si: int, sj: int) -> float:
        """Straight-line km between the sites of two rail stations (cached per pair)."""
        key = (int(si), int(sj))
        km = self._rail_km.get(key)
        if km is None:
            lon, lat = self.site_lonlat[[si, sj], 0], self.site_lonlat[[si, sj], 1]
            km = self._rail_km[key] = float(distance_matrix_km(lat, lon)[0, 1])
        return km

    # -- events ----------------------------------------------------------------------------

    def _grounding(self, extra: Grounding | None) -> Grounding:
        windows = self.grounded_windows

        def grounded(t0: float, t1: float) -> bool:
            if any(t0 < end and t1 > start for start, end in windows):
                return True
            return bool(extra(t0, t1)) if extra is not None else False

        return grounded

    def _crossing(self, area: BaseGeometry) -> np.ndarray:
        """Site x site mask of straight legs that meet ``area``."""
        n = len(self.site_lonlat)
        i, j = np.triu_indices(n, k=1)
        lines = shapely.linestrings(np.stack([self.site_lonlat[i], self.site_lonlat[j]], axis=1))
        shapely.prepare(area)
        hit = shapely.intersects(lines, area)
        mask = np.zeros((n, n), dtype=bool)
        mask[i[hit], j[hit]] = True
        return mask | mask.T


def _allow(arrival: np.ndarray, allowed: bool) -> np.ndarray:
    """``arrival`` if the mode is allowed, else all ``inf``."""
    return arrival if allowed else np.full_like(arrival, np.inf)


def _peak(road: RoadTimes, t: float | np.ndarray) -> float | np.ndarray:
    """Peak multiplier for departures at ``t`` (minutes since the start), vectorised; a
    never-reached departure (``inf``) counts as midnight."""
    if isinstance(t, float):  # one departure: the road's own scalar rule, no array work
        return road.peak_multiplier(t if math.isfinite(t) else 0.0)
    t = np.asarray(t, dtype=float)
    minute = np.where(np.isfinite(t), t, 0.0) % MINUTES_PER_DAY
    peak = np.zeros(minute.shape, dtype=bool)
    for start, end in road.peak_windows_min:
        peak |= (start <= minute) & (minute < end)
    return np.where(peak, road.peak_factor, 1.0)


def _scaled_road(road: RoadTimes, mask: np.ndarray, factor: float) -> RoadTimes:
    """``road`` with masked pairs ``factor`` times slower (``inf``: impassable)."""
    if np.isinf(factor):
        rest = np.where(mask, np.inf, road.rest_min)
        return dataclasses.replace(road, rest_min=rest, km=np.where(mask, np.inf, road.km))
    urban = np.where(mask, road.urban_min * factor, road.urban_min)
    rest = np.where(mask, road.rest_min * factor, road.rest_min)
    return dataclasses.replace(road, urban_min=urban, rest_min=rest)
