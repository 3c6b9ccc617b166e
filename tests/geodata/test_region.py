"""Tests of the embedded Zhejiang region and of loading (and rejecting) a user's files."""

from pathlib import Path

import geopandas as gpd
import networkx as nx
import pytest
from shapely.geometry import LineString, Point, box

from geodata import SITE_KINDS, GeodataError, Region, load_region


@pytest.fixture(scope="module")
def zj() -> Region:
    return load_region("zhejiang")


def test_site_counts(zj):
    counts = zj.sites["kind"].value_counts()
    assert counts["blood_center"] == 1
    assert counts["blood_station"] == 10
    assert counts["lab"] == 4
    assert counts["donation_house"] == 86
    assert counts["hospital"] >= 250
    assert counts["rail_station"] == 10
    assert counts["drone_port"] >= 11
    assert set(zj.sites_of("hospital")["tier"]) == {"tertiary", "secondary", "county"}


def test_crs_ids_and_outline(zj):
    assert zj.sites.crs.to_epsg() == 4326
    assert zj.sites["site_id"].is_unique
    assert zj.sites.geometry.apply(zj.outline.covers).all()
    assert zj.outline.geom_type in ("Polygon", "MultiPolygon")


def test_every_hospital_and_house_has_a_station(zj):
    stations = set(zj.sites_of("blood_center", "blood_station")["site_id"])
    served = zj.sites_of("hospital", "donation_house")
    assert served["station_id"].isin(stations).all()
    assert (
        zj.sites_of("hospital").query("city == 'Hangzhou'")["station_id"] == "bc_hangzhou"
    ).all()


def test_every_station_has_a_lab(zj):
    labs = set(zj.sites_of("lab")["site_id"])
    assert zj.sites_of("blood_center", "blood_station")["lab_id"].isin(labs).all()


def test_no_drone_port_in_no_fly_zone(zj):
    zones = zj.no_fly.union_all()
    ports = zj.sites_of("drone_port")
    assert not ports.geometry.apply(zones.covers).any()
    assert ports["host_site_id"].isin(zj.sites["site_id"]).all()


def test_rail_network_positive_and_connected(zj):
    assert (zj.rail_lines["minutes"] > 0).all()
    graph = nx.Graph()
    graph.add_nodes_from(zj.sites_of("rail_station")["site_id"])
    graph.add_edges_from(zip(zj.rail_lines["from_site"], zj.rail_lines["to_site"], strict=True))
    assert nx.is_connected(graph)


def test_site_lookup_and_road(zj):
    assert zj.site("bc_hangzhou")["kind"] == "blood_center"
    assert zj.road.peak_factor == pytest.approx(1.6)
    with pytest.raises(GeodataError, match="nope"):
        zj.site("nope")


def test_unknown_region_lists_embedded():
    with pytest.raises(GeodataError, match="zhejiang"):
        load_region("atlantis")


# ---- a user's own data -------------------------------------------------------------------


def _user_sites() -> gpd.GeoDataFrame:
    rows = [
        ("bc_x", "blood_center", "Centre", None, "lab_x", (120.20, 30.20)),
        ("lab_x", "lab", "Lab", None, None, (120.21, 30.21)),
        ("h_1", "hospital", "Hospital 1", "bc_x", None, (120.30, 30.25)),
        ("dh_1", "donation_house", "House 1", "bc_x", None, (120.25, 30.15)),
    ]
    return gpd.GeoDataFrame(
        {
            "site_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "station_id": [r[3] for r in rows],
            "lab_id": [r[4] for r in rows],
        },
        geometry=[Point(*r[5]) for r in rows],
        crs="EPSG:4326",
    )


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    gdf.to_file(path, driver="GeoJSON")
    return path


def test_load_user_geojson(tmp_path):
    region = load_region(_write_geojson(_user_sites(), tmp_path / "mine.geojson"))
    assert region.name == "mine"
    assert len(region.sites) == 4 and region.rail_lines.empty and region.no_fly.empty
    assert region.sites["tier"].isna().all()
    assert region.outline.covers(region.sites.geometry.union_all())


