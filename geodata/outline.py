"""Region outline: read from an outline layer, or derived from the sites when absent."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geodata.errors import fail
from geodata.readers import Layer
from geodata.validate import POLYGON_TYPES, check_layer

#: Buffer around the convex hull of the sites when a user's data has no outline, km.
HULL_BUFFER_KM = 10.0

#: Longest edge of the derived outline before it is brought back to lon/lat, m: a straight
#: edge in the local projection is a curve in lon/lat, so long edges are split first.
HULL_EDGE_M = 5_000.0


def outline_from_layer(layer: Layer) -> BaseGeometry:
    """Union of the polygons of an outline layer, lon/lat degrees.

    Raises
    ------
    GeodataError
        If the layer has no polygon (an empty outline would contain no site).
    """
    frame = layer.frame.reset_index(drop=True)
    if frame.empty:
        raise fail(layer.source, "features", "at least one polygon of the region; found none")
    frame["_row"] = [f"feature {i + 1}" for i in range(len(frame))]
    checked = check_layer(
        Layer(frame, [], layer.source, layer.warnings), ((), ()), None, POLYGON_TYPES, "_row"
    )
    return shapely.union_all(checked.geometry.values)


def outline_from_sites(sites: gpd.GeoDataFrame, buffer_km: float = HULL_BUFFER_KM) -> BaseGeometry:
    """Convex hull of the site points buffered by ``buffer_km`` (km), in EPSG:4326.

    The buffer is applied in an azimuthal equidistant projection centred on the median site
    (valid anywhere, poles included), so that it is ``buffer_km`` on the ground; call
    :func:`geodata.coords.check_spread` first so that no far-away site stretches the hull.
    """
    lon0 = float(np.median(sites.geometry.x))
    lat0 = float(np.median(sites.geometry.y))
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    hull = sites.to_crs(local).union_all().convex_hull.buffer(buffer_km * 1000.0)
    hull = shapely.segmentize(hull, HULL_EDGE_M)
    return gpd.GeoSeries([hull], crs=local).to_crs(sites.crs).iloc[0]
