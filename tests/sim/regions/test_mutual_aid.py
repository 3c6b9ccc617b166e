"""Two regions run together: level 4 is the neighbouring region, with exact times; units
are conserved per region and across the border; the run repeats for a seed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from optimizer.network.geometry import haversine_km
from sim import run
from sim.build import make_world
from sim.core.domain import MINUTES_PER_DAY, Level
from sim.processes.orders import escalation_order, receiving_site
from sim.scenario import load_scenario
from tests.sim.conftest import TINY_SCENARIO, merged_yaml
from tests.sim.regions.two_regions import BORDER_ROAD, EAST, WEST, write_two_regions

EXTRA = """\
region: two
inventory:
  hospital:
    target_days: {RBC: 0, PLT: 0, FFP: 0, CRYO: 0}
    safety_days: {RBC: 0, PLT: 0, FFP: 0, CRYO: 0}
escalation:
  external_enabled: false
  mutual_aid: MUTUAL_AID
policies:
  dispatch: ground_only
events:
  - {type: station_outage, site_id: bs_e, start: 2025-03-03T00:00, end: 2025-03-06T00:00}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("two_regions")
    write_two_regions(root)
    return root / "two"


def _scenario(folder: Path, seed: int = 5, mutual_aid: bool = True) -> Path:
    path = folder.parent / f"two_{seed}_{mutual_aid}.yaml"
    extra = EXTRA.replace("MUTUAL_AID", str(mutual_aid).lower())
    text = merged_yaml(TINY_SCENARIO.format(days=3, seed=seed), extra)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(folder: Path):
    return run(_scenario(folder))


def _road_min(a: tuple, b: tuple, depart: float) -> float:
    """Border road time from the combined region's road model, computed by hand."""
    straight = float(haversine_km(a[5], a[4], b[5], b[4]))
    urban = min(straight, 15.0) * 1.3 / BORDER_ROAD["urban_speed_kmh"] * 60.0
    rest = max(straight - 15.0, 0.0) * 1.3 / BORDER_ROAD["intercity_speed_kmh"] * 60.0
    hour = (depart % MINUTES_PER_DAY) / 60.0
    peak = 1.6 if (7 <= hour < 9 or 17 <= hour < 19) else 1.0
    return urban * peak + rest + BORDER_ROAD["handling_min"]


def test_level_four_is_the_neighbour_with_exact_times(result) -> None:
    orders = result.orders
    east = orders[(orders.hospital_id == "h_e") & (orders.priority != "routine")]
    filled = east[east.filled_u > 0]
    assert len(filled) > 0
    assert (filled.station_id == "bs_w").all()  # its own station is down all along
    assert (filled.level == 4).all()
    first = filled.sort_values("placed_at").iloc[0]
    shipped = first.placed_at + 10.0  # escalation.packing_min
    assert first.shipped_at == pytest.approx(shipped, abs=1e-9)
    expected = shipped + _road_min(WEST[0], EAST[3], shipped)
    assert first.arrived_at == pytest.approx(expected, abs=1e-6)
    legs = result.legs
    box = legs[(legs.depart_at == first.shipped_at) & (legs.units > 0) & (legs.to_site == "h_e")]
    assert list(zip(box.from_site, box.to_site, box["mode"], strict=True)) == [
        ("bs_w", "h_e", "van")
    ]
    assert box.arrive_at.iloc[0] == pytest.approx(expected, abs=1e-6)
    assert box.units.iloc[0] >= first.filled_u  # orders packed meanwhile share the box


def test_units_across_the_border_are_legs_and_ledger_moves(result) -> None:
    ledger = result.ledger
    west_sites = {row[0] for row in WEST}
    crossed = ledger[ledger.collection_site.isin(west_sites) & (ledger.site_id == "h_e")]
    assert crossed.state.isin(["transfused", "in_transit"]).all()  # transfused on arrival
    border = result.border.set_index("region")
    assert border.loc["west", "to_east_u"] == pytest.approx(crossed.size_u.sum())
    assert border.loc["west", "sent_u"] == border.loc["east", "received_u"] > 0
    assert border.loc["east", "to_west_u"] == 0
    ends = ["transfused_u", "expired_u", "discarded_u", "in_stock_u", "in_transit_u"]
    balance = border.created_u + border.received_u - border.sent_u
    assert np.allclose(balance, border[ends].sum(axis=1))
    created = ledger.groupby(ledger.collection_site.isin(west_sites)).size_u.sum()
    assert border.loc["west", "created_u"] == pytest.approx(created[True])


def test_same_seed_same_run_other_seed_differs(folder: Path, result) -> None:
    again = run(_scenario(folder))
    for name in ("orders", "legs", "ledger", "border"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(result, name))
    other = run(_scenario(folder, seed=6))
    assert not other.orders.equals(result.orders)


def test_without_mutual_aid_the_neighbour_gives_nothing(folder: Path) -> None:
    orders = run(_scenario(folder, mutual_aid=False)).orders
    east = orders[orders.hospital_id == "h_e"]
    assert len(east) > 0
    assert not (east.station_id == "bs_w").any()
    assert (east.filled_u == 0).all()


def test_hand_formula_matches_a_known_distance() -> None:
    # guard on the helper: 0 km gives the handling time only
    assert math.isclose(_road_min(WEST[0], WEST[0], 600.0), BORDER_ROAD["handling_min"])


def test_escalation_and_receiving_site_stay_in_the_region(folder: Path) -> None:
    loaded = load_scenario(_scenario(folder))
    world = make_world(loaded.scenario, loaded.region, 5)
    h_e, bs_e, bs_w = (world.sites.position(s) for s in ("h_e", "bs_e", "bs_w"))
    assert escalation_order(world, h_e) == [bs_e, bs_w]  # own station, then the neighbour
    assert world.regions.level(h_e, bs_w) == Level.OTHER_PROVINCE
    # Imports from other provinces arrive in the hospital's own region: its station is down,
    # so straight to the hospital, never at the neighbour's station.
    assert receiving_site(world, h_e) == h_e
    assert receiving_site(world, world.sites.position("h_w")) == bs_w
