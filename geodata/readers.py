"""Read the raw layers of a region from the package, a folder, a GeoJSON or a GeoPackage.

Readers only read; :mod:`geodata.validate` checks and :mod:`geodata.loader` assembles. Every
error a reader meets (unreadable, oversized or non-UTF-8 files, what GDAL/pyogrio raise) is
translated here into a :class:`GeodataError` naming the file; GDAL's warnings are kept for the
validator, which reports them once the attribute rows have been checked.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.errors import fail
from geodata.jsonfile import geojson_records
from geodata.limits import MAX_JSON_BYTES, MAX_LAYER_BYTES

LAYER_FILES: dict[str, str] = {
    "sites": "sites.geojson",
    "rail_lines": "rail_lines.geojson",
    "no_fly": "no_fly.geojson",
    "outline": "outline.geojson",
    "districts": "districts.geojson",
}
ROAD_FILE = "road.json"


@dataclass(frozen=True)
class Layer:
    """One layer as read.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The layer as GDAL reads it.
    records : list of dict
        Attribute rows with their types as written (GeoJSON properties; GeoPackage rows).
    source : str
        File (or file:layer) name used in messages.
    warnings : tuple of str
        Warnings GDAL gave while reading.
    """

    frame: gpd.GeoDataFrame
    records: list[dict[str, Any]]
    source: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawLayers:
    """Layers as read, before validation; ``None`` marks an absent optional layer."""

    name: str
    sites: Layer
    rail_lines: Layer | None = None
    no_fly: Layer | None = None
    outline: Layer | None = None
    districts: Layer | None = None
    road: bytes | None = None
    road_source: str = ROAD_FILE


def embedded_names() -> list[str]:
    """Names of the regions shipped inside the package."""
    root = resources.files("geodata").joinpath("regions")
    return sorted(p.name for p in root.iterdir() if p.joinpath(LAYER_FILES["sites"]).is_file())


def read_embedded(name: str) -> RawLayers:
    """Read an embedded region through :mod:`importlib.resources`."""
    folder = resources.files("geodata").joinpath("regions", name)
    return _read_folder(folder, name, f"geodata/regions/{name}")


def read_path(path: Path) -> RawLayers:
    """Read a user's region: a folder of region files, a GeoJSON or a GeoPackage of sites."""
    if path.is_dir():
        return _read_folder(path, path.name, str(path))
    if not path.is_file():
        raise fail(str(path), "<path>", "an existing folder, .geojson or .gpkg file")
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        return _read_geopackage(path)
    if suffix in (".geojson", ".json"):
        return RawLayers(path.stem, read_geojson(path, str(path)))
    raise fail(str(path), "<suffix>", f"'.geojson', '.json' or '.gpkg', got {suffix!r}")


def _read_folder(folder: Traversable | Path, name: str, label: str) -> RawLayers:
    if not _present(folder.joinpath(LAYER_FILES["sites"]), f"{label}/{LAYER_FILES['sites']}"):
        raise fail(label, LAYER_FILES["sites"], "a sites.geojson file in the region folder")
    layers = {}
    for key, fname in LAYER_FILES.items():
        file, source = folder.joinpath(fname), f"{label}/{fname}"
        layers[key] = read_geojson(file, source) if _present(file, source) else None
    road_file, road_source = folder.joinpath(ROAD_FILE), f"{label}/{ROAD_FILE}"
    present = _present(road_file, road_source)
    road = _read_bytes(road_file, road_source, MAX_JSON_BYTES) if present else None
    return RawLayers(name, road=road, road_source=road_source, **layers)


def _present(file: Traversable | Path, label: str) -> bool:
    """Whether an optional region file is there; a folder or device of that name is an error."""
    if file.is_file():
        return True
    if file.is_dir() or (isinstance(file, Path) and file.exists()):
        raise fail(label, "<file>", "a regular file (found a folder or a special file)")
    return False


def _read_bytes(file: Traversable | Path, label: str, limit: int) -> bytes:
    """The bytes of a file, refusing files over ``limit`` bytes before reading them."""
    if isinstance(file, Path):
        _check_size(file, label, limit)
    try:
        return file.read_bytes()
    except OSError as exc:
        raise fail(label, "<file>", f"a readable file ({exc.strerror or exc})") from None


def _check_size(path: Path, label: str, limit: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(label, "<file>", f"a readable file ({exc.strerror or exc})") from None
    if size > limit:
        raise fail(label, "<file>", f"a file of at most {limit:,} bytes, got {size:,}")


def read_geojson(file: Traversable | Path, label: str) -> Layer:
    """One GeoJSON layer (at most MAX_LAYER_BYTES), its rows as written and GDAL's warnings;
    ``label`` names the file in errors."""
    data = _read_bytes(file, label, MAX_LAYER_BYTES)
    records = geojson_records(data, label)
    frame, caught = _gdal(lambda: gpd.read_file(io.BytesIO(data)), label)
    if len(frame) != len(records):
        raise fail(label, "<file>", f"{len(records)} features, GDAL read {len(frame)}")
    return Layer(frame, records, label, caught)


def _gdal(read: Any, label: str) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """Run a GDAL read; its errors become a :class:`GeodataError`, its warnings are returned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = read()
        except Exception as exc:  # pyogrio/GDAL raise several error types for unreadable files
            raise fail(label, "<file>", f"a readable vector file ({exc})") from None
    return frame, tuple(str(w.message) for w in caught)


def _read_geopackage(path: Path) -> RawLayers:
    label = str(path)
    _check_size(path, label, MAX_LAYER_BYTES)
    listed, _ = _gdal(lambda: pyogrio.list_layers(path), label)
    names = [str(row[0]) for row in listed]
    if "sites" not in names and len(names) != 1:
        raise fail(label, "<layer>", f"a layer named 'sites' (layers: {names})")
    layers = {}
    for key in LAYER_FILES:
        layer = key if key in names else (names[0] if key == "sites" else None)
        layers[key] = None if layer is None else _read_gpkg_layer(path, layer, f"{path}:{key}")
    return RawLayers(path.stem, road_source=f"{path} (no road.json)", **layers)


def _read_gpkg_layer(path: Path, layer: str, label: str) -> Layer:
    frame, caught = _gdal(lambda: gpd.read_file(path, layer=layer), label)
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        raise fail(label, "geometry", f"a geometry column in layer '{layer}'")
    return Layer(frame, frame_records(frame), label, caught)


def frame_records(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Attribute rows of a frame as plain Python values, missing values as ``None``."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype(object)
    return table.where(table.notna(), None).to_dict("records")
