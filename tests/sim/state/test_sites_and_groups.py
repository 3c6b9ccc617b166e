"""Site index (positions and links between sites) and blood-group shares."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from sim.scenario.groups import AboShares, BloodGroups
from sim.state.groups import GroupShares
from sim.state.sites import SiteIndex
from tests.sim.conftest import COLUMNS, TINY_SITES


@pytest.fixture
def sites() -> SiteIndex:
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in TINY_SITES]
    frame = gpd.GeoDataFrame(
        rows, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326"
    )
    return SiteIndex.from_sites(frame)


def test_links_are_positions_and_minus_one_where_none(sites: SiteIndex) -> None:
    station, lab = sites.position("bs_a"), sites.position("lab_a")
    assert sites.station_of[sites.position("h_b")] == station
    assert sites.station_of[sites.position("dh_a")] == station
    assert sites.lab_of[station] == lab
    assert sites.station_of[lab] == -1
    assert sites.stations.tolist() == [station]
    assert sites.of_kind("hospital").tolist() == [3, 4]


def test_beds_tiers_and_coordinates_come_from_the_table(sites: SiteIndex) -> None:
    h_a = sites.position("h_a")
    assert sites.beds[h_a] == 1200 and sites.tiers[h_a] == "tertiary"
    assert sites.beds[sites.position("lab_a")] == 0 and sites.tiers[0] == ""
    assert (sites.lon[h_a], sites.lat[h_a]) == (120.18, 30.22)
    assert not sites.island.any()


def test_an_unknown_site_id_is_a_key_error(sites: SiteIndex) -> None:
    with pytest.raises(KeyError, match="h_z"):
        sites.position("h_z")


def test_group_shares_multiply_abo_by_rhd_and_sum_to_one() -> None:
    groups = BloodGroups(abo=AboShares(O=0.4, A=0.3, B=0.2, AB=0.1), rhd_negative=0.01)
    shares = GroupShares.from_scenario(groups)
    grid = shares.grid()  # [abo, rhd]
    assert shares.shares.sum() == pytest.approx(1.0)
    assert grid[0, 1] == pytest.approx(0.4 * 0.99)  # O+
    assert grid[3, 0] == pytest.approx(0.1 * 0.01)  # AB-
    assert np.allclose(grid.sum(axis=1), [0.4, 0.3, 0.2, 0.1])
