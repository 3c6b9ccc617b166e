"""HLA-matched platelet requests arriving at random (rare_blood.hla_requests_per_week)."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.execution.runner import run
from sim.processes.hla_arrivals import WINDOW
from tests.sim.conftest import TINY_SCENARIO

PER_WEEK = 70.0  # 10 a day, so that six days hold enough requests to test


def _run(tiny_dir, per_week: float, seed: int = 3, days: int = 6):
    path = tiny_dir / f"hla_{per_week}_{seed}_{days}.yaml"
    extra = f"rare_blood: {{hla_requests_per_week: {per_week}}}\n"
    path.write_text(TINY_SCENARIO.format(days=days, seed=seed) + extra, encoding="utf-8")
    return run(path)


def _hla_orders(result) -> pd.DataFrame:
    orders = result.orders
    return orders[orders.group.astype(str).str.endswith("HLA")]


@pytest.fixture(scope="module")
def busy(tiny_dir):
    return _run(tiny_dir, PER_WEEK)


def test_requests_arrive_at_the_rate_at_tertiary_hospitals_only(busy):
    orders = _hla_orders(busy)
    expected = PER_WEEK / 7 * 6
    assert abs(len(orders) - expected) < 4 * expected**0.5  # Poisson, 4 sigma
    assert set(orders.hospital_id) == {"h_a"}  # h_b is a county hospital
    assert set(orders["product"].astype(str)) == {"PLT"} and (orders.quantity_u == 1).all()
    window_min = WINDOW.total_seconds() / 60
    assert (orders.required_by - orders.placed_at).to_numpy() == pytest.approx(window_min)


def test_the_same_day_share_is_measured_over_them(busy):
    hla = busy.kpis["hla"]
    warm = busy.kpis["provenance"]["warmup_days"] * 1440
    after = _hla_orders(busy)
    after = after[after.placed_at >= warm]
    assert hla["requests"] == len(after) > 0
    arrived = after[after.arrived_at.notna()]
    same_day = (arrived.arrived_at < (arrived.placed_at // 1440 + 1) * 1440).sum()
    assert hla["same_day_share"] == pytest.approx(same_day / len(after), abs=1e-4)


def test_the_same_seed_gives_the_same_requests(busy, tiny_dir):
    again = _run(tiny_dir, PER_WEEK)
    pd.testing.assert_frame_equal(_hla_orders(again), _hla_orders(busy))
    other = _run(tiny_dir, PER_WEEK, seed=4)
    assert not _hla_orders(other).placed_at.equals(_hla_orders(busy).placed_at)


def test_rate_zero_starts_nothing(tiny_dir):
    assert _hla_orders(_run(tiny_dir, 0.0, days=3)).empty
