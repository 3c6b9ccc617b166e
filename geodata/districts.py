"""The optional districts layer of a region (``districts.geojson``): quality-control groups.

A municipality such as Shanghai judges hospitals by district ("1 + 16": one municipal centre
and 16 district groups, seeds.md file 002). The layer is read beside the region's other files;
regions without it have no districts (reports then group hospitals by ``city``).
Columns: ``district_id, name, name_cn`` (equal to the sites' ``county``), ``population_m``
(residents, millions) and a Polygon/MultiPolygon ``geometry`` in EPSG:4326.
"""

from __future__ import annotations

from importlib import resources
from os import PathLike
from pathlib import Path

import geopandas as gpd

from geodata.errors import fail
from geodata.readers import _read_geojson, embedded_names
from geodata.validate import POLYGON_TYPES, check_geometry, check_ids, check_valid

DISTRICTS_FILE = "districts.geojson"
DISTRICT_COLUMNS = ("district_id", "name", "name_cn", "population_m", "geometry")


def load_districts(name_or_path: str | PathLike[str]) -> gpd.GeoDataFrame | None:
    """The districts of an embedded region or a region folder, or None when it has none.

    Parameters
    ----------
    name_or_path : str or path-like
        An embedded region name (``"shanghai"``) or a region folder.

    Raises
    ------
    GeodataError
        If the file is there but unreadable or breaks a rule (the message names the file).
    """
    if isinstance(name_or_path, str) and name_or_path in embedded_names():
        file = resources.files("geodata").joinpath("regions", name_or_path, DISTRICTS_FILE)
        label = f"geodata/regions/{name_or_path}/{DISTRICTS_FILE}"
    else:
        file = Path(name_or_path) / DISTRICTS_FILE
        label = str(file)
    if not file.is_file():
        return None
    return _checked(_read_geojson(file, label).frame, label)


def _checked(frame: gpd.GeoDataFrame, label: str) -> gpd.GeoDataFrame:
    for column in DISTRICT_COLUMNS:
        if column not in frame.columns:
            raise fail(label, column, f"a required column (columns: {list(frame.columns)})")
    check_ids(frame["district_id"], label, "district_id")
    check_ids(frame["name_cn"], label, "name_cn")
    check_geometry(frame, POLYGON_TYPES, label, "district_id")
    check_valid(frame, label, "district_id")
    return frame[list(DISTRICT_COLUMNS)].set_crs("EPSG:4326", allow_override=True)
