"""Hostile names through ``run`` and ``compare``: shown as text in the pages, never run.

The tiny world of ``conftest.py`` carries HTML and JavaScript payloads in site names, a city,
a site id, a no-fly zone and scenario events and in the scenario name. The run writes
``map.html`` and ``report.html``; a comparison writes ``report.html`` with the map in an
``<iframe srcdoc>``. Headless Chromium (networking off) opens each page with
``hostile_probe.js``, which opens every tooltip and popup (also while playing the time slider
and inside the iframes) and reports whether a payload ran and which texts were shown.
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from sim.maps.offline import inline_assets
from sim.workflows import compare_report_with_maps
from tests.maps.chromium import needs_chromium, open_in_chromium
from tests.security.conftest import PAYLOADS

PROBE = (Path(__file__).parent / "hostile_probe.js").read_text(encoding="utf-8")
ON_THE_MAP = ("site_name", "city", "hospital_name", "site_id", "zone_name", "zone_reason",
              "event_name")  # fmt: skip


@pytest.fixture(scope="module")
def hostile_compare(hostile_scenario_file: Path) -> Path:
    """``report.html`` of a one-policy comparison of the hostile world (maps embedded)."""
    out = hostile_scenario_file.parent / "compare"
    return compare_report_with_maps(hostile_scenario_file, ["ground_only"], out, reps=1)


def test_pages_hold_no_raw_payload(hostile_run, hostile_compare):
    for page in (hostile_run / "map.html", hostile_run / "report.html", hostile_compare):
        text = page.read_text(encoding="utf-8")
        for name, payload in PAYLOADS.items():
            assert payload not in text, (page.name, name)
    report = (hostile_run / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=8&lt;/script&gt;drill" in report


@pytest.fixture(scope="module")
def seen(hostile_run, hostile_compare, tmp_path_factory) -> dict[str, dict]:
    """What the probe found in each page."""
    pages = {"map": hostile_run / "map.html", "report": hostile_run / "report.html",
             "compare": hostile_compare}  # fmt: skip
    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    scratch = tmp_path_factory.mktemp("hostile_chromium")
    return {name: open_in_chromium(page, scratch, PROBE) for name, page in pages.items()}


def shown(report: dict, text: str) -> bool:
    return any(text in shown_text for shown_text in report["texts"])


@needs_chromium
@pytest.mark.parametrize("page", ["map", "report", "compare"])
def test_no_payload_runs(seen, page):
    report = seen[page]
    assert report["pwned"] is None
    assert all(frame["pwned"] is None for frame in report["frames"])
    assert report["errors"] == []  # an injected <img src=x> would fail to load here
    assert report["title"] != "pwned"  # the site-name payload sets it


@needs_chromium
def test_map_shows_every_name_as_text(seen):
    report = seen["map"]
    assert report["maps"] == 1 and report["title"] == ""
    for name in ON_THE_MAP:
        assert shown(report, PAYLOADS[name]), name


@needs_chromium
def test_report_title_is_the_scenario_name(seen):
    report = seen["report"]
    assert report["title"] == f"bloodflow run: {PAYLOADS['scenario_name']}"
    assert shown(report, PAYLOADS["scenario_name"])


@needs_chromium
def test_compare_report_embeds_a_safe_map(seen):
    report = seen["compare"]
    assert report["maps"] == 1 and len(report["frames"]) == 1
    assert report["frames"][0]["title"] == ""
    for name in ("site_name", "zone_reason", "event_name"):
        assert shown(report, PAYLOADS[name]), name


def unsafe_marker(fmap: folium.Map) -> None:
    folium.Marker([30.2, 120.2], tooltip=PAYLOADS["city"]).add_to(fmap)


def unsafe_popup(fmap: folium.Map) -> None:
    sites = gpd.GeoDataFrame(
        {"name": [PAYLOADS["city"]]}, geometry=[Point(120.2, 30.2)], crs="EPSG:4326"
    )
    popup = folium.GeoJsonPopup(fields=["name"])
    folium.GeoJson(sites, marker=folium.CircleMarker(), popup=popup).add_to(fmap)


@needs_chromium
@pytest.mark.parametrize("add", [unsafe_marker, unsafe_popup])
def test_probe_sees_an_unescaped_payload_run(tmp_path, add):
    """Control: a payload not escaped runs in this browser when the probe opens its tooltip
    or popup, and the probe says so."""
    fmap = folium.Map(tiles=None, location=[30.2, 120.2], zoom_start=9)
    add(fmap)
    page = tmp_path / "unsafe.html"
    page.write_text(inline_assets(fmap.get_root().render()), encoding="utf-8")
    report = open_in_chromium(page, tmp_path, PROBE)
    assert report["pwned"] == 2
