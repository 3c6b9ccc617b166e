"""GeoDataFrames → Folium layers: sites by kind, legs by mode, no-fly zones, outline, events.

Every text from data that a layer shows (tooltips, popups, layer names) passes through
:mod:`sim.maps.safe` here, where the layers are made.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from sim.maps import safe
from sim.maps.frames import TIMELINE_STEP_MIN

if TYPE_CHECKING:
    import folium
    from folium.plugins import TimestampedGeoJson

# kind → (label, symbol on the marker, marker size in px); colours in assets/bloodflow/map.css
SITE_KINDS = {
    "blood_center": ("Blood centre", "C", 18),
    "blood_station": ("Blood stations", "S", 16),
    "county_blood_bank": ("County blood banks", "B", 14),
    "lab": ("NAT labs", "L", 16),
    "donation_house": ("Donation houses", "D", 13),
    "hospital": ("Hospitals", "H", 13),
    "rail_station": ("Rail stations", "R", 14),
    "drone_port": ("Drone ports", "P", 11),
}
MODE_COLOURS = {"van": "#1f6fb4", "drone": "#2ca02c", "rail": "#8e44ad"}
MODE_LABELS = {"van": "Van legs", "drone": "Drone legs", "rail": "Rail legs"}
OUTLINE_PANE = "outline"  # below the vector overlays, so legs stay on top of the base layer
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def site_layers(sites: gpd.GeoDataFrame) -> list[folium.FeatureGroup]:
    """One FeatureGroup per site kind, markers with a popup (stock at the end, stockouts)."""
    kinds = [k for k in SITE_KINDS if k in set(sites["kind"])]
    kinds += sorted(set(sites["kind"]) - set(kinds))
    return [_site_group(sites[sites["kind"] == kind], kind) for kind in kinds]


def _site_group(sites: gpd.GeoDataFrame, kind: str) -> folium.FeatureGroup:
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    label, symbol, size = SITE_KINDS.get(kind, (kind, "?", 14))
    group = folium.FeatureGroup(name=safe.text(f"{label} ({len(sites)})"))
    icon = folium.DivIcon(
        html=symbol,
        class_name=f"bf-site bf-{kind}",
        icon_size=(size, size),
        icon_anchor=(size // 2, size // 2),
    )
    fields = ["name", "kind", "city", "stock_end", "stockouts"]
    aliases = ["Site", "Kind", "City", "Stock at the end", "Stockouts"]
    folium.GeoJson(
        safe.frame_text(sites[[*fields, "site_id", "geometry"]]),
        marker=folium.Marker(icon=icon),
        popup=folium.GeoJsonPopup(fields=fields, aliases=aliases),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(group)
    return group


def leg_layers(od: gpd.GeoDataFrame) -> list[folium.FeatureGroup]:
    """One FeatureGroup per mode: a line per origin–destination pair, width by units."""
    modes = [m for m in MODE_COLOURS if m in set(od["mode"])]
    modes += sorted(set(od["mode"]) - set(modes))
    return [_leg_group(od[od["mode"] == mode], mode) for mode in modes]


def _leg_group(od: gpd.GeoDataFrame, mode: str) -> folium.FeatureGroup:
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    colour = MODE_COLOURS.get(mode, "#555555")
    label = MODE_LABELS.get(mode, f"{mode} legs")
    name = f"{label} ({int(od['legs'].sum())} legs, {len(od)} routes)"
    group = folium.FeatureGroup(name=safe.text(name))
    fields = [
        "from_name",
        "to_name",
        "legs",
        "loaded_legs",
        "units",
        "samples",
        "purposes",
        "drawn_as",
    ]
    aliases = ["From", "To", "Legs", "Loaded legs", "Units (U)", "Samples", "Purposes", "Drawn as"]
    folium.GeoJson(
        safe.frame_text(od[[*fields, "weight", "geometry"]]),
        style_function=lambda f: _leg_style(f, colour, mode),
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        control=False,
    ).add_to(group)
    return group


def _leg_style(feature: dict, colour: str, mode: str) -> dict:
    weight = feature["properties"]["weight"]
    return {"color": colour, "weight": weight, "opacity": 0.55, "className": f"bf-leg bf-{mode}"}


def no_fly_layer(no_fly: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Drone no-fly zones as red polygons."""
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    group = folium.FeatureGroup(name=f"No-fly zones ({len(no_fly)})")
    if no_fly.empty:
        return group
    folium.GeoJson(
        safe.frame_text(no_fly[["name", "reason", "geometry"]]),
        style_function=lambda _: {
            "color": "#c0392b",
            "weight": 1,
            "fillOpacity": 0.25,
            "className": "bf-nofly",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name", "reason"], aliases=["No-fly", "Why"]),
        control=False,
    ).add_to(group)
    return group


def base_layers(fmap: folium.Map, outline: BaseGeometry, online_tiles: bool) -> None:
    """The province outline as the (offline) base layer; OpenStreetMap tiles if asked."""
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    folium.map.CustomPane(OUTLINE_PANE, z_index=250, pointer_events=False).add_to(fmap)
    base = folium.FeatureGroup(name="Province outline (offline)", overlay=False)
    shape = gpd.GeoSeries([outline.simplify(0.002)], crs="EPSG:4326")
    style = {
        "color": "#6b6b6b",
        "weight": 1.2,
        "fillColor": "#f4f1ea",
        "fillOpacity": 1,
        "pane": OUTLINE_PANE,
        "interactive": False,
        "className": "bf-outline",
    }
    folium.GeoJson(shape, style_function=lambda _: style, control=False).add_to(base)
    base.add_to(fmap)
    if online_tiles:
        attribution = "&copy; OpenStreetMap contributors"
        folium.TileLayer(
            OSM_TILES, attr=attribution, name="OpenStreetMap (online)", overlay=False, show=False
        ).add_to(fmap)


def event_layer(events: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Scenario events: mass-casualty markers, road-closure polygons."""
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    group = folium.FeatureGroup(name=f"Scenario events ({len(events)})")
    for row in events.itertuples():
        text = safe.text(f"{row.type} {row.name}: {row.start} to {row.end}, {row.detail}")
        if row.geometry.geom_type == "Point":
            icon = folium.DivIcon(
                html="✚", class_name="bf-event", icon_size=(20, 20), icon_anchor=(10, 10)
            )
            folium.Marker([row.geometry.y, row.geometry.x], icon=icon, tooltip=text).add_to(group)
        else:
            folium.GeoJson(
                row.geometry, tooltip=text, style_function=lambda _: CLOSURE_STYLE, control=False
            ).add_to(group)
    return group


CLOSURE_STYLE = {
    "color": "#e67e22",
    "weight": 2,
    "dashArray": "6 4",
    "fillOpacity": 0.2,
    "className": "bf-event-area",
}


def timeline_layer(features: list[dict]) -> TimestampedGeoJson:
    """Time slider that plays the legs: each leg grows from origin to destination.

    Each feature's ``tooltip`` property is plain text (escaped here); the GeoJSON goes into the
    page as :func:`safe.script_json` (Folium would embed a ``dict`` with bare ``json.dumps``).
    """
    from folium.plugins import TimestampedGeoJson  # imported when a map is drawn

    shown = [_escaped_tooltip(feature) for feature in features]
    return TimestampedGeoJson(
        io.StringIO(safe.script_json({"type": "FeatureCollection", "features": shown})),
        period=f"PT{TIMELINE_STEP_MIN}M",
        duration="PT1H",
        add_last_point=True,
        auto_play=False,
        loop=False,
        date_options="YYYY-MM-DD HH:mm",
        max_speed=20,
    )


def _escaped_tooltip(feature: dict) -> dict:
    properties = feature["properties"]
    if "tooltip" not in properties:
        return feature
    return {**feature, "properties": {**properties, "tooltip": safe.text(properties["tooltip"])}}
