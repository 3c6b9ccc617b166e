"""The report's "Regions and mutual aid" section and the map's region label, for regions run
together."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from sim.maps.frames import site_frame
from sim.reports.region_section import region_section

EVIL = "<script>alert(1)</script>"


def _border(folder: Path, second: str = "zhejiang") -> Path:
    table = pd.DataFrame(
        {
            "region": ["shanghai", second],
            "created_u": [100.0, 200.0],
            "imported_u": [3.0, 0.0],
            "received_u": [23.0, 1.0],
            "sent_u": [1.0, 23.0],
            "transfused_u": [80.0, 150.0],
            "expired_u": [1.0, 2.0],
            "discarded_u": [2.0, 3.0],
            "in_stock_u": [39.0, 23.0],
            "in_transit_u": [0.0, 0.0],
            "to_shanghai_u": [0.0, 23.0],
            f"to_{second}_u": [1.0, 0.0],
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    table.to_parquet(folder / "border.parquet", index=False)
    return folder


def test_no_border_table_no_section(tmp_path: Path) -> None:
    assert region_section(tmp_path) is None


def test_section_shows_balance_and_flows(tmp_path: Path) -> None:
    text = region_section(_border(tmp_path))
    assert "Regions and mutual aid" in text
    assert "<td>from zhejiang</td><td class=num>23.0</td><td class=num>0.0</td>" in text
    assert "<td>shanghai</td><td class=num>100.0</td><td class=num>3.0</td>" in text


def test_region_names_are_escaped(tmp_path: Path) -> None:
    text = region_section(_border(tmp_path, EVIL))
    assert EVIL not in text and "&lt;script&gt;" in text


def test_a_broken_table_says_so(tmp_path: Path) -> None:
    (tmp_path / "border.parquet").write_bytes(b"not parquet")
    assert "Not available" in region_section(tmp_path)


def test_map_sites_name_their_region() -> None:
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["bc_shanghai", "bc_hangzhou"],
            "kind": ["blood_center", "blood_center"],
            "name": ["Shanghai Blood Center", "Zhejiang Blood Center"],
            "city": ["Shanghai", "Hangzhou"],
            "region": ["shanghai", "zhejiang"],
        },
        geometry=[Point(121.4, 31.2), Point(120.2, 30.3)],
        crs=4326,
    )
    stock = pd.DataFrame(
        {"day": [0, 0], "site_id": ["bc_shanghai", "bc_hangzhou"], "product": "RBC", "units": 5.0}
    )
    run = SimpleNamespace(
        region=SimpleNamespace(sites=sites),
        stock=stock,
        stockouts=pd.DataFrame({"hospital_id": []}),
    )
    assert list(site_frame(run)["city"]) == ["Shanghai (shanghai)", "Hangzhou (zhejiang)"]
