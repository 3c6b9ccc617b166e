"""Optimizer-backed policies inside the simulation: plans validated, fallbacks counted."""

from __future__ import annotations

import pytest

from sim import run


@pytest.fixture(scope="module")
def optimized(tmp_path_factory):
    path = tmp_path_factory.mktemp("opt") / "opt.yaml"
    path.write_text(
        "name: optimized\nregion: zhejiang\ndays: 4\nseed: 5\n"
        "policies: {rebalancing: optimized, routing: vrp}\n"
        # no crossmatch holds: with them, this 4-day world plans no transfer
        # (hospitals are still filling their reservations from the stations)
        "inventory: {crossmatch: {ct_ratio: 1.0}}\n",
        encoding="utf-8",
    )
    return run(path)


def test_rebalancing_moves_units_between_stations(optimized):
    opt = optimized.kpis["optimizer"]
    assert opt["rebalancing_plans"] == 4
    transfers = optimized.legs[optimized.legs.purpose == "transfer"]
    assert opt["rebalancing_transfers"] == len(transfers) > 0
    assert transfers.from_site.str.match(r"^(bs|bc)_").all()
    assert transfers.to_site.str.match(r"^(bs|bc)_").all()
    assert opt["rebalancing_units"] == pytest.approx(transfers.units.sum())


def test_vrp_routes_visit_several_hospitals(optimized):
    opt = optimized.kpis["optimizer"]
    assert opt["routing_plans"] + opt["routing_fallbacks"] == 4 * 11
    assert opt["routing_plans"] > 0
    deliveries = optimized.legs[
        (optimized.legs.purpose == "delivery") & optimized.legs.from_site.str.startswith("h_")
    ]
    assert len(deliveries) > 0  # legs from one hospital to the next on a route


def test_routing_fallback_is_counted_when_no_plan_fits(tmp_path):
    path = tmp_path / "tight.yaml"
    path.write_text(
        "name: tight\nregion: zhejiang\ndays: 1\nseed: 5\n"
        "policies: {routing: vrp}\n"
        "fleet: {vans: {per_station: 1, capacity_u: 10}}\n",
        encoding="utf-8",
    )
    result = run(path)
    opt = result.kpis["optimizer"]
    assert opt["routing_fallbacks"] > 0
    assert result.kpis["units_transfused"]["total"] > 0
