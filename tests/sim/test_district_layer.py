"""The districts layer is read and checked with the region (a broken file fails before the
simulation), and regions run together keep each member's districts apart."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from geodata import load_region
from sim.execution.qc import hospital_districts, region_districts
from sim.scenario import ScenarioError, load_scenario
from tests.sim.conftest import TINY_SCENARIO
from tests.sim.qc_world import write_district_region


def _scenario(root: Path) -> Path:
    write_district_region(root / "tiny_region")
    scenario = root / "tiny_qc.yaml"
    scenario.write_text(TINY_SCENARIO.format(days=2, seed=3), encoding="utf-8")
    return scenario


def test_the_region_carries_its_districts(tmp_path: Path) -> None:
    loaded = load_scenario(_scenario(tmp_path))
    assert list(loaded.region.districts["name_cn"]) == ["甲区", "乙区"]
    assert region_districts(loaded) == {"甲区": "Jia", "乙区": "<b>Yi & Co</b>"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda f: f.pop("name_cn"), "name_cn"),
        (lambda f: f.update(district_id="jia"), "district_id"),
    ],
)
def test_a_broken_districts_file_fails_at_load(tmp_path: Path, change, field: str) -> None:
    scenario = _scenario(tmp_path)
    path = tmp_path / "tiny_region" / "districts.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        change(feature["properties"])
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    message = str(caught.value)
    assert "districts.geojson" in message and field in message


def test_yangtze_delta_has_shanghais_districts_labelled() -> None:
    districts = load_region("yangtze_delta").districts
    assert len(districts) == 16 and set(districts["region"]) == {"shanghai"}


def test_a_county_name_in_two_members_maps_only_in_its_own_region() -> None:
    """普陀区 is a Shanghai district and a Zhoushan district: only Shanghai's is a QC district."""
    loaded = SimpleNamespace(region=load_region("yangtze_delta"))
    mapping = region_districts(loaded)
    hospitals = pd.DataFrame(
        {"region": ["shanghai", "zhejiang"], "county": ["普陀区", "普陀区"],
         "city": ["Shanghai", "Zhoushan"]},
        index=[7, 9],
    )  # fmt: skip
    assert list(hospital_districts(hospitals, mapping)) == ["Putuo", "Zhoushan"]
