"""Text from region and scenario files is escaped where the map's HTML and script are made."""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from sim.maps import layers, safe
from sim.maps.frames import event_frame

PAYLOADS = [
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "${window.__pwned=3}`;window.__pwned=3;`",
    "\\`;window.__pwned=4;//",
    "x' onmouseover='window.__pwned=5",
]
SCRIPT_CHARS = set("<>\"'`$\\")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_shows_the_original_and_leaves_no_active_character(value):
    escaped = safe.text(value)
    assert html.unescape(escaped) == value
    assert not SCRIPT_CHARS & set(escaped)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_script_json_round_trips_and_cannot_close_a_script(data):
    encoded = safe.script_json(data)
    assert json.loads(encoded) == data
    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(encoded)


def test_frame_text_escapes_text_columns_only():
    frame = gpd.GeoDataFrame(
        {"name": [PAYLOADS[0], None], "units": [1.5, 2.0], "legs": [3, 4]},
        geometry=[Point(0, 0), Point(1, 1)],
        crs="EPSG:4326",
    )
    out = safe.frame_text(frame)
    assert out["name"].iloc[0] == "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"
    assert pd.isna(out["name"].iloc[1])
    assert out["units"].tolist() == [1.5, 2.0] and out["legs"].tolist() == [3, 4]
    assert out.geometry.equals(frame.geometry)
    assert frame["name"].iloc[0] == PAYLOADS[0]  # the input is not changed


def hostile_page() -> str:
    """Every layer that shows text, fed hostile names, rendered by Folium."""
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["s1", "s2"],
            "kind": ["hospital", "blood_station"],
            "name": PAYLOADS[:2],
            "city": PAYLOADS[2:4],
            "stock_end": ["RBC 3 U", PAYLOADS[4]],
            "stockouts": [0, 1],
        },
        geometry=[Point(120.1, 30.1), Point(120.2, 30.2)],
        crs="EPSG:4326",
    )
    od = gpd.GeoDataFrame(
        {"mode": ["van"], "from_name": [PAYLOADS[0]], "to_name": [PAYLOADS[2]], "legs": [2],
         "loaded_legs": [1], "units": [4.0], "samples": [0], "purposes": [PAYLOADS[3]],
         "drawn_as": ["straight line"], "weight": [2.0]},
        geometry=[LineString([(120.1, 30.1), (120.2, 30.2)])], crs="EPSG:4326",
    )  # fmt: skip
    zone = Polygon([(120.5, 30.4), (120.6, 30.4), (120.6, 30.5)])
    no_fly = gpd.GeoDataFrame(
        {"zone_id": ["z"], "name": [PAYLOADS[1]], "reason": [PAYLOADS[0]]},
        geometry=[zone],
        crs="EPSG:4326",
    )
    events = event_frame(
        [
            {"type": "mass_casualty", "name": name, "start": "a", "end": "b", "lat": 30.2,
             "lon": 120.3, "casualties": 5}
            for name in PAYLOADS
        ]
        + [{"type": "road_closure", "name": PAYLOADS[2], "polygon": [[120, 30], [120.1, 30],
                                                                     [120.1, 30.1]]}]
    )  # fmt: skip
    feature = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[120.1, 30.1], [120.2, 30.2]]},
        "properties": {"times": ["2025-03-03T00:00", "2025-03-03T00:10"],
                       "tooltip": f"van: {PAYLOADS[0]} → {PAYLOADS[2]}"},
    }  # fmt: skip
    fmap = folium.Map(tiles=None)
    for group in [*layers.site_layers(sites), *layers.leg_layers(od), layers.no_fly_layer(no_fly),
                  layers.event_layer(events)]:  # fmt: skip
        group.add_to(fmap)
    layers.timeline_layer([feature]).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render()


def test_no_payload_reaches_the_page_raw():
    page = hostile_page()
    for payload in PAYLOADS:
        assert payload not in page, payload
    assert "${window" not in page and "</script><script>window" not in page
    assert "window.__pwned" in page  # the text is there, escaped


def test_tooltips_in_script_literals_are_html_escaped():
    page = hostile_page()
    # event tooltips sit in JS template literals (folium.Tooltip): HTML references only
    assert "mass_casualty &lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&#36;{window.__pwned=3}&#96;;window.__pwned=3;&#96;" in page
    # GeoJSON properties: escaped text, then JSON with "&" as \u0026 inside <script>
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__pwned=2\\u0026quot;\\u0026gt;" in page


def test_timeline_tooltips_are_escaped_and_its_json_cannot_close_the_script():
    layer = layers.timeline_layer(
        [{"type": "Feature", "geometry": None, "properties": {"tooltip": PAYLOADS[0]}}]
    )
    assert "</" not in layer.data
    tooltip = json.loads(layer.data)["features"][0]["properties"]["tooltip"]
    assert tooltip == safe.text(PAYLOADS[0]) and html.unescape(tooltip) == PAYLOADS[0]


def test_layer_names_from_data_are_escaped():
    od = pd.DataFrame(
        {"mode": ["<b>hover</b>"], "from_name": ["a"], "to_name": ["b"], "legs": [1],
         "loaded_legs": [1], "units": [1.0], "samples": [0], "purposes": ["x"],
         "drawn_as": ["line"], "weight": [1.0]}
    )  # fmt: skip
    od = gpd.GeoDataFrame(od, geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    (group,) = layers.leg_layers(od)
    assert group.layer_name == "&lt;b&gt;hover&lt;/b&gt; legs (1 legs, 1 routes)"
