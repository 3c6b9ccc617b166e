"""The :class:`Region` value object: all layers of one region, validated and in EPSG:4326."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geodata.errors import GeodataError
from geodata.kinds import SITE_KINDS
from geodata.road import RoadModel


@dataclass(frozen=True, eq=False)
class Region:
    """A region's sites, rail network, no-fly zones, outline and road model.

    Attributes
    ----------
    name : str
        Region name (``"zhejiang"``, or the stem of a user's file/folder).
    sites : geopandas.GeoDataFrame
        One row per site, EPSG:4326 points; columns documented in ``geodata/SOURCES.md``.
    rail_lines : geopandas.GeoDataFrame
        ``line_id, from_site, to_site, minutes, geometry``; ``minutes`` is the fastest
        scheduled ride time between the two rail stations, min.
    no_fly : geopandas.GeoDataFrame
        ``zone_id, name, reason, geometry`` (polygons) where drones may not fly.
    outline : shapely Polygon or MultiPolygon
        Region boundary, lon/lat degrees (EPSG:4326).
    road : RoadModel
        Ground travel parameters.
    districts : geopandas.GeoDataFrame or None
        ``district_id, name, name_cn, population_m, geometry`` (polygons): the quality-control
        districts (:mod:`geodata.districts`), or None when the region has none.
    """

    name: str
    sites: gpd.GeoDataFrame
    rail_lines: gpd.GeoDataFrame
    no_fly: gpd.GeoDataFrame
    outline: BaseGeometry
    road: RoadModel
    districts: gpd.GeoDataFrame | None = field(default=None, kw_only=True)

    def sites_of(self, *kinds: str) -> gpd.GeoDataFrame:
        """Sites of the given kinds (all sites if none given).

        Parameters
        ----------
        *kinds : str
            Values from :data:`geodata.SITE_KINDS`.
        """
        unknown = [k for k in kinds if k not in SITE_KINDS]
        if unknown:
            raise GeodataError(f"kind: expected one of {SITE_KINDS}, got {unknown[0]!r}")
        if not kinds:
            return self.sites.copy()
        return self.sites[self.sites["kind"].isin(kinds)].copy()

    def site(self, site_id: str) -> pd.Series:
        """The row of one site.

        Parameters
        ----------
        site_id : str
            Identifier from the ``site_id`` column.
        """
        match = self.sites[self.sites["site_id"] == site_id]
        if match.empty:
            raise GeodataError(f"site_id: no site {site_id!r} in region {self.name!r}")
        return match.iloc[0]
