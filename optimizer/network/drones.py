"""Drone legs between drone ports: range, no-fly zones, flight minutes and sorties.

A drone port sits at a host site (blood station, hospital, rail station) and has its host's
position. A leg between two ports exists only if the straight line between them is at most
``range_km`` long and touches no no-fly polygon. Flight time is the straight-line distance at
the block speed ``cruise_kmh``; the observed Chinese block speeds (40-55 km/h, facts 5.2)
already include climb and descent, so the take-off/landing allowance defaults to 0 min.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import Region
from optimizer.network.geometry import distance_matrix_km

NO_PORT = -1


@dataclass(frozen=True)
class DroneParams:
    """Drone performance (defaults: Antwork RA3 class, facts 5.2 and 5.4).

    Attributes
    ----------
    payload_kg : float
        Payload per sortie, kg.
    range_km : float
        Longest one-way leg, km.
    cruise_kmh : float
        Block speed including climb and descent, km/h.
    turnaround_min : float
        Reload and battery swap before each take-off, min.
    takeoff_landing_min : float
        Extra minutes added to every flight for take-off and landing, min.
    """

    payload_kg: float = 5.0
    range_km: float = 15.0
    cruise_kmh: float = 55.0
    turnaround_min: float = 5.0
    takeoff_landing_min: float = 0.0


def units_per_sortie(payload_kg: float, bag_kg: float) -> int:
    """Bags one drone carries per sortie.

    Parameters
    ----------
    payload_kg : float
        Drone payload, kg.
    bag_kg : float
        Weight of one bag with its share of the box, kg.

    Returns
    -------
    int
        ``floor(payload_kg / bag_kg)`` (a small tolerance absorbs float error: 5 / 0.25 = 20).
    """
    if bag_kg <= 0:
        raise ValueError(f"bag_kg: expected a positive weight, got {bag_kg!r}")
    return int(math.floor(payload_kg / bag_kg + 1e-9))


def sorties_needed(n_bags: int, payload_kg: float, bag_kg: float) -> int:
    """Sorties to carry ``n_bags`` bags (0 for no bags).

    Parameters
    ----------
    n_bags : int
        Bags to carry, units.
    payload_kg, bag_kg : float
        Drone payload and bag weight, kg.
    """
    per = units_per_sortie(payload_kg, bag_kg)
    if per < 1:
        raise ValueError(f"bag_kg: a bag of {bag_kg} kg exceeds the payload of {payload_kg} kg")
    return -(-int(n_bags) // per)


@dataclass(frozen=True, eq=False)
class DroneNetwork:
    """Flyable port-to-port legs of a region.

    Attributes
    ----------
    port_sites : ndarray of int
        Site position of each port (row of ``region.sites``).
    host_sites : ndarray of int
        Site position of each port's host.
    port_of_site : ndarray of int
        For every site, the index of its port (the site is the port or hosts it), else -1.
    km : ndarray
        Straight-line port x port distance, km.
    minutes : ndarray
        Flight minutes port x port; ``inf`` where not flyable (and on the diagonal).
    """

    port_sites: np.ndarray
    host_sites: np.ndarray
    port_of_site: np.ndarray
    km: np.ndarray
    minutes: np.ndarray
    lonlat: np.ndarray
    range_km: float

    @classmethod
    def build(
        cls,
        lat: np.ndarray,
        lon: np.ndarray,
        port_sites: Sequence[int],
        host_sites: Sequence[int],
        zones: Sequence[BaseGeometry],
        params: DroneParams,
    ) -> DroneNetwork:
        """Port x port flight matrices.

        Parameters
        ----------
        lat, lon : ndarray
            Coordinates of all sites, degrees.
        port_sites, host_sites : sequence of int
            Site positions of the ports and of their hosts.
        zones : sequence of shapely geometries
            No-fly polygons, lon/lat degrees.
        params : DroneParams
            Range (km), block speed (km/h) and take-off/landing allowance (min).
        """
        ports = np.asarray(port_sites, dtype=np.int64)
        lonlat = np.column_stack([np.asarray(lon, float)[ports], np.asarray(lat, float)[ports]])
        km = distance_matrix_km(lonlat[:, 1], lonlat[:, 0])
        ok = (km <= params.range_km) & ~_crosses_zones(lonlat, km <= params.range_km, zones)
        np.fill_diagonal(ok, False)
        minutes = np.where(ok, km / params.cruise_kmh * 60.0 + params.takeoff_landing_min, np.inf)
        hosts = np.asarray(host_sites, dtype=np.int64)
        index = _port_index(len(lat), ports, hosts)
        return cls(ports, hosts, index, km, minutes, lonlat, params.range_km)

    @classmethod
    def from_region(cls, region: Region, params: DroneParams) -> DroneNetwork:
        """Ports of kind ``drone_port`` and the ``no_fly`` polygons of ``region``."""
        sites = region.sites
        position = {sid: k for k, sid in enumerate(sites["site_id"])}
        is_port = (sites["kind"] == "drone_port").to_numpy()
        ports = np.flatnonzero(is_port)
        hosts = [position[h] for h in sites["host_site_id"].to_numpy()[ports]]
        zones = list(region.no_fly.geometry)
        lat, lon = sites.geometry.y.to_numpy(), sites.geometry.x.to_numpy()
        return cls.build(lat, lon, ports, hosts, zones, params)

    @property
    def flyable(self) -> np.ndarray:
        """Boolean port x port matrix of legs that exist."""
        return np.isfinite(self.minutes)

    def port_of(self, site: int) -> int:
        """Port index at ``site`` (the site is a port or hosts one), or -1."""
        return int(self.port_of_site[site])

    def with_zone(self, zone: BaseGeometry) -> DroneNetwork:
        """The network with one more no-fly polygon (e.g. an incident's airspace closure)."""
        crossing = _crosses_zones(self.lonlat, self.flyable, [zone])
        minutes = np.where(crossing, np.inf, self.minutes)
        return DroneNetwork(
            self.port_sites,
            self.host_sites,
            self.port_of_site,
            self.km,
            minutes,
            self.lonlat,
            self.range_km,
        )


def _port_index(n_sites: int, ports: np.ndarray, hosts: np.ndarray) -> np.ndarray:
    index = np.full(n_sites, NO_PORT, dtype=np.int64)
    order = np.arange(len(ports))
    index[hosts[::-1]] = order[::-1]  # a host with several ports maps to its first port
    index[ports] = order
    return index


def _crosses_zones(
    lonlat: np.ndarray, candidates: np.ndarray, zones: Sequence[BaseGeometry]
) -> np.ndarray:
    """Port x port mask of candidate straight legs that intersect any zone (STRtree query)."""
    out = np.zeros(candidates.shape, dtype=bool)
    i, j = np.nonzero(np.triu(candidates, k=1))
    if len(zones) == 0 or len(i) == 0:
        return out
    coords = np.stack([lonlat[i], lonlat[j]], axis=1)
    lines = shapely.linestrings(coords)
    tree = shapely.STRtree(list(zones))
    hit_line, _ = tree.query(lines, predicate="intersects")
    hit = np.zeros(len(i), dtype=bool)
    hit[hit_line] = True
    out[i[hit], j[hit]] = True
    return out | out.T
