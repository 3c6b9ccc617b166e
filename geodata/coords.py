"""Coordinates: finite, in WGS84 lon/lat ranges, not projected, not swapped, near the region.

GeoJSON has no CRS member since RFC 7946, so GDAL reads every GeoJSON file as EPSG:4326:
metres of EPSG:3857 then arrive as "degrees" in the millions, and are caught here by range.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod
from pyproj.exceptions import CRSError
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geodata.errors import fail
from geodata.limits import MAX_REGION_RADIUS_KM

WGS84 = "EPSG:4326"
GEOD = Geod(ellps="WGS84")
PROJECTED = "looks like projected coordinates (e.g. EPSG:3857); expected WGS84 lon/lat"


def to_wgs84(gdf: gpd.GeoDataFrame, source: str, id_col: str) -> gpd.GeoDataFrame:
    """Return ``gdf`` in EPSG:4326 after checking every coordinate.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer as read, geometries present.
    source : str
        File name for error messages.
    id_col : str
        Column naming each row in messages.

    Raises
    ------
    GeodataError
        Non-finite coordinates; no CRS; lon/lat out of range (projected-looking or swapped);
        coordinates the declared CRS cannot bring to WGS84.
    """
    xy, rows = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    ids = gdf[id_col].to_numpy()
    _check_finite(xy, ids[rows], source, "as read")
    crs = _crs(gdf, source)
    if crs is None:
        raise fail(source, "crs", _missing_crs(xy))
    if crs.is_geographic:
        _check_ranges(xy, ids[rows], source)
        return gdf if crs.to_epsg() == 4326 else _reproject(gdf, source)
    if not _out_of_range(xy).any():
        raise fail(
            source,
            "crs",
            f"coordinates in the units of {crs.to_string()}; all of them "
            "look like lon/lat degrees (then set EPSG:4326)",
        )
    out = _reproject(gdf, source)
    xy = shapely.get_coordinates(out.geometry.values)
    _check_finite(xy, ids[rows], source, f"after converting from {crs.to_string()}")
    _check_ranges(xy, ids[rows], source)
    return out


def _crs(gdf: gpd.GeoDataFrame, source: str) -> CRS | None:
    try:
        return None if gdf.crs is None else CRS.from_user_input(gdf.crs)
    except CRSError as exc:
        raise fail(source, "crs", f"a known coordinate reference system ({exc})") from None


def _reproject(gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    try:
        return gdf.to_crs(WGS84)
    except Exception as exc:  # pyproj raises ProjError/CRSError subclasses of RuntimeError
        raise fail(source, "crs", f"a CRS that converts to WGS84 lon/lat ({exc})") from None


def _check_finite(xy: np.ndarray, ids: np.ndarray, source: str, when: str) -> None:
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if bad.size:
        x, y = xy[bad[0]]
        raise fail(
            source, "geometry", f"finite coordinates ({when}) for {ids[bad[0]]!r}, got {x}, {y}"
        )


def _missing_crs(xy: np.ndarray) -> str:
    if _out_of_range(xy).any():
        return f"a coordinate reference system (none was set); {PROJECTED} in EPSG:4326"
    return "a coordinate reference system (none was set); expected WGS84 lon/lat in EPSG:4326"


def _out_of_range(xy: np.ndarray) -> np.ndarray:
    return (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)


def _check_ranges(xy: np.ndarray, ids: np.ndarray, source: str) -> None:
    bad = np.flatnonzero(_out_of_range(xy))
    if not bad.size:
        return
    x, y = xy[bad[0]]
    found = f"for {ids[bad[0]]!r}, got lon {x}, lat {y}"
    if abs(x) <= 90 and abs(y) <= 180:
        raise fail(
            source,
            "geometry",
            f"lon in [-180, 180], lat in [-90, 90] {found}: "
            "lon and lat look swapped (GeoJSON order is [lon, lat])",
        )
    raise fail(source, "geometry", f"lon in [-180, 180], lat in [-90, 90] {found}: {PROJECTED}")


def check_spread(sites: gpd.GeoDataFrame, source: str) -> None:
    """Without an outline: every site within :data:`MAX_REGION_RADIUS_KM` of the median site.

    The region is then the sites' hull, so a far-away site would silently stretch it; the
    farthest site is named (and whether swapping its lon/lat would bring it in).
    """
    lon, lat = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
    lon0, lat0 = float(np.median(lon)), float(np.median(lat))
    km = _km_from(lon0, lat0, lon, lat)
    far = int(np.argmax(km))
    if km[far] <= MAX_REGION_RADIUS_KM:
        return
    swap = abs(lon[far]) <= 90 and _km_from(lon0, lat0, lat[far : far + 1], lon[far : far + 1])[0]
    hint = "; lon and lat look swapped" if swap and swap <= MAX_REGION_RADIUS_KM else ""
    raise fail(
        source,
        "geometry",
        f"sites within {MAX_REGION_RADIUS_KM:,.0f} km of the region (median site at lon "
        f"{lon0:.5f}, lat {lat0:.5f}); {sites['site_id'].iloc[far]!r} at lon {lon[far]:.5f}, "
        f"lat {lat[far]:.5f} is {km[far]:,.0f} km away{hint}",
    )


def _km_from(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Geodesic distances from one point to many, km."""
    _, _, metres = GEOD.inv(np.full(len(lon), lon0), np.full(len(lat), lat0), lon, lat)
    return np.asarray(metres) / 1000.0


def check_inside(sites: gpd.GeoDataFrame, outline: BaseGeometry, source: str) -> None:
    """Every site point lies inside (or on) the outline; the message says how far out."""
    outside = np.flatnonzero(~shapely.covers(outline, sites.geometry.values))
    if not outside.size:
        return
    row = sites.iloc[outside[0]]
    point = row.geometry
    near = nearest_points(outline, point)[0]
    km = _km_from(near.x, near.y, np.array([point.x]), np.array([point.y]))[0]
    swapped = abs(point.x) <= 90 and outline.covers(Point(point.y, point.x))
    hint = "; lon and lat look swapped" if swapped else ""
    raise fail(
        source,
        "geometry",
        f"a point inside the region outline; {row['site_id']!r} at lon {point.x:.5f}, "
        f"lat {point.y:.5f} is outside, about {km:,.1f} km from it{hint}",
    )
