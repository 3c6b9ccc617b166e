"""The map in headless Chromium with networking disabled: no JS errors, all layers drawn.

Chromium is driven with its command line only (``--dump-dom``): a probe script put first in
``<head>`` records ``window`` errors (and failed loads) and, on ``load``, the counts of
Leaflet's DOM elements into ``<pre id="bf-probe">``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sim.maps import build_map
from tests.maps.conftest import embedded_counts

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)"
)
PROBE = (Path(__file__).parent / "probe.js").read_text(encoding="utf-8")
REPORT = re.compile(r'<pre id="bf-probe">(.*?)</pre>', re.DOTALL)
OFFLINE_FLAGS = [
    "--proxy-server=127.0.0.1:9",  # nothing listens on the discard port
    "--host-resolver-rules=MAP * ~NOTFOUND",  # and no name resolves
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_in_chromium(page: Path, tmp_path: Path) -> dict:
    """Open ``page`` with the probe in offline headless Chromium; return the probe's report."""
    probed = tmp_path / f"probed-{page.name}"
    html = page.read_text(encoding="utf-8")
    probed.write_text(html.replace("<head>", f"<head><script>{PROBE}</script>", 1), "utf-8")
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", *OFFLINE_FLAGS,
        "--dump-dom", probed.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    match = REPORT.search(done.stdout)
    assert match, f"no probe report (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def report(tiny_map: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return open_in_chromium(tiny_map, tmp_path_factory.mktemp("chromium"))


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
    errors = open_in_chromium(online, tmp_path)["errors"]
    assert any(e.startswith("load failed: https://") for e in errors)
    assert any("L is not defined" in e for e in errors)  # script errors are caught too
