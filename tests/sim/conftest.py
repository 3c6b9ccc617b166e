"""A tiny fixture world: one station, one lab, one donation house, two hospitals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import yaml
from shapely.geometry import Point

TINY_SITES = [
    # site_id, kind, name, city, lon, lat, tier, beds, station_id, lab_id
    ("bs_a", "blood_station", "Station A", "A", 120.20, 30.25, None, None, None, "lab_a"),
    ("lab_a", "lab", "Lab A", "A", 120.25, 30.27, None, None, None, None),
    ("dh_a", "donation_house", "House A", "A", 120.16, 30.28, None, 6, "bs_a", None),
    ("h_a", "hospital", "Hospital A", "A", 120.18, 30.22, "tertiary", 1200, "bs_a", None),
    ("h_b", "hospital", "Hospital B", "A", 120.40, 30.10, "county", 300, "bs_a", None),
]
COLUMNS = ("site_id", "kind", "name", "city", "lon", "lat", "tier", "beds", "station_id", "lab_id")


def write_tiny_region(folder: Path) -> Path:
    """Write the tiny region's ``sites.geojson`` into ``folder`` and return the folder."""
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in TINY_SITES]
    frame = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in rows],
        geometry=[Point(r["lon"], r["lat"]) for r in rows],
        crs="EPSG:4326",
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_file(folder / "sites.geojson", driver="GeoJSON")
    return folder


TINY_SCENARIO = """\
name: tiny world
region: tiny_region
start: 2025-03-03
days: {days}
seed: {seed}
supply:
  donors_per_house_per_day: 40
  apheresis: {{doses_per_day: 6}}
demand:
  per_100_beds:
    tertiary: {{RBC: 2.0, PLT: 0.3, FFP: 1.2, CRYO: 0.2}}
    secondary: {{RBC: 1.3, PLT: 0.1, FFP: 1.0, CRYO: 0.15}}
    county: {{RBC: 1.0, PLT: 0.1, FFP: 0.8, CRYO: 0.1}}
"""


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny region (``tiny_region/``)."""
    root = tmp_path_factory.mktemp("tiny")
    write_tiny_region(root / "tiny_region")
    return root


@pytest.fixture
def tiny_scenario(tiny_dir: Path):
    """Factory: write a tiny scenario file and return its path."""

    def make(days: int = 3, seed: int = 7, extra: str = "") -> Path:
        path = tiny_dir / f"tiny_{days}_{seed}_{abs(hash(extra))}.yaml"
        path.write_text(TINY_SCENARIO.format(days=days, seed=seed) + extra, encoding="utf-8")
        return path

    return make


def merged_yaml(base: str, extra: str) -> str:
    """``base`` with the mappings of ``extra`` merged in, key by key (lists are replaced)."""

    def merge(a: dict, b: dict) -> dict:
        out = dict(a)
        for key, value in b.items():
            both = isinstance(value, dict) and isinstance(a.get(key), dict)
            out[key] = merge(a[key], value) if both else value
        return out

    return yaml.safe_dump(merge(yaml.safe_load(base), yaml.safe_load(extra) or {}))


@pytest.fixture
def tiny_world(tiny_dir: Path):
    """Factory: the World of a tiny scenario, ``extra`` YAML merged in (vans and drones
    included, no process started)."""
    from sim.build import make_world
    from sim.scenario import load_scenario

    def make(days: int = 3, seed: int = 7, extra: str = ""):
        text = merged_yaml(TINY_SCENARIO.format(days=days, seed=seed), extra)
        path = tiny_dir / f"world_{abs(hash(text))}.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load_scenario(path)
        return make_world(loaded.scenario, loaded.region, loaded.scenario.seed)

    return make


def run_folder_bytes(path: Path, folder: Path) -> dict[str, bytes]:
    """Run scenario ``path`` into ``folder``; its files (bytes), ``kpis.json`` without the
    count of SimPy events (which a change of scheduling, not of results, may change)."""
    from sim.execution.output import write_run  # the simulation, only for tests that run it
    from sim.execution.runner import run

    write_run(folder, run(path))
    files = {f.name: f.read_bytes() for f in sorted(folder.iterdir())}
    kpis = json.loads(files["kpis.json"])
    assert kpis["simulation"].pop("simpy_events") > 0
    files["kpis.json"] = json.dumps(kpis, sort_keys=True).encode()
    return files


def assert_same_run_either_way(
    path: Path, folders: pytest.TempPathFactory, switch: Callable[[pytest.MonkeyPatch, bool], None]
) -> None:
    """Run scenario ``path`` twice, with ``switch(patch, True)`` (compiled code on) and
    ``switch(patch, False)`` applied; the two run folders must hold the same bytes
    (:func:`run_folder_bytes`)."""
    outputs = {}
    for compiled in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            switch(patch, compiled)
            outputs[compiled] = run_folder_bytes(path, folders.mktemp(f"compiled-{compiled}"))
    compiled, pure = outputs[True], outputs[False]
    assert compiled.keys() == pure.keys()
    for name, data in compiled.items():
        assert data == pure[name], name