def test_load_user_directory_and_reprojects(tmp_path):
    folder = tmp_path / "myregion"
    folder.mkdir()
    _write_geojson(_user_sites(), folder / "sites.geojson")
    outline = gpd.GeoDataFrame(geometry=[box(120, 30, 120.5, 30.5)], crs="EPSG:4326")
    _write_geojson(outline, folder / "outline.geojson")
    region = load_region(folder)
    assert region.name == "myregion" and region.road.detour_factor == pytest.approx(1.3)
    gpkg = load_region(_write_gpkg(_user_sites().to_crs("EPSG:32651"), tmp_path / "p.gpkg"))
    assert gpkg.sites.crs.to_epsg() == 4326


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    gdf.to_file(path, layer="sites", driver="GPKG")
    return path


def _duplicate(g):
    g.loc[1, "site_id"] = "bc_x"
    return g


def _unknown_kind(g):
    g.loc[2, "kind"] = "castle"
    return g


def _missing_column(g):
    return g.drop(columns="kind")


def _bad_reference(g):
    g.loc[2, "station_id"] = "lab_x"
    return g


BROKEN = {
    "duplicate id": (_duplicate, "site_id"),
    "unknown kind": (_unknown_kind, "kind"),
    "missing column": (_missing_column, "kind"),
    "bad reference": (_bad_reference, "station_id"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_user_file_raises(tmp_path, case):
    breaker, field = BROKEN[case]
    path = _write_geojson(breaker(_user_sites()), tmp_path / "broken.geojson")
    with pytest.raises(GeodataError, match=f"broken.geojson.*'{field}'"):
        load_region(path)


def test_point_outside_outline_raises(tmp_path):
    folder = tmp_path / "outside"
    folder.mkdir()
    _write_geojson(_user_sites(), folder / "sites.geojson")
    small = gpd.GeoDataFrame(geometry=[box(120.19, 30.19, 120.26, 30.26)], crs="EPSG:4326")
    _write_geojson(small, folder / "outline.geojson")
    with pytest.raises(GeodataError, match=r"sites.geojson.*'geometry'.*h_1"):
        load_region(folder)


def test_missing_crs_raises(tmp_path):
    with pytest.warns(UserWarning, match="crs"):
        path = _write_gpkg(
            _user_sites().set_crs(None, allow_override=True), tmp_path / "nocrs.gpkg"
        )
    with pytest.raises(GeodataError, match="nocrs.gpkg.*'crs'"):
        load_region(path)


def test_bad_rail_minutes_raise(tmp_path):
    folder = tmp_path / "rail"
    folder.mkdir()
    sites = _user_sites()
    sites.loc[0:1, "kind"] = "rail_station"
    sites.loc[0, "lab_id"] = None
    sites.loc[2:3, "station_id"] = None
    _write_geojson(sites, folder / "sites.geojson")
    rail = gpd.GeoDataFrame(
        {"line_id": ["a"], "from_site": ["bc_x"], "to_site": ["lab_x"], "minutes": [0.0]},
        geometry=[LineString([(120.2, 30.2), (120.21, 30.21)])],
        crs="EPSG:4326",
    )
    _write_geojson(rail, folder / "rail_lines.geojson")
    with pytest.raises(GeodataError, match="rail_lines.geojson.*'minutes'"):
        load_region(folder)


def test_site_kinds_constant():
    assert SITE_KINDS == (
        "blood_center",
        "blood_station",
        "county_blood_bank",
        "lab",
        "donation_house",
        "hospital",
        "rail_station",
        "drone_port",
    )


def test_county_blood_banks(zj):
    # 38 establishments = 1 centre + 10 city stations + 27 county banks (facts 4.1)
    banks = zj.sites_of("county_blood_bank")
    assert len(banks) == 27 and banks["county"].is_unique
    assert banks["site_id"].str.startswith("cbb_").all() and banks["synthetic"].all()
    hosts = zj.sites.set_index("site_id").loc[banks["host_site_id"]]
    assert (hosts["tier"] == "county").all()
    assert (hosts["county"].to_numpy() == banks["county"].to_numpy()).all()
    assert (hosts["station_id"].to_numpy() == banks["station_id"].to_numpy()).all()
    assert (hosts.geometry.to_numpy() == banks.geometry.to_numpy()).all()  # in the hospital
