"""The tiny fixture world with two districts (a districts layer), for quality indicators."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

from sim import run
from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

#: Hospital -> district (Chinese name, the sites' county); the second name is hostile text.
COUNTIES = {"h_a": "甲区", "h_b": "乙区"}
DISTRICTS = [
    ("jia", "Jia", "甲区", box(120.0, 30.0, 120.3, 30.4)),
    ("yi", "<b>Yi & Co</b>", "乙区", box(120.3, 30.0, 120.6, 30.4)),
]


def write_district_region(folder: Path) -> Path:
    """The tiny region with a ``county`` per site and ``districts.geojson``."""
    write_tiny_region(folder)
    sites = gpd.read_file(folder / "sites.geojson")
    sites["county"] = sites["site_id"].map(COUNTIES).fillna("甲区")
    sites.to_file(folder / "sites.geojson", driver="GeoJSON")
    rows = [dict(zip(("district_id", "name", "name_cn"), d[:3], strict=True)) for d in DISTRICTS]
    districts = gpd.GeoDataFrame(rows, geometry=[d[3] for d in DISTRICTS], crs="EPSG:4326")
    districts["population_m"] = 1.0
    districts.to_file(folder / "districts.geojson", driver="GeoJSON")
    return folder


def district_run(root: Path, days: int = 6, extra: str = "") -> Path:
    """Run the tiny district world for ``days`` days into ``root/run``; returns the folder."""
    write_district_region(root / "tiny_region")
    scenario = root / "tiny_qc.yaml"
    text = TINY_SCENARIO.format(days=days, seed=3) + "warmup_days: 1\n" + extra
    scenario.write_text(text, encoding="utf-8")
    run(scenario, out=root / "run")
    return root / "run"
