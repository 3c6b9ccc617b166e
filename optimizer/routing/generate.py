"""Synthetic blood-delivery routing instances: morning replenishment from blood stations.

Shape (not calibrated to one province; the numbers are assumptions, stated here):

- ``stations`` blood stations (depots) spread over a square region of ``region_km``
  km; each has its own van fleet (one vehicle type per station, routes start and
  end there).
- Hospitals are clustered around the stations (normal scatter, ``spread_km``), a
  few (``rural_share``) scattered uniformly over the region; a hospital beyond 80 % of
  the ride limit from every station is pulled towards the nearest one, and windows
  open no earlier than a van from there could arrive (every instance is feasible).
- Road distance = straight line × 1.3 (detour factor), urban van speed 35 km/h.
- Each hospital receives 2-24 units (one delivery), service 10 min at the blood bank.
- Receiving windows open between 07:00 and 09:30 and stay open 60-150 min (times are
  minutes from 06:00, when the vans may leave); stations work round the clock, vans
  work 6 h shifts.
- Cold chain: every unit must reach its hospital within ``ride_min`` of the van's
  departure (one shared limit, e.g. a validated 2-10 °C shipper box). With
  ``mixed_ride`` about a third of the hospitals (those near a station) get platelets
  instead, with a shorter limit (``0.6 × ride_min``): limits then differ by client,
  the case PyVRP cannot model exactly (see :mod:`~optimizer.routing.ride`).
- Vans: 100 units, 6 h shift, 150 yuan a day plus 2.5 yuan per km.
"""

from __future__ import annotations

import numpy as np

from optimizer.routing.problem import Client, Depot, RoutingProblem, VehicleType

__all__ = ["blood_instance"]

DETOUR = 1.3
SPEED_KM_PER_MIN = 35 / 60
SERVICE_MIN = 10.0
VAN_UNITS = 100.0


def _road_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Road km from every point of ``a`` to every point of ``b`` (km coordinates)."""
    return DETOUR * np.hypot(*(a[:, None, :] - b[None, :, :]).transpose(2, 0, 1))


def _places(
    rng: np.random.Generator,
    stations: int,
    hospitals: int,
    region_km: float,
    spread_km: float,
    rural_share: float,
    reach_min: float,
) -> tuple[np.ndarray, np.ndarray]:
    depots = rng.uniform(0.2 * region_km, 0.8 * region_km, size=(stations, 2))
    home = rng.integers(0, stations, size=hospitals)
    sites = depots[home] + rng.normal(0.0, spread_km, size=(hospitals, 2))
    rural = rng.random(hospitals) < rural_share
    sites[rural] = rng.uniform(0.0, region_km, size=(int(rural.sum()), 2))
    sites = np.clip(sites, 0.0, region_km)
    # hospitals beyond the cold-chain reach of every station move towards the nearest one
    minutes = _road_km(sites, depots) / SPEED_KM_PER_MIN
    nearest = depots[np.argmin(minutes, axis=1)]
    shrink = np.minimum(1.0, reach_min / np.maximum(minutes.min(axis=1), 1e-9))
    return depots, nearest + (sites - nearest) * shrink[:, None]


def _clients(
    rng: np.random.Generator, nearest_min: np.ndarray, ride_min: float, mixed_ride: bool
) -> tuple[Client, ...]:
    n = len(nearest_min)
    opens = np.maximum(rng.uniform(60.0, 210.0, size=n), np.ceil(nearest_min))
    widths = rng.uniform(60.0, 150.0, size=n)
    units = rng.integers(2, 25, size=n)
    short = float(round(0.6 * ride_min))
    platelets = (rng.random(n) < (1 / 3 if mixed_ride else 0.0)) & (nearest_min <= 0.8 * short)
    return tuple(
        Client(
            name=f"H{i:03d}",
            delivery=float(units[i]),
            tw_early=float(round(opens[i])),
            tw_late=float(round(opens[i] + widths[i])),
            service_min=SERVICE_MIN,
            max_ride_min=short if platelets[i] else ride_min,
        )
        for i in range(n)
    )


def _fleet(clients: tuple[Client, ...], stations: int) -> tuple[VehicleType, ...]:
    total = sum(c.delivery for c in clients)
    per_station = int(np.ceil(total / VAN_UNITS / stations * 2.0)) + 2
    return tuple(
        VehicleType(
            count=per_station,
            capacity=VAN_UNITS,
            start_depot=s,
            end_depot=s,
            fixed_cost=150.0,
            cost_per_km=2.5,
            max_duration_min=360.0,
            name=f"van{s}",
        )
        for s in range(stations)
    )


def blood_instance(
    seed: int,
    *,
    hospitals: int = 150,
    stations: int = 3,
    region_km: float = 80.0,
    spread_km: float = 8.0,
    rural_share: float = 0.1,
    ride_min: float = 150.0,
    mixed_ride: bool = False,
) -> RoutingProblem:
    """Generate one instance (deterministic for a seed).

    Parameters
    ----------
    seed
        Random seed (>= 0).
    hospitals
        Number of hospitals to serve (clients).
    stations
        Number of blood stations (depots, one van fleet each).
    region_km
        Side of the square region (km).
    spread_km
        Standard deviation of a hospital's offset from its station (km).
    rural_share
        Share of hospitals placed uniformly instead of near a station.
    ride_min
        Cold-chain limit from departure to hand-over (minutes).
    mixed_ride
        Give a third of the hospitals a shorter limit (``0.6 × ride_min``).

    Returns
    -------
    RoutingProblem
        Distances in km, times in minutes from 06:00, loads in units, costs in yuan.
    """
    rng = np.random.default_rng(seed)
    depots, sites = _places(
        rng, stations, hospitals, region_km, spread_km, rural_share, reach_min=0.8 * ride_min
    )
    xy = np.vstack([depots, sites])
    km = np.round(_road_km(xy, xy), 1)
    nearest_min = _road_km(sites, depots).min(axis=1) / SPEED_KM_PER_MIN
    clients = _clients(rng, nearest_min, ride_min, mixed_ride)
    kind = "mixed" if mixed_ride else "shared"
    return RoutingProblem(
        depots=tuple(Depot(name=f"S{s}") for s in range(stations)),
        clients=clients,
        vehicle_types=_fleet(clients, stations),
        distance=km[None],
        duration=np.round(km / SPEED_KM_PER_MIN, 1)[None],
        name=f"blood-{kind}-{hospitals}-{seed}",
    )
