"""The region of each site, the escalation order across regions, member road times, the
border balance and the mutual-aid switch, on small inputs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import RoadModel, load_region
from optimizer.network import RoadTimes, TravelOracle
from sim.core.domain import Level
from sim.execution.border import border_table
from sim.processes.mutual_aid import mutual_aid_sources
from sim.scenario import Scenario
from sim.scenario.region_checks import region_factor_problems
from sim.state.ledger import ConservationError
from sim.state.regions import RegionLabels, own_region_first, scale_by_region, with_member_roads
from tests.sim.regions.two_regions import BORDER_ROAD, write_two_regions


def _labels(codes: list[int]) -> RegionLabels:
    names = [f"r{c}" for c in codes]
    return RegionLabels.from_sites(pd.DataFrame({"region": names}))


def test_a_one_region_run_has_one_label() -> None:
    labels = RegionLabels.from_sites(pd.DataFrame({"site_id": ["a", "b", "c"]}))
    assert not labels.several
    assert labels.own(0, [2, 1, 0]) == [2, 1, 0]
    assert labels.level(0, 2) == Level.REGION


@settings(max_examples=60, deadline=None)
@given(
    codes=st.lists(st.integers(0, 2), min_size=1, max_size=12),
    data=st.data(),
)
def test_own_region_first_then_neighbours(codes: list[int], data: st.DataObject) -> None:
    labels = _labels(codes)
    n = len(codes)
    hospital = data.draw(st.integers(0, n - 1))
    sources = data.draw(st.lists(st.integers(0, n - 1), unique=True))
    neighbours = data.draw(st.lists(st.integers(0, n - 1), unique=True))
    order = own_region_first(labels, hospital, sources, neighbours)
    own = [s for s in sources if codes[s] == codes[hospital]]
    assert order[: len(own)] == own
    rest = order[len(own) :]
    if labels.several:
        assert rest == [s for s in neighbours if codes[s] != codes[hospital]]
        assert all(labels.level(hospital, s) == Level.OTHER_PROVINCE for s in rest)
    else:  # one region: the order is the sources unchanged
        assert order == sources and rest == []


def test_member_roads_inside_border_model_across(tmp_path) -> None:
    region = load_region(str(write_two_regions(tmp_path)))
    oracle = with_member_roads(TravelOracle.from_region(region), region)
    sites = region.sites
    lat, lon = sites.geometry.y.to_numpy(), sites.geometry.x.to_numpy()
    east = np.flatnonzero((sites.region == "east").to_numpy())
    west = np.flatnonzero((sites.region == "west").to_numpy())
    own = RoadTimes.build(lat[east], lon[east], RoadModel(), np.zeros(len(east), bool))
    border = RoadTimes.build(lat, lon, RoadModel(**BORDER_ROAD), np.zeros(len(sites), bool))
    assert np.array_equal(oracle.road.rest_min[np.ix_(east, east)], own.rest_min)
    assert np.array_equal(oracle.road.urban_min[np.ix_(east, east)], own.urban_min)
    assert np.array_equal(
        oracle.road.rest_min[np.ix_(east, west)], border.rest_min[np.ix_(east, west)]
    )
    assert oracle.road.km[east[0], west[0]] == border.km[east[0], west[0]]
    assert oracle.matrices.rail_arrival_min.shape == (2, 2)  # the border line joins the two


def test_a_plain_region_keeps_its_oracle(tmp_path) -> None:
    region = load_region(str(write_two_regions(tmp_path) / "east"))
    oracle = TravelOracle.from_region(region)
    assert with_member_roads(oracle, region) is oracle


def _tables(moved_u: float, carried_u: float) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    ledger = pd.DataFrame(
        {
            "collection_site": ["a1", "a1", "b1"],
            "site_id": ["b1", "a1", "b1"],
            "size_u": [moved_u, 2.0, 1.0],
            "donation_id": [0, 1, -1],
            "state": ["transfused", "available", "expired"],
        }
    )
    legs = pd.DataFrame(
        {"from_site": ["a1", "a1"], "to_site": ["b1", "a1"], "units": [carried_u, 5.0]}
    )
    return ledger, legs, pd.Series({"a1": "A", "b1": "B"})


def test_border_table_counts_crossings_and_balances() -> None:
    table = border_table(*_tables(3.0, 3.0)).set_index("region")
    assert table.loc["A", "to_B_u"] == 3.0 and table.loc["B", "to_A_u"] == 0.0
    assert table.loc["B", "received_u"] == 3.0 and table.loc["A", "sent_u"] == 3.0
    assert table.loc["B", "transfused_u"] == 3.0 and table.loc["B", "expired_u"] == 1.0
    assert table.loc["B", "imported_u"] == 1.0 and table.loc["A", "in_stock_u"] == 2.0


def test_a_unit_across_without_a_leg_fails_loudly() -> None:
    with pytest.raises(ConservationError, match="across region borders"):
        border_table(*_tables(3.0, 2.0))


def test_one_region_has_no_border_table() -> None:
    ledger, legs, _ = _tables(3.0, 3.0)
    assert border_table(ledger, legs, pd.Series({"a1": "A", "b1": "A"})) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_mutual_aid_switch(enabled: bool) -> None:
    kinds = np.array(["blood_center", "hospital", "blood_station", "county_blood_bank"])
    world = SimpleNamespace(
        scenario=SimpleNamespace(escalation=SimpleNamespace(mutual_aid=enabled)),
        sites=SimpleNamespace(kinds=kinds),
    )
    assert mutual_aid_sources(world, [3, 2, 1, 0]) == ([2, 0] if enabled else [])


def test_region_factor_scales_each_regions_hospitals() -> None:
    labels = _labels([0, 1, 1])
    means = {0: np.array([2.0, 1.0]), 2: np.array([4.0, 0.5])}
    scaled = scale_by_region(means, labels, {"r1": 0.5})
    assert scaled[0].tolist() == [2.0, 1.0] and scaled[2].tolist() == [2.0, 0.25]
    assert not scaled[2].flags.writeable
    assert scale_by_region(means, labels, {}) is means


def test_region_factor_names_member_regions(tmp_path) -> None:
    region = load_region(str(write_two_regions(tmp_path)))
    scenario = Scenario(name="x", demand={"region_factor": {"east": 0.5, "mars": 2.0}})
    problems = list(region_factor_problems(scenario, region))
    assert [(p.path, p.wrong) for p in problems] == [
        ("demand.region_factor", "'mars' is not a member region")
    ]
    assert "east, west" in problems[0].expected
    plain = load_region(str(tmp_path / "two" / "east"))
    assert "not a combined one" in next(region_factor_problems(scenario, plain)).expected
