"""The map in headless Chromium with networking disabled: no JS errors, all layers drawn.

The probe (``probe.js``) records ``window`` errors (and failed loads) and, on ``load``, the
counts of Leaflet's DOM elements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.maps import build_map
from tests.maps.chromium import needs_chromium, open_in_chromium
from tests.maps.conftest import embedded_counts

pytestmark = needs_chromium
PROBE = (Path(__file__).parent / "probe.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(tiny_map: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return open_in_chromium(tiny_map, tmp_path_factory.mktemp("chromium"), PROBE)


def test_page_loads_without_javascript_errors(report):
    assert report["errors"] == []


def test_every_site_and_route_is_drawn(report, tiny_map):
    counts = embedded_counts(tiny_map)
    assert report["sites"] == counts["sites"] == 5
    assert report["leg_lines"] == counts["leg_lines"] > 0
    assert report["no_fly"] == counts["no_fly_zones"]
    assert report["events"] == counts["events"] == 2


def test_layer_control_lists_kinds_and_modes(report):
    names = " | ".join(report["layers"])
    for name in ("Province outline (offline)", "Van legs", "Hospitals (2)", "Scenario events (2)"):
        assert name in names


def test_time_slider_plays_the_legs(report, tiny_map):
    assert embedded_counts(tiny_map)["timeline_legs"] > 0
    assert report["timeline_max"] > 0


def test_probe_sees_cdn_assets_fail_offline(tiny_run, tmp_path):
    """Control: Folium's own page (CDN links) cannot load here, and the probe says so."""
    online = tmp_path / "cdn.html"
    online.write_text(build_map(tiny_run)[0].get_root().render(), encoding="utf-8")
    errors = open_in_chromium(online, tmp_path, PROBE)["errors"]
    assert any(e.startswith("load failed: https://") for e in errors)
    assert any("L is not defined" in e for e in errors)  # script errors are caught too
