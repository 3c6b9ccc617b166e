"""A tiny region copied from the embedded Zhejiang files, written as a folder for load_region.

Eight sites (centre, lab, hospital, donation house, two rail stations, two drone ports), one
rail line, one no-fly zone, the province outline and road.json: every layer and every column
of the embedded data, small enough to load many times in a test.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

SITE_IDS = (
    "bc_hangzhou",
    "lab_hangzhou",
    "h_hangzhou_001",
    "dh_hangzhou_01",
    "rail_hangzhou_east",
    "rail_shaoxing_north",
    "dp_bc_hangzhou",
    "dp_rail_hangzhou_east",
)
LINE_IDS = ("rail_hangzhou_east__rail_shaoxing_north",)
ZONE_IDS = ("nf_hgh",)

Documents = dict[str, Any]


def _embedded(name: str) -> Any:
    folder = resources.files("geodata").joinpath("regions", "zhejiang")
    return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))


def _pick(collection: dict, key: str, ids: tuple[str, ...]) -> dict:
    out = {k: v for k, v in collection.items() if k != "features"}
    out["features"] = [f for f in collection["features"] if f["properties"][key] in ids]
    assert len(out["features"]) == len(ids)
    return out


@cache
def _tiny() -> Documents:
    return {
        "sites.geojson": _pick(_embedded("sites.geojson"), "site_id", SITE_IDS),
        "rail_lines.geojson": _pick(_embedded("rail_lines.geojson"), "line_id", LINE_IDS),
        "no_fly.geojson": _pick(_embedded("no_fly.geojson"), "zone_id", ZONE_IDS),
        "outline.geojson": _embedded("outline.geojson"),
        "road.json": _embedded("road.json"),
    }


def tiny_documents() -> Documents:
    """A fresh deep copy of the tiny region's files: file name -> parsed JSON document."""
    return copy.deepcopy(_tiny())


def write_region(folder: Path, documents: Documents) -> Path:
    """Write documents into ``folder`` (created); bytes are written as they are.

    A document of ``None`` leaves its file out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in documents.items():
        if document is None:
            continue
        data = document if isinstance(document, bytes) else json.dumps(document).encode()
        (folder / name).write_bytes(data)
    return folder


def site(documents: Documents, site_id: str) -> dict:
    """The feature of one site in ``documents`` (mutable)."""
    features = documents["sites.geojson"]["features"]
    return next(f for f in features if f["properties"]["site_id"] == site_id)
