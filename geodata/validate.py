"""Checks on region layers at the load boundary; each failure raises :class:`GeodataError`.

Per layer, in order: required columns, every attribute row (:mod:`geodata.rows`), GDAL's
warnings, geometry types, coordinates and CRS (:mod:`geodata.coords`); then checks across rows
(unique ids, references, rail speeds, drone ports outside no-fly zones).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import BaseModel

from geodata.coords import GEOD, WGS84, to_wgs84
from geodata.errors import fail
from geodata.kinds import (
    COUNTY_BANK_KIND,
    SITE_KINDS,
    SITE_OPTIONAL,
    SITE_REQUIRED,
    STATION_KINDS,
)
from geodata.limits import MAX_DONOR_BEDS, MAX_RAIL_SPEED_KMH, MAX_SITES
from geodata.readers import Layer
from geodata.rows import SiteRow, check_rows

__all__ = ["WGS84", "check_layer", "check_sites", "check_rail", "check_no_fly"]

POINT_TYPES = ("Point",)
POLYGON_TYPES = ("Polygon", "MultiPolygon")
LINE_TYPES = ("LineString", "MultiLineString")


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


def check_layer(
    layer: Layer,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    model: type[BaseModel] | None,
    types: tuple[str, ...],
    id_col: str,
) -> gpd.GeoDataFrame:
    """Columns, rows, GDAL warnings, geometry and coordinates of one layer.

    Parameters
    ----------
    layer : Layer
        The layer as read.
    columns : (tuple of str, tuple of str)
        Required and optional columns (optional ones are added as None when absent).
    model : type of pydantic.BaseModel or None
        Row model every attribute row must satisfy (None: rows unchecked).
    types : tuple of str
        Allowed geometry types.
    id_col : str
        Column naming each row in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in EPSG:4326.
    """
    frame = require_columns(layer.frame, columns[0], columns[1], layer.source)
    if model is not None:
        check_rows(layer.records, model, layer.source)
    if layer.warnings:
        raise fail(layer.source, "<file>", f"a file GDAL reads cleanly ({layer.warnings[0]})")
    check_geometry(frame, types, layer.source, id_col)
    frame = to_wgs84(frame, layer.source, id_col)
    check_valid(frame, layer.source, id_col)
    return frame


def check_geometry(gdf: gpd.GeoDataFrame, types: tuple[str, ...], source: str, id_col: str) -> None:
    """Every geometry present, non-empty and of one of ``types``."""
    for ident, geom in zip(gdf[id_col], gdf.geometry, strict=True):
        if geom is None or geom.is_empty:
            raise fail(source, "geometry", f"a non-empty {'/'.join(types)} for {ident!r}")
        if geom.geom_type not in types:
            raise fail(source, "geometry", f"{'/'.join(types)} for {ident!r}, got {geom.geom_type}")


def check_valid(gdf: gpd.GeoDataFrame, source: str, id_col: str) -> None:
    """Every geometry valid (OGC rules: e.g. polygons without self-intersections)."""
    bad = gdf.loc[~gdf.geometry.is_valid, id_col]
    if not bad.empty:
        raise fail(source, "geometry", f"a valid geometry for {bad.iloc[0]!r}")


def check_ids(values: pd.Series, source: str, column: str) -> None:
    """Identifiers are non-empty strings and unique."""
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise fail(source, column, f"a non-empty string id, got {value!r}")
    duplicated = values[values.duplicated()]
    if not duplicated.empty:
        raise fail(source, column, f"unique ids, {duplicated.iloc[0]!r} appears more than once")


def check_sites(layer: Layer) -> gpd.GeoDataFrame:
    """Every check on a sites layer that needs no other layer; returns it in EPSG:4326."""
    source = layer.source
    if not 1 <= len(layer.records) <= MAX_SITES:
        raise fail(source, "<features>", f"1 to {MAX_SITES:,} sites, got {len(layer.records):,}")
    sites = check_layer(layer, (SITE_REQUIRED, SITE_OPTIONAL), SiteRow, POINT_TYPES, "site_id")
    check_ids(sites["site_id"], source, "site_id")
    _check_donor_beds(sites, source)
    return sites


def _check_donor_beds(sites: gpd.GeoDataFrame, source: str) -> None:
    beds = pd.to_numeric(sites["beds"], errors="coerce")
    bad = sites[(sites["kind"] == "donation_house") & (beds > MAX_DONOR_BEDS)]
    if not bad.empty:
        site_id, value = bad["site_id"].iloc[0], bad["beds"].iloc[0]
        raise fail(
            source,
            "beds",
            f"at most {MAX_DONOR_BEDS} donor beds at a donation house for {site_id!r}, got "
            f"{value:g} (a large donation centre has a few dozen)",
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


def check_county_banks(sites: gpd.GeoDataFrame, source: str) -> None:
    """At most one county blood bank per (city, county): a hospital is served by the bank of
    its city and county, so a second bank of the same place would be a silent choice."""
    if "county" not in sites:
        return
    banks = sites[sites["kind"] == COUNTY_BANK_KIND]
    place = banks["city"].fillna("").astype(str) + " / " + banks["county"].fillna("").astype(str)
    named = banks["county"].map(_present).astype(bool)
    twice = place[named & place.duplicated(keep=False)]
    if not twice.empty:
        ids = banks.loc[twice.index, "site_id"].tolist()
        raise fail(
            source,
            "county",
            f"one county blood bank per city and county, {twice.iloc[0]!r} has "
            f"{len(ids)} ({', '.join(map(repr, ids[:3]))})",
        )


def check_rail(rail: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, source: str) -> None:
    """Rail segments join two rail stations no faster than the fastest high-speed trains."""
    check_ids(rail["line_id"], source, "line_id")
    stations = set(sites.loc[sites["kind"] == "rail_station", "site_id"])
    for column in ("from_site", "to_site"):
        for line_id, ref in zip(rail["line_id"], rail[column], strict=True):
            if ref not in stations:
                raise fail(source, column, f"the id of a rail_station for {line_id!r}, got {ref!r}")
    _check_rail_speed(rail, sites, source)


def _check_rail_speed(rail: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, source: str) -> None:
    if rail.empty:
        return
    at = sites.set_index("site_id").geometry
    a, b = at.loc[rail["from_site"]], at.loc[rail["to_site"]]
    _, _, metres = GEOD.inv(a.x.to_numpy(), a.y.to_numpy(), b.x.to_numpy(), b.y.to_numpy())
    kmh = np.asarray(metres) / 1000.0 / (rail["minutes"].to_numpy(float) / 60.0)
    fast = np.flatnonzero(kmh > MAX_RAIL_SPEED_KMH)
    if fast.size:
        i = fast[0]
        raise fail(
            source,
            "minutes",
            f"a ride time no faster than {MAX_RAIL_SPEED_KMH:g} km/h in a straight line (the "
            f"fastest scheduled high-speed trains) for {rail['line_id'].iloc[i]!r}, got "
            f"{rail['minutes'].iloc[i]:g} min for {metres[i] / 1000:,.0f} km",
        )


def check_no_fly(no_fly: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, source: str) -> None:
    """No-fly zones have unique ids and contain no drone port."""
    check_ids(no_fly["zone_id"], source, "zone_id")
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
