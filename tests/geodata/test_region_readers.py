"""GeoPackages, CRSs, unreadable and oversized files, odd paths, road.json's schema, and the
outline derived from the sites: each a GeodataError naming the file, or a correct region."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

import geodata.readers
from geodata import GeodataError, Region, RoadModel, load_region
from geodata.limits import MAX_ROAD_SPEED_KMH, MIN_ROAD_SPEED_KMH
from tests.geodata.tiny import tiny_documents, write_region


def _sites(points: list[tuple[float, float]] | None = None) -> gpd.GeoDataFrame:
    points = points or [(120.20, 30.20), (120.21, 30.21), (120.30, 30.25), (120.25, 30.15)]
    frame = gpd.GeoDataFrame(
        {
            "site_id": ["bc_x", "lab_x", "h_1", "dh_1"],
            "kind": ["blood_center", "lab", "hospital", "donation_house"],
            "name": ["Centre", "Lab", "Hospital 1", "House 1"],
            "station_id": [None, None, "bc_x", "bc_x"],
            "lab_id": ["lab_x", None, None, None],
            "beds": [None, None, 800.0, 8.0],
        },
        geometry=[Point(*p) for p in points],
        crs="EPSG:4326",
    )
    return frame


def _gpkg(frame: gpd.GeoDataFrame, path: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # writing a layer without a CRS warns
        frame.to_file(path, layer="sites", driver="GPKG")
    return path


def _with_point(frame: gpd.GeoDataFrame, point: Point) -> gpd.GeoDataFrame:
    frame.loc[2, "geometry"] = point
    return frame


GPKG_CASES = {
    "3857 metres, no CRS": (
        lambda: _sites().to_crs(3857).set_crs(None, allow_override=True),
        r"'crs': .*none was set.*looks like projected coordinates \(e\.g\. EPSG:3857\)",
    ),
    "degrees declared as 3857": (
        lambda: _sites().set_crs(3857, allow_override=True),
        r"'crs': .*EPSG:3857.*look like lon/lat degrees",
    ),
    "infinite coordinate": (
        lambda: _with_point(_sites(), Point(np.inf, 30.0)),
        r"'geometry': finite coordinates .*'h_1'",
    ),
    "NaN point": (lambda: _with_point(_sites(), Point(np.nan, np.nan)), r"'geometry': .*'h_1'"),
    "outside the UTM zone's range": (
        lambda: _with_point(_sites().to_crs(32651), Point(1e12, 1e12)),
        r"'geometry': finite coordinates \(after converting from EPSG:32651\) for 'h_1'",
    ),
    "1e15 beds": (
        lambda: _sites().assign(beds=[None, None, 1e15, 8.0]),
        r"'beds': .*'h_1'.*largest hospitals",
    ),
}


@pytest.mark.parametrize("case", sorted(GPKG_CASES))
def test_bad_geopackage_raises(tmp_path: Path, case: str) -> None:
    build, pattern = GPKG_CASES[case]
    path = _gpkg(build(), tmp_path / "bad.gpkg")
    with pytest.raises(GeodataError, match=r"bad\.gpkg:sites: field " + pattern):
        load_region(path)


def test_projected_geopackage_is_converted(tmp_path: Path) -> None:
    region = load_region(_gpkg(_sites().to_crs(32651), tmp_path / "utm.gpkg"))
    assert region.sites.crs.to_epsg() == 4326
    assert region.sites.geometry.x.iloc[2] == pytest.approx(120.30)
    assert region.sites["beds"].iloc[2] == 800


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database", b"SQLite format 3\x00" + b"\x00" * 200],
    ids=["empty", "text", "broken sqlite"],
)
def test_unreadable_geopackage_is_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.gpkg"
    path.write_bytes(content)
    with pytest.raises(GeodataError, match=r"broken\.gpkg: field '<file>': a readable") as caught:
        load_region(path)
    assert "\n" not in str(caught.value)


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    folder = write_region(tmp_path / "region", tiny_documents())
    monkeypatch.setattr(geodata.readers, "MAX_LAYER_BYTES", 1000)
    with pytest.raises(GeodataError, match=r"sites\.geojson: field '<file>': .*at most 1,000"):
        load_region(folder)


@pytest.mark.parametrize("name", ["road.json", "rail_lines.geojson", "outline.geojson"])
def test_region_file_that_is_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    docs = tiny_documents()
    docs[name] = None
    folder = write_region(tmp_path / "region", docs)
    (folder / name).mkdir()
    with pytest.raises(GeodataError, match=rf"{name}: field '<file>': a regular file"):
        load_region(folder)


def test_fifo_as_road_json_is_refused_without_blocking(tmp_path: Path) -> None:
    docs = tiny_documents()
    docs["road.json"] = None
    folder = write_region(tmp_path / "region", docs)
    os.mkfifo(folder / "road.json")
    with pytest.raises(GeodataError, match=r"road\.json: field '<file>': a regular file"):
        load_region(folder)


@pytest.mark.parametrize("name", ["a\x00b", "x" * 5000, "", "no/such/region", ".geojson"], ids=repr)
def test_odd_names_and_paths(name: str) -> None:
    with pytest.raises(GeodataError, match="'name_or_path'|field '<"):
        load_region(name)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site_id,kind\n")
    with pytest.raises(GeodataError, match=r"sites\.csv: field '<suffix>'"):
        load_region(path)


def test_road_schema_shows_every_range() -> None:
    properties = RoadModel.model_json_schema()["properties"]
    speed = properties["urban_speed_kmh"]
    assert (speed["minimum"], speed["maximum"]) == (MIN_ROAD_SPEED_KMH, MAX_ROAD_SPEED_KMH)
    numeric = [k for k, v in properties.items() if v.get("type") == "number"]
    assert numeric and all("minimum" in properties[k] for k in numeric)
    assert all("maximum" in properties[k] for k in numeric)


def test_road_model_is_validated_when_built_in_code() -> None:
    with pytest.raises(ValueError, match="urban_speed_kmh"):
        RoadModel(urban_speed_kmh=1e-300)
    assert RoadModel().to_dict()["peak_windows_h"] == [[7.0, 9.0], [17.0, 19.0]]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-5.0, 5.0), st.floats(-5.0, 5.0)), min_size=4, max_size=4),
    st.floats(-60.0, 60.0),
)
def test_derived_outline_covers_every_site(offsets, lat0) -> None:
    """Sites up to ~1,100 km apart, anywhere from 60 S to 60 N: the derived outline (hull +
    10 km) covers them all, so no correct site is ever reported outside it."""
    points = [(100.0 + dx, lat0 + dy / 2) for dx, dy in offsets]
    frame = _sites(points)
    region = load_region_from_frame(frame)
    assert region.outline.covers(region.sites.geometry.union_all())


def load_region_from_frame(frame: gpd.GeoDataFrame) -> Region:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.geojson"
        frame.to_file(path, driver="GeoJSON")
        return load_region(path)
