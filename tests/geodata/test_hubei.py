"""Tests of the embedded Hubei region (geodata/regions/hubei, built from geodata/build/hubei.py)."""

import json
from importlib import resources

import networkx as nx
import pytest

from geodata import Region, load_region
from geodata.readers import embedded_names


@pytest.fixture(scope="module")
def hb() -> Region:
    return load_region("hubei")


def test_hubei_is_embedded():
    assert {"hubei", "zhejiang"} <= set(embedded_names())


def test_site_counts(hb):
    counts = hb.sites["kind"].value_counts()
    assert counts["blood_center"] == 1
    # 16 blood establishments (seeds.md): Wuhan Blood Center + 15 central blood stations
    assert counts["blood_station"] == 15
    assert counts["blood_center"] + counts["blood_station"] == 16
    assert counts["lab"] == 3
    assert 40 <= counts["donation_house"] <= 60
    assert counts["hospital"] >= 157
    assert counts["rail_station"] == 17
    assert counts["drone_port"] >= 16
    assert set(hb.sites_of("hospital")["tier"]) == {"tertiary", "secondary", "county"}


def test_wuhan_has_ten_donation_houses(hb):
    houses = hb.sites_of("donation_house")
    assert (houses["city"] == "Wuhan").sum() == 10
    assert (houses.loc[houses["city"] == "Wuhan", "station_id"] == "bc_wuhan").all()


def test_all_points_inside_outline(hb):
    assert hb.sites.crs.to_epsg() == 4326
    assert hb.sites["site_id"].is_unique
    assert hb.sites.geometry.apply(hb.outline.covers).all()
    assert not hb.sites["island"].any()


def test_every_hospital_and_house_has_a_station(hb):
    stations = set(hb.sites_of("blood_center", "blood_station")["site_id"])
    served = hb.sites_of("hospital", "donation_house")
    assert served["station_id"].isin(stations).all()
    hospitals = hb.sites_of("hospital")
    assert (hospitals.query("city == 'Wuhan'")["station_id"] == "bc_wuhan").all()
    # Shennongjia has no station of its own: Shiyan's supplies it (SOURCES.md)
    assert "bs_shennongjia" not in stations
    shennongjia = hospitals.query("city == 'Shennongjia'")
    assert len(shennongjia) >= 1 and (shennongjia["station_id"] == "bs_shiyan").all()


def test_enshi_mountain_county_hospitals(hb):
    enshi = hb.sites_of("hospital").query("city == 'Enshi' and tier == 'county'")
    assert enshi["county"].nunique() == 8  # every county and county-level city of Enshi


def test_every_station_has_a_lab(hb):
    labs = hb.sites_of("lab")
    assert labs["synthetic"].all()  # assumed lab sites (no published Hubei fact)
    assert hb.sites_of("blood_center", "blood_station")["lab_id"].isin(set(labs["site_id"])).all()


def test_rail_network_positive_and_connected(hb):
    assert (hb.rail_lines["minutes"] > 0).all()
    graph = nx.Graph()
    graph.add_nodes_from(hb.sites_of("rail_station")["site_id"])
    graph.add_edges_from(zip(hb.rail_lines["from_site"], hb.rail_lines["to_site"], strict=True))
    assert nx.is_connected(graph)
    assert "Shennongjia" not in set(hb.sites_of("rail_station")["city"])  # road only
    for u, v, minutes in zip(
        hb.rail_lines["from_site"], hb.rail_lines["to_site"], hb.rail_lines["minutes"], strict=True
    ):
        graph.edges[u, v]["minutes"] = minutes
    # Wuhan-Shiyan 1 h 57 min (facts.md 6.3, [V]) via Xiangyang East
    assert nx.shortest_path_length(
        graph, "rail_hankou", "rail_shiyan_east", weight="minutes"
    ) == pytest.approx(117)


def test_no_drone_port_in_no_fly_zone(hb):
    zones = hb.no_fly.union_all()
    ports = hb.sites_of("drone_port")
    assert not ports.geometry.apply(zones.covers).any()
    assert ports["host_site_id"].isin(hb.sites["site_id"]).all()
    assert "dp_bc_wuhan" in set(ports["site_id"])
    assert "nf_wuh" in set(hb.no_fly["zone_id"])


def test_road_model_and_notes(hb):
    assert hb.road.detour_factor == pytest.approx(1.3)
    road = json.loads(
        resources.files("geodata").joinpath("regions", "hubei", "road.json").read_text("utf-8")
    )
    assert "Enshi" in road["_limitations"]
