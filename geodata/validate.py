"""Checks on region layers at the load boundary; each failure raises :class:`GeodataError`."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geodata.errors import fail
from geodata.kinds import SITE_KINDS, SITE_OPTIONAL, SITE_REQUIRED, STATION_KINDS

WGS84 = "EPSG:4326"
POINT_TYPES = ("Point",)
POLYGON_TYPES = ("Polygon", "MultiPolygon")
LINE_TYPES = ("LineString", "MultiLineString")


def to_wgs84(gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Return ``gdf`` in EPSG:4326; reproject another CRS, reject a missing one."""
    if gdf.crs is None:
        raise fail(source, "crs", "a coordinate reference system (none was set)")
    return gdf if gdf.crs.to_epsg() == 4326 else gdf.to_crs(WGS84)


def require_columns(
    gdf: gpd.GeoDataFrame, required: Iterable[str], optional: Iterable[str], source: str
) -> gpd.GeoDataFrame:
    """Check required columns exist; add missing optional columns as None."""
    for column in required:
        if column not in gdf.columns:
            raise fail(source, column, f"a required column (columns: {list(gdf.columns)})")
    out = gdf.copy()
    for column in optional:
        if column not in out.columns:
            out[column] = None
    return out


def check_geometry(gdf: gpd.GeoDataFrame, types: tuple[str, ...], source: str, id_col: str) -> None:
    """Every geometry present, non-empty, valid and of one of ``types``."""
    for ident, geom in zip(gdf[id_col], gdf.geometry, strict=True):
        if geom is None or geom.is_empty:
            raise fail(source, "geometry", f"a non-empty {'/'.join(types)} for {ident!r}")
        if geom.geom_type not in types:
            raise fail(source, "geometry", f"{'/'.join(types)} for {ident!r}, got {geom.geom_type}")
        if not geom.is_valid:
            raise fail(source, "geometry", f"a valid geometry for {ident!r}")


def check_ids(values: pd.Series, source: str, column: str) -> None:
    """Identifiers are non-empty strings and unique."""
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise fail(source, column, f"a non-empty string id, got {value!r}")
    duplicated = values[values.duplicated()]
    if not duplicated.empty:
        raise fail(source, column, f"unique ids, {duplicated.iloc[0]!r} appears more than once")


def check_sites(sites: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Columns, ids, kinds and point geometries of a sites layer; returns it in EPSG:4326."""
    sites = require_columns(sites, SITE_REQUIRED, SITE_OPTIONAL, source)
    sites = to_wgs84(sites, source)
    check_ids(sites["site_id"], source, "site_id")
    bad = sites.loc[~sites["kind"].isin(SITE_KINDS), ["site_id", "kind"]]
    if not bad.empty:
        site_id, kind = bad.iloc[0]
        raise fail(source, "kind", f"one of {SITE_KINDS} for {site_id!r}, got {kind!r}")
    check_geometry(sites, POINT_TYPES, source, "site_id")
    return sites


def check_inside(sites: gpd.GeoDataFrame, outline: BaseGeometry, source: str) -> None:
    """Every site point lies inside (or on) the outline."""
    outside = sites[~sites.geometry.apply(outline.covers)]
    if not outside.empty:
        row = outside.iloc[0]
        where = f"({row.geometry.y:.5f} N, {row.geometry.x:.5f} E)"
        raise fail(
            source,
            "geometry",
            f"a point inside the region outline; {row.site_id!r} at {where} is outside",
        )


def check_references(sites: gpd.GeoDataFrame, source: str) -> None:
    """``station_id``, ``lab_id`` and ``host_site_id`` point at existing sites of the right kind."""
    kind_of = dict(zip(sites["site_id"], sites["kind"], strict=True))
    other_than_port = tuple(k for k in SITE_KINDS if k != "drone_port")
    rules = (("station_id", STATION_KINDS), ("lab_id", ("lab",)), ("host_site_id", other_than_port))
    for column, kinds in rules:
        for site_id, ref in zip(sites["site_id"], sites[column], strict=True):
            if _present(ref) and kind_of.get(ref) not in kinds:
                found = kind_of.get(ref, "no such site")
                raise fail(
                    source,
                    column,
                    f"the id of a {'/'.join(kinds)} for {site_id!r}, got {ref!r} ({found})",
                )


def check_rail(rail: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, source: str) -> None:
    """Rail segments join two rail stations and take a positive number of minutes."""
    check_ids(rail["line_id"], source, "line_id")
    check_geometry(rail, LINE_TYPES, source, "line_id")
    stations = set(sites.loc[sites["kind"] == "rail_station", "site_id"])
    for column in ("from_site", "to_site"):
        for line_id, ref in zip(rail["line_id"], rail[column], strict=True):
            if ref not in stations:
                raise fail(source, column, f"the id of a rail_station for {line_id!r}, got {ref!r}")
    minutes = pd.to_numeric(rail["minutes"], errors="coerce")
    bad = rail.loc[~(minutes > 0), "line_id"]
    if not bad.empty:
        raise fail(source, "minutes", f"a positive ride time in minutes for {bad.iloc[0]!r}")


def check_no_fly(no_fly: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, source: str) -> None:
    """No-fly zones are polygons and contain no drone port."""
    check_ids(no_fly["zone_id"], source, "zone_id")
    check_geometry(no_fly, POLYGON_TYPES, source, "zone_id")
    ports = sites[sites["kind"] == "drone_port"]
    for zone_id, zone in zip(no_fly["zone_id"], no_fly.geometry, strict=True):
        inside = ports[ports.geometry.within(zone)]
        if not inside.empty:
            raise fail(
                source,
                "geometry",
                f"no drone port inside zone {zone_id!r}, found {inside.site_id.iloc[0]!r}",
            )


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))
