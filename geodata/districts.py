"""The optional districts layer of a region (``districts.geojson``): quality-control groups.

A municipality such as Shanghai judges hospitals by district ("1 + 16": one municipal centre
and 16 district groups, seeds.md file 002). The layer is read and checked with the region's
other files (:func:`geodata.load_region` puts it on ``Region.districts``); regions without it
have no districts (reports then group hospitals by ``city``). Columns: ``district_id, name,
name_cn`` (equal to the sites' ``county``), ``population_m`` (residents, millions) and a
Polygon/MultiPolygon ``geometry`` in EPSG:4326; regions run together add the member's
``region``.
"""

from __future__ import annotations

from importlib import resources
from os import PathLike
from pathlib import Path

import geopandas as gpd

from geodata.combined import combined_spec, member_districts
from geodata.errors import fail
from geodata.readers import LAYER_FILES, Layer, embedded_names, read_geojson
from geodata.validate import POLYGON_TYPES, check_geometry, check_ids, check_valid

DISTRICTS_FILE = LAYER_FILES["districts"]
DISTRICT_COLUMNS = ("district_id", "name", "name_cn", "population_m", "geometry")


def check_districts(layer: Layer | None) -> gpd.GeoDataFrame | None:
    """The validated districts of a region's layer as read, or None when it has none.

    Raises
    ------
    GeodataError
        If a column is missing, an id or Chinese name repeats, or a shape is not a valid
        polygon (the message names the file and the field).
    """
    if layer is None:
        return None
    frame, label = layer.frame, layer.source
    for column in DISTRICT_COLUMNS:
        if column not in frame.columns:
            raise fail(label, column, f"a required column (columns: {list(frame.columns)})")
    check_ids(frame["district_id"], label, "district_id")
    check_ids(frame["name_cn"], label, "name_cn")
    check_geometry(frame, POLYGON_TYPES, label, "district_id")
    check_valid(frame, label, "district_id")
    return frame[list(DISTRICT_COLUMNS)].set_crs("EPSG:4326", allow_override=True)


def load_districts(name_or_path: str | PathLike[str]) -> gpd.GeoDataFrame | None:
    """The districts of a region (embedded name, region folder or regions run together), or
    None when it has none: only the districts file is read, not the whole region.

    Regions run together (``yangtze_delta``) give their members' districts with a ``region``
    column naming the member.

    Raises
    ------
    GeodataError
        If a file is there but unreadable or breaks a rule (the message names the file).
    """
    combined = combined_spec(name_or_path)
    if combined is not None:
        members = [(Path(m).name, load_districts(m)) for m in combined[1]]
        return member_districts(members)
    if isinstance(name_or_path, str) and name_or_path in embedded_names():
        file = resources.files("geodata").joinpath("regions", name_or_path, DISTRICTS_FILE)
        label = f"geodata/regions/{name_or_path}/{DISTRICTS_FILE}"
    else:
        file = Path(name_or_path) / DISTRICTS_FILE
        label = str(file)
    if not file.is_file():
        return None
    return check_districts(read_geojson(file, label))
