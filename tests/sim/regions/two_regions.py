"""A tiny two-region world: region ``east`` (station, lab, house, hospital, rail station) and
region ``west`` (the same), about 150 km apart, joined by one border rail line."""

from __future__ import annotations

import json
from pathlib import Path

# site_id, kind, name, city, lon, lat, tier, beds, station_id, lab_id
EAST = [
    ("bs_e", "blood_station", "Station E", "E", 121.40, 31.20, None, None, None, "lab_e"),
    ("lab_e", "lab", "Lab E", "E", 121.42, 31.21, None, None, None, None),
    ("dh_e", "donation_house", "House E", "E", 121.38, 31.23, None, 6, "bs_e", None),
    ("h_e", "hospital", "Hospital E", "E", 121.45, 31.22, "tertiary", 1200, "bs_e", None),
    ("rail_e", "rail_station", "Rail E", "E", 121.32, 31.19, None, None, None, None),
]
WEST = [
    ("bs_w", "blood_station", "Station W", "W", 120.20, 30.25, None, None, None, "lab_w"),
    ("lab_w", "lab", "Lab W", "W", 120.22, 30.26, None, None, None, None),
    ("dh_w", "donation_house", "House W", "W", 120.16, 30.28, None, 6, "bs_w", None),
    ("h_w", "hospital", "Hospital W", "W", 120.18, 30.22, "tertiary", 1200, "bs_w", None),
    ("rail_w", "rail_station", "Rail W", "W", 120.21, 30.29, None, None, None, None),
]
COLUMNS = ("site_id", "kind", "name", "city", "lon", "lat", "tier", "beds", "station_id", "lab_id")
BORDER_RAIL_MIN = 30.0
BORDER_ROAD = {"intercity_speed_kmh": 90.0, "urban_speed_kmh": 30.0, "handling_min": 5.0}


def write_member(folder: Path, rows: list[tuple]) -> Path:
    """Write one member region's ``sites.geojson`` into ``folder`` (plain GeoJSON)."""
    features = []
    for row in rows:
        properties = dict(zip(COLUMNS, row, strict=True))
        point = [properties.pop("lon"), properties.pop("lat")]
        geometry = {"type": "Point", "coordinates": point}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    folder.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "sites.geojson").write_text(json.dumps(collection), encoding="utf-8")
    return folder


def write_two_regions(root: Path) -> Path:
    """Write ``root/two/`` (combined.json) with members ``east`` and ``west`` beside it."""
    folder = root / "two"
    write_member(folder / "east", EAST)
    write_member(folder / "west", WEST)
    spec = {
        "members": ["east", "west"],
        "border_rail": [
            {
                "line_id": "rail_e__rail_w",
                "from_site": "rail_e",
                "to_site": "rail_w",
                "minutes": BORDER_RAIL_MIN,
            }
        ],
        "border_road": BORDER_ROAD,
    }
    (folder / "combined.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder
