"""``load_region``: the one entry point from names or paths to a validated :class:`Region`."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import geopandas as gpd

from geodata.combined import combine, combined_names, combined_spec
from geodata.coords import WGS84, check_inside, check_spread
from geodata.districts import check_districts
from geodata.errors import GeodataError, show
from geodata.kinds import NO_FLY_COLUMNS, RAIL_COLUMNS
from geodata.outline import outline_from_layer, outline_from_sites
from geodata.readers import Layer, RawLayers, embedded_names, read_embedded, read_path
from geodata.region import Region
from geodata.road import road_from_json
from geodata.rows import NoFlyRow, RailRow
from geodata.validate import (
    LINE_TYPES,
    POLYGON_TYPES,
    check_county_banks,
    check_layer,
    check_no_fly,
    check_rail,
    check_references,
    check_sites,
)


def load_region(name_or_path: str | PathLike[str]) -> Region:
    """Load and validate a region.

    Parameters
    ----------
    name_or_path : str or path-like
        The name of an embedded region (``"zhejiang"``), or the path of a folder with the
        region files (``sites.geojson`` required; ``rail_lines.geojson``, ``no_fly.geojson``,
        ``outline.geojson``, ``road.json`` optional), or of one GeoJSON / GeoPackage file
        of sites (a GeoPackage may also hold ``rail_lines``, ``no_fly`` and ``outline``
        layers). A missing outline becomes the sites' convex hull buffered by 10 km.

    Returns
    -------
    Region
        All layers in EPSG:4326 (lon/lat degrees).

    Raises
    ------
    GeodataError
        If the name is unknown or the data breaks a rule; the message names file and field.
    """
    combined = combined_spec(name_or_path)  # regions run together (geodata.combined)
    if combined is not None:
        return combine(_stem(name_or_path), combined[0], [load_region(m) for m in combined[1]])
    return assemble(_read(name_or_path))


def _stem(name_or_path: str | PathLike[str]) -> str:
    return Path(name_or_path).name or str(name_or_path)


def _read(name_or_path: str | PathLike[str]) -> RawLayers:
    if isinstance(name_or_path, str) and name_or_path in embedded_names():
        return read_embedded(name_or_path)
    try:
        path = Path(name_or_path)
        found = bool(str(name_or_path).strip()) and path.exists()
    except (OSError, ValueError, TypeError):  # NUL bytes, names too long, not a path
        found = False
    if found:
        return read_path(path)
    raise GeodataError(
        f"{show(str(name_or_path))}: field 'name_or_path': an embedded region "
        f"({', '.join(embedded_names())}), regions run together "
        f"({', '.join(combined_names())}) or an existing file/folder"
    )


def assemble(raw: RawLayers) -> Region:
    """Validate raw layers and build the :class:`Region`."""
    sites = check_sites(raw.sites)
    if raw.outline is None:
        check_spread(sites, raw.sites.source)
        outline = outline_from_sites(sites)
    else:
        outline = outline_from_layer(raw.outline)
    check_inside(sites, outline, raw.sites.source)
    check_references(sites, raw.sites.source)
    check_county_banks(sites, raw.sites.source)
    rail = _layer(raw.rail_lines, RAIL_COLUMNS, RailRow, LINE_TYPES)
    check_rail(rail, sites, _source(raw.rail_lines))
    no_fly = _layer(raw.no_fly, NO_FLY_COLUMNS, NoFlyRow, POLYGON_TYPES)
    check_no_fly(no_fly, sites, _source(raw.no_fly))
    road = road_from_json(raw.road, raw.road_source)
    districts = check_districts(raw.districts)
    return Region(raw.name, sites, rail, no_fly, outline, road, districts=districts)


def _layer(
    layer: Layer | None, columns: tuple[str, ...], model: type, types: tuple[str, ...]
) -> gpd.GeoDataFrame:
    if layer is None:
        return gpd.GeoDataFrame({c: [] for c in columns[:-1]}, geometry=[], crs=WGS84)
    checked = check_layer(layer, (columns[:-1], ()), model, types, columns[0])
    return checked[list(columns)]


def _source(layer: Layer | None) -> str:
    return "(absent layer)" if layer is None else layer.source
