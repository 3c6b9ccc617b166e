"""The map page without a browser: offline, layers named, counts right; the CLI contract."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import typer
from shapely.geometry import LineString
from typer.testing import CliRunner

from sim.cli.map import map_command
from sim.maps import MapError, write_map
from sim.maps.frames import TIMELINE_CAP, rail_geometry, rail_graph
from sim.maps.layers import OSM_TILES
from sim.maps.offline import inline_assets
from tests.maps.conftest import embedded_counts

OFF_MACHINE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)


class _Links(HTMLParser):
    """Every src/href attribute of the page's tags, and the text of its <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "data")]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def off_machine(page: Path) -> list[str]:
    """URLs in the page that would be fetched from another machine."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    urls = [u for u in parser.links if OFF_MACHINE.match(u)]
    return urls + [s[:80] for s in parser.styles if CSS_URL.search(s)]


def test_page_has_no_off_machine_urls(tiny_map):
    assert tiny_map.name == "map.html"
    assert off_machine(tiny_map) == []


def test_online_tiles_are_opt_in_and_the_only_url(tiny_run, tiny_map, tmp_path):
    assert OSM_TILES not in tiny_map.read_text(encoding="utf-8")
    page = write_map(tiny_run, tmp_path / "tiles.html", online_tiles=True)
    assert OSM_TILES in page.read_text(encoding="utf-8")
    assert off_machine(page) == []  # the template sits in a script, as an option


def test_layer_names(tiny_map):
    html = tiny_map.read_text(encoding="utf-8")
    for name in (
        "Province outline (offline)",
        "No-fly zones (0)",
        "Van legs (",
        "Blood stations (1)",
        "NAT labs (1)",
        "Donation houses (1)",
        "Hospitals (2)",
        "Scenario events (2)",
    ):
        assert f'"{name}' in html, name
    assert "no road (OSM) path yet" in html


def test_counts_match_the_run_folder(tiny_run, tiny_map):
    legs = pd.read_parquet(tiny_run / "legs.parquet")
    loaded = legs[(legs["units"] > 0) | (legs["samples"] > 0)]
    counts = embedded_counts(tiny_map)
    assert counts["sites"] == 5
    assert counts["legs"] == len(legs)
    assert counts["leg_lines"] == legs.groupby(["mode", "from_site", "to_site"]).ngroups
    assert counts["timeline_legs"] == min((loaded["depart_at"] < 1440).sum(), TIMELINE_CAP)
    assert counts["events"] == 2 and counts["no_fly_zones"] == 0


def test_day_chooses_what_the_slider_plays(tiny_run, tmp_path):
    page = write_map(tiny_run, tmp_path / "day1.html", day=1)
    html = page.read_text(encoding="utf-8")
    assert embedded_counts(page)["timeline_day"] == 1
    assert '"2025-03-04T' in html and '"2025-03-03T' not in html.split("L.geoJson({")[-1]


@pytest.mark.parametrize("day", [-1, 2])
def test_day_outside_the_run_is_refused(tiny_run, tmp_path, day):
    with pytest.raises(MapError, match="outside the run"):
        write_map(tiny_run, tmp_path / "x.html", day=day)


def test_unknown_cdn_asset_is_an_error():
    with pytest.raises(MapError, match="no offline copy"):
        inline_assets('<head></head><script src="https://cdn.example.org/new.js"></script>')


def test_rail_legs_follow_the_rail_lines():
    lines = gpd.GeoDataFrame(
        {"from_site": ["a", "c"], "to_site": ["b", "b"], "minutes": [10.0, 20.0]},
        geometry=[LineString([(0, 0), (1, 1), (2, 0)]), LineString([(4, 0), (3, 1), (2, 0)])],
    )
    graph = rail_graph(lines)
    path = rail_geometry(graph, "a", "c")
    assert list(path.coords) == [(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)]
    assert list(rail_geometry(graph, "b", "a").coords) == [(2, 0), (1, 1), (0, 0)]
    assert rail_geometry(graph, "a", "elsewhere") is None


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("map")(map_command)
    return app


def test_cli_writes_the_map(tiny_run, tmp_path):
    target = tmp_path / "cli.html"
    result = CliRunner().invoke(cli(), [str(tiny_run), "--out", str(target), "--day", "1"])
    assert result.exit_code == 0, result.output
    assert target.is_file() and str(target) in result.stdout


def test_cli_incomplete_run_folder_exits_2_with_one_line(tiny_run, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_run, broken)
    (broken / "legs.parquet").unlink()
    for folder in (broken, tmp_path / "missing"):
        result = CliRunner().invoke(cli(), [str(folder)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert str(folder) in result.stderr and "Traceback" not in result.output
