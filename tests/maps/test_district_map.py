"""The district choropleth (sim/maps/districts.py): page structure, escaping, and the page in
headless Chromium with networking off (one shape per district, no script errors)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim.maps import MapError
from sim.maps.districts import DISTRICTS_ID, INDICATORS, has_districts, write_district_map
from tests.maps.chromium import needs_chromium, open_in_chromium
from tests.sim.qc_world import DISTRICTS, district_run

COUNTS = re.compile(rf'<script type="application/json" id="{DISTRICTS_ID}">(.*?)</script>')
PROBE = """
(function () {
  window.addEventListener('load', function () {
    var out = document.createElement('pre');
    out.id = 'bf-probe';
    out.textContent = JSON.stringify({
      districts: document.querySelectorAll('path.bf-district').length,
      errors: window.__bfErrors});
    document.body.appendChild(out);
  });
})();
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return district_run(tmp_path_factory.mktemp("districts"), days=3)


def test_run_writes_the_choropleth_with_one_shape_per_district(folder):
    page = (folder / "districts.html").read_text(encoding="utf-8")
    counts = json.loads(COUNTS.search(page).group(1))
    assert counts == {"districts": len(DISTRICTS), "indicator": "wastage_rate"}
    assert '<script src="http' not in page and '<link href="http' not in page  # offline


def test_district_names_are_escaped(folder):
    page = (folder / "districts.html").read_text(encoding="utf-8")
    assert "<b>Yi & Co</b>" not in page
    # as HTML character references (sim/maps/safe.py), inside JSON with "&" as \u0026
    assert "\\u0026lt;b\\u0026gt;Yi \\u0026amp; Co" in page


@pytest.mark.parametrize("indicator", sorted(INDICATORS))
def test_every_indicator_renders(folder, tmp_path, indicator):
    page = write_district_map(folder, tmp_path / "d.html", indicator=indicator)
    assert json.loads(COUNTS.search(page.read_text("utf-8")).group(1))["indicator"] == indicator


def test_unknown_indicator_is_one_clear_error(folder, tmp_path):
    with pytest.raises(MapError, match="indicator: 'nope' is unknown"):
        write_district_map(folder, tmp_path / "d.html", indicator="nope")


def test_region_without_districts_gets_no_choropleth(tiny_run):
    assert not has_districts(tiny_run)
    assert not (tiny_run / "districts.html").exists()


@needs_chromium
def test_choropleth_draws_every_district_offline(folder, tmp_path):
    report = open_in_chromium(folder / "districts.html", tmp_path, PROBE)
    assert report["errors"] == []
    assert report["districts"] == len(DISTRICTS)
