"""Region outline: read from an outline layer, or derived from the sites when absent."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata.validate import POLYGON_TYPES, check_geometry, to_wgs84

#: Buffer around the convex hull of the sites when a user's data has no outline, km.
HULL_BUFFER_KM = 10.0


def outline_from_layer(layer: gpd.GeoDataFrame, source: str) -> BaseGeometry:
    """Union of the polygons of an outline layer, lon/lat degrees."""
    layer = to_wgs84(layer.reset_index(drop=True), source)
    layer["_row"] = [f"row {i}" for i in range(len(layer))]
    check_geometry(layer, POLYGON_TYPES, source, "_row")
    return shapely.union_all(layer.geometry.values)


def outline_from_sites(sites: gpd.GeoDataFrame, buffer_km: float = HULL_BUFFER_KM) -> BaseGeometry:
    """Convex hull of the site points buffered by ``buffer_km`` (km), in EPSG:4326.

    The buffer is applied in the sites' local UTM zone so that it is ``buffer_km`` on the ground.
    """
    utm = sites.estimate_utm_crs()
    hull = sites.to_crs(utm).union_all().convex_hull.buffer(buffer_km * 1000.0)
    return gpd.GeoSeries([hull], crs=utm).to_crs(sites.crs).iloc[0]
