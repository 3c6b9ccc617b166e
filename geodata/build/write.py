"""Write region layers as compact GeoJSON (coordinates to 5 decimals) and ``road.json``."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry.base import BaseGeometry

GEOJSON_OPTIONS = {"COORDINATE_PRECISION": 5, "RFC7946": "YES", "WRITE_BBOX": "NO"}


def write_layer(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``gdf`` as RFC 7946 GeoJSON, replacing any existing file."""
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(gdf, path, driver="GeoJSON", layer_options=GEOJSON_OPTIONS)


def write_outline(outline: BaseGeometry, name: str, path: Path) -> None:
    """Write the outline as a one-feature GeoJSON layer."""
    gdf = gpd.GeoDataFrame({"name": [name]}, geometry=[outline], crs="EPSG:4326")
    write_layer(gdf, path)


def write_road(road: dict, path: Path) -> None:
    """Write ``road.json`` with a units note."""
    units = {
        "_units": "detour_factor: road km per straight-line km; speeds: km/h; "
        "urban_radius_km: km; peak_windows_h: hours of day; peak_factor: "
        "multiplier on travel time; handling_min and ferry.extra_min: minutes",
        "_sources": "see geodata/SOURCES.md",
    }
    path.write_text(json.dumps(units | road, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
