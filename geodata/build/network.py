"""Rail segments, airport no-fly circles and drone ports."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from geodata.build.config import ProvinceConfig
from geodata.build.geometry import circle, haversine_km
from geodata.build.rows import site_row

CRS = "EPSG:4326"


def rail_lines(cfg: ProvinceConfig, sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Straight (schematic) segments between stations, with the fastest ride time, min."""
    at = dict(zip(sites["site_id"], sites["geometry"], strict=True))
    rows = [
        {
            "line_id": f"{s.from_site}__{s.to_site}",
            "from_site": s.from_site,
            "to_site": s.to_site,
            "minutes": float(s.minutes),
            "geometry": LineString([at[s.from_site], at[s.to_site]]),
        }
        for s in cfg.rail_segments
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def no_fly_zones(cfg: ProvinceConfig) -> gpd.GeoDataFrame:
    """A circle of ``cfg.no_fly_radius_km`` (km) around each commercial airport."""
    rows = [
        {
            "zone_id": a.zone_id,
            "name": a.name,
            "reason": f"airport: {cfg.no_fly_radius_km:g} km circle around the aerodrome",
            "geometry": circle(Point(a.lon, a.lat), cfg.no_fly_radius_km),
        }
        for a in cfg.airports
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def drone_port_rows(
    cfg: ProvinceConfig, sites: pd.DataFrame, no_fly: gpd.GeoDataFrame
) -> tuple[list[dict], list[str]]:
    """Drone ports at supply sites, at nearby tertiary/secondary hospitals and at rail stations.

    Returns the port rows and the ids of hosts skipped because they lie in a no-fly zone.
    """
    zones = no_fly.union_all()
    rows, skipped = [], []
    for _, host in sites[_hosts_drone_port(cfg, sites)].iterrows():
        if zones.covers(host.geometry):
            skipped.append(host.site_id)
            continue
        rows.append(
            site_row(
                f"dp_{host.site_id}",
                "drone_port",
                f"Drone port at {host['name']}",
                host.geometry,
                bool(host.synthetic),
                city=host.city,
                county=host.county,
                host_site_id=host.site_id,
                island=bool(host.island),
            )
        )
    return rows, skipped


def _hosts_drone_port(cfg: ProvinceConfig, sites: pd.DataFrame) -> pd.Series:
    supply = sites["kind"].isin(["blood_center", "blood_station", "rail_station"])
    return supply | sites.apply(lambda s: _near_hospital(cfg, s, sites), axis=1)


def _near_hospital(cfg: ProvinceConfig, s: pd.Series, sites: pd.DataFrame) -> bool:
    """Tertiary or secondary hospital within the drone radius (km) of its blood station."""
    if s.kind != "hospital" or s.tier not in ("tertiary", "secondary"):
        return False
    station = sites.loc[sites["site_id"] == s.station_id, "geometry"].iloc[0]
    radius = cfg.drone_radius_by_city.get(s.city, cfg.drone_radius_km)
    return haversine_km(s.geometry, station) <= radius
