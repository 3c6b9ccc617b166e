"""Dispatch policies on the embedded Zhejiang region: drones fly only where they may."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from geodata import load_region
from sim import run
from sim.build import make_world
from sim.core.domain import UnitState
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
GROUNDED = """
events:
  - {type: drone_grounding, start: 2025-01-01T00:00, end: 2025-01-03T00:00, wind_ms: 25}
"""


def _scenario(tmp_path: Path, policy: str, extra: str = "") -> Path:
    path = tmp_path / f"{policy}.yaml"
    path.write_text(
        f"name: {policy}\nregion: zhejiang\ndays: 2\nseed: 3\n"
        f"policies: {{dispatch: {policy}}}\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def drone_run(tmp_path_factory):
    return run(_scenario(tmp_path_factory.mktemp("d"), "drone_first"))


def test_drone_first_flies_and_conserves(drone_run):
    k = drone_run.kpis
    assert k["drone_sorties"] > 0 and k["units_by_drone"] > 0
    assert k["legs_by_mode"]["drone"]["loaded_legs"] == k["drone_sorties"]


def test_drone_legs_respect_range_payload_and_no_fly(drone_run):
    region = load_region("zhejiang")
    spec = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml").scenario.fleet.drones
    sites = region.sites.set_index("site_id").geometry
    zones = list(region.no_fly.geometry)
    legs = drone_run.legs[drone_run.legs["mode"] == "drone"]
    assert (legs.km <= spec.range_km + 1e-9).all()
    for leg in legs[legs.bags > 0].itertuples():
        line = LineString([sites[leg.from_site], sites[leg.to_site]])
        assert not any(line.intersects(zone) for zone in zones), leg


@given(products=st.lists(st.sampled_from([0, 1, 2, 3]), min_size=1, max_size=80))
@settings(max_examples=50, deadline=None)
def test_sorties_never_exceed_the_payload(fleet, products):
    world = fleet.world
    ids = world.add_units(
        product=np.array(products),
        abo=0,
        rhd=1,
        size_u=1.0,
        donation_id=0,
        collected_at=0.0,
        expires_at=1e6,
        site=0,
        state=UnitState.AVAILABLE,
    )
    loads = fleet.sorties(ids)
    assert np.concatenate(loads).tolist() == ids.tolist()
    for load in loads:
        kg = fleet.bag_kg[world.ledger.product[load]].sum()
        assert kg <= fleet.spec.payload_kg + 1e-9 or len(load) == 1


@pytest.fixture(scope="module")
def fleet():
    loaded = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml")
    return make_world(loaded.scenario, loaded.region, 1).drones


def test_grounded_drones_never_fly(tmp_path):
    grounded = run(_scenario(tmp_path, "drone_first", GROUNDED))
    assert grounded.kpis["drone_sorties"] == 0
    assert "drone" not in set(grounded.legs["mode"])


def test_multimodal_runs_and_records_modes(tmp_path):
    result = run(_scenario(tmp_path, "multimodal"))
    modes = set(result.orders["mode"].dropna()) - {""}
    assert modes <= {
        "van",
        "drone",
        "van+rail+van",
        "van+rail+drone",
        "drone+rail+van",
        "drone+rail+drone",
    }
    assert result.kpis["units_collected"]["total"] > 0
