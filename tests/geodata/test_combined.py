"""Regions run together: the embedded Yangtze River Delta and combined folders, with clear
errors for a bad ``combined.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodata import GeodataError, load_region
from geodata.combined import CombinedRegion, combined_spec
from tests.sim.regions.two_regions import write_two_regions


def test_yangtze_delta_holds_both_regions_with_their_ids() -> None:
    delta = load_region("yangtze_delta")
    shanghai, zhejiang = load_region("shanghai"), load_region("zhejiang")
    assert isinstance(delta, CombinedRegion)
    assert delta.members == ("shanghai", "zhejiang")
    assert delta.member_roads == (shanghai.road, zhejiang.road)
    counts = delta.sites["region"].value_counts().to_dict()
    assert counts == {"shanghai": len(shanghai.sites), "zhejiang": len(zhejiang.sites)}
    assert set(delta.sites.site_id) == set(shanghai.sites.site_id) | set(zhejiang.sites.site_id)
    border = delta.rail_lines.set_index("line_id").minutes
    assert border["rail_hongqiao__rail_huzhou"] == 55.0  # facts 6.2
    assert border["rail_hongqiao__rail_hangzhou_east"] == 45.0  # facts 6.2: 30-45 min
    assert len(delta.rail_lines) == len(shanghai.rail_lines) + len(zhejiang.rail_lines) + 3


def test_a_plain_region_is_not_combined() -> None:
    assert combined_spec("zhejiang") is None
    assert combined_spec("no/such") is None


def _folder(tmp_path: Path, **changes: object) -> Path:
    folder = write_two_regions(tmp_path)
    spec = json.loads((folder / "combined.json").read_text())
    spec.update(changes)
    (folder / "combined.json").write_text(json.dumps(spec))
    return folder


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members": ["east"]}, "members"),
        ({"colour": "red"}, "colour"),
        (
            {
                "border_rail": [
                    {"line_id": "x", "from_site": "rail_e", "to_site": "h_w", "minutes": 5.0}
                ]
            },
            "to_site",
        ),
        (
            {
                "border_rail": [
                    {"line_id": "x", "from_site": "rail_e", "to_site": "rail_w", "minutes": -1}
                ]
            },
            "border_rail.0.minutes",
        ),
    ],
)
def test_bad_combined_file_is_one_clear_error(tmp_path: Path, changes: dict, field: str) -> None:
    with pytest.raises(GeodataError) as info:
        load_region(str(_folder(tmp_path, **changes)))
    message = str(info.value)
    assert "combined.json" in message and f"field '{field}'" in message


def test_a_site_id_in_two_members_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, members=["east", "east"])
    with pytest.raises(GeodataError, match="site ids unique across members"):
        load_region(str(folder))


def test_an_unknown_region_names_the_regions_run_together() -> None:
    from geodata.combined import combined_names

    assert combined_names() == ["yangtze_delta"]
    with pytest.raises(GeodataError, match=r"regions run together \(yangtze_delta\)"):
        load_region("atlantis")
