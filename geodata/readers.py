"""Read the raw layers of a region from the package, a folder, a GeoJSON or a GeoPackage.

Readers only read; :mod:`geodata.validate` checks and :mod:`geodata.loader` assembles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import geopandas as gpd
import pyogrio

from geodata.errors import GeodataError, fail

LAYER_FILES: dict[str, str] = {
    "sites": "sites.geojson",
    "rail_lines": "rail_lines.geojson",
    "no_fly": "no_fly.geojson",
    "outline": "outline.geojson",
}
ROAD_FILE = "road.json"


@dataclass(frozen=True)
class RawLayers:
    """Layers as read, before validation; ``None`` marks an absent optional layer.

    ``sources`` maps each layer name (and ``"road"``) to the file name used in messages.
    """

    name: str
    sites: gpd.GeoDataFrame
    rail_lines: gpd.GeoDataFrame | None
    no_fly: gpd.GeoDataFrame | None
    outline: gpd.GeoDataFrame | None
    road_text: str | None
    sources: dict[str, str]


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
        sites = _read_vector(path.read_bytes(), str(path))
        return RawLayers(path.stem, sites, None, None, None, None, _file_sources(str(path)))
    raise fail(str(path), "<suffix>", f"'.geojson', '.json' or '.gpkg', got {suffix!r}")


def _read_folder(folder: Traversable | Path, name: str, label: str) -> RawLayers:
    sites_file = folder.joinpath(LAYER_FILES["sites"])
    if not sites_file.is_file():
        raise fail(label, LAYER_FILES["sites"], "a sites.geojson file in the region folder")
    layers = {
        key: _read_optional(folder.joinpath(fname), f"{label}/{fname}")
        for key, fname in LAYER_FILES.items()
    }
    road_file = folder.joinpath(ROAD_FILE)
    road_text = road_file.read_text(encoding="utf-8") if road_file.is_file() else None
    sources = {key: f"{label}/{fname}" for key, fname in LAYER_FILES.items()}
    sources["road"] = f"{label}/{ROAD_FILE}"
    return RawLayers(
        name,
        layers["sites"],
        layers["rail_lines"],
        layers["no_fly"],
        layers["outline"],
        road_text,
        sources,
    )


def _read_optional(file: Traversable | Path, label: str) -> gpd.GeoDataFrame | None:
    if not file.is_file():
        return None
    return _read_vector(file.read_bytes(), label)


def _read_vector(data: bytes, label: str, layer: str | None = None) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(io.BytesIO(data), layer=layer)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise fail(label, "<file>", f"a readable vector file ({exc})") from exc


def _read_geopackage(path: Path) -> RawLayers:
    names = [str(row[0]) for row in pyogrio.list_layers(path)]
    if "sites" not in names and len(names) != 1:
        raise fail(str(path), "<layer>", f"a layer named 'sites' (layers: {names})")
    layers = {}
    for key in LAYER_FILES:
        layer = key if key in names else (names[0] if key == "sites" else None)
        layers[key] = None if layer is None else _read_gpkg_layer(path, layer)
    sources = {key: f"{path}:{key}" for key in LAYER_FILES}
    sources["road"] = f"{path}:road"
    return RawLayers(
        path.stem,
        layers["sites"],
        layers["rail_lines"],
        layers["no_fly"],
        layers["outline"],
        None,
        sources,
    )


def _read_gpkg_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path, layer=layer)
    except Exception as exc:  # pyogrio raises several error types for unreadable layers
        raise GeodataError(f"{path}: layer '{layer}': a readable layer ({exc})") from exc


def _file_sources(label: str) -> dict[str, str]:
    sources = {key: f"{label} (no {key} layer)" for key in LAYER_FILES}
    sources["sites"] = label
    sources["road"] = f"{label} (no road.json)"
    return sources
