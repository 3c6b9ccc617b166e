"""Transport network: travel times by mode between the region's sites (no SimPy here)."""

from optimizer.network.drones import DroneNetwork, DroneParams, sorties_needed, units_per_sortie
from optimizer.network.oracle import (
    ALL_MODES,
    NoRoute,
    OracleMatrices,
    Route,
    RouteLeg,
    TravelOracle,
)
from optimizer.network.rail import RailNetwork, RailParams, Timetable
from optimizer.network.road import RoadTimes, leg_minutes

__all__ = [
    "ALL_MODES",
    "DroneNetwork",
    "DroneParams",
    "NoRoute",
    "OracleMatrices",
    "RailNetwork",
    "RailParams",
    "RoadTimes",
    "Route",
    "RouteLeg",
    "Timetable",
    "TravelOracle",
    "leg_minutes",
    "sorties_needed",
    "units_per_sortie",
]
