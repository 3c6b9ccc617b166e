"""The validator catches each kind of bad plan, built by hand."""

from __future__ import annotations

import pytest

from optimizer.errors import InfeasiblePlan
from optimizer.rebalance import (
    KINDS,
    RebalancingBuilder,
    RebalancingPlan,
    RebalancingProblem,
    Transfer,
    check_plan,
    find_violations,
)

RBC, PLT = "RBC O+", "PLT A+"


@pytest.fixture
def problem() -> RebalancingProblem:
    """A (rich) → B within 60 min, A → C 300 min (over the 240-min limit); min 5 U."""
    b = RebalancingBuilder([2, 10, 30], min_transfer_u=5, max_ship_minutes=240)
    b.add_item(RBC, target_days=3, safety_days=1)
    b.add_item(PLT, target_days=2, safety_days=1)
    for s in "ABC":
        b.add_station(s)
    b.set_stock("A", RBC, [10, 20, 30])  # 60 U, safety 10 U
    b.set_demand("A", RBC, 10)
    b.set_stock("A", PLT, [4, 0, 0])
    b.add_link("A", "B", minutes=60, ship_cost=100)
    b.add_link("A", "C", minutes=300, ship_cost=100)
    return b.build()


def t(a: str, b: str, units: object, bucket: object = 0, item: str = RBC) -> Transfer:
    return Transfer(a, b, item, bucket, units)  # type: ignore[arg-type]


BAD = [
    ("record", [t("A", "Z", 5)], "unknown station 'Z'"),
    ("record", [t("A", "B", 5, item="FFP AB")], "unknown item 'FFP AB'"),
    ("record", [t("A", "B", 5, bucket=3)], "bucket 3 not in 0..2"),
    ("record", [t("A", "B", 5, bucket=1.0)], "bucket 1.0 not in"),
    ("record", [t("A", "A", 5)], "from a station to itself"),
    ("record", [t("A", "B", 0)], "units must be a positive integer"),
    ("record", [t("A", "B", -5), t("A", "B", 10)], "got -5"),
    ("record", [t("A", "B", 5.5)], "got 5.5"),
    ("record", [t("A", "B", True), t("A", "B", 5)], "got True"),
    ("link", [t("A", "C", 5)], "A->C takes 300.0 min, limit 240.0 min"),
    ("link", [t("B", "C", 5)], "B->C takes inf min"),
    ("min_transfer", [t("A", "B", 3), t("A", "B", 1, item=PLT)], "A->B carries 4 U, minimum 5"),
    ("supply", [t("A", "B", 11)], "A RBC O+ bucket 0 ships 11 U, holds 10 U"),
    ("supply", [t("A", "B", 6), t("A", "B", 6)], "ships 12 U, holds 10 U"),
    ("negative", [t("A", "B", 11)], "A RBC O+ bucket 0 ends at -1 U"),
    ("safety", [t("A", "B", 30, bucket=2), t("A", "B", 21, bucket=1)],
     "A RBC O+ keeps 9 U after shipping 51, safety stock is 10 U"),
    ("safety", [t("A", "B", 5, item=PLT)], "A PLT A+ keeps -1 U after shipping 5"),
]


@pytest.mark.parametrize(("kind", "transfers", "detail"), BAD,
                         ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(BAD)])
def test_catches(problem, kind: str, transfers: list[Transfer], detail: str) -> None:
    found = find_violations(problem, transfers)
    assert any(v.startswith(f"{kind}:") and detail in v for v in found), found
    with pytest.raises(InfeasiblePlan) as info:
        check_plan(problem, transfers)
    assert info.value.violations == found


def test_max_transfers(problem) -> None:
    b = RebalancingBuilder([5], min_transfer_u=1)
    b.add_item(RBC, target_days=1, safety_days=0)
    for s in "ABC":
        b.add_station(s)
    b.set_stock("A", RBC, [10])
    b.add_link("A", "B", minutes=1, ship_cost=0)
    b.add_link("A", "C", minutes=1, ship_cost=0)
    p = b.build()
    plan = [t("A", "B", 2), t("A", "C", 2)]
    assert find_violations(p, plan, max_transfers=2) == []
    assert find_violations(p, plan, max_transfers=1) == ["max_transfers: 2 shipments, limit 1"]


def test_valid_plan_passes(problem) -> None:
    good = [t("A", "B", 10), t("A", "B", 20, bucket=1), t("A", "B", 20, bucket=2)]
    assert find_violations(problem, good) == []
    check_plan(problem, good)
    assert find_violations(problem, []) == []


def test_accepts_plan_objects(problem) -> None:
    plan = RebalancingPlan(transfers=(t("A", "B", 11),), objective=0.0, status="optimal",
                           fallback_reason=None, solve_time_s=0.0, units_moved=11, shipments=1)
    assert find_violations(problem, plan)


def test_every_kind_is_covered() -> None:
    assert {k for k, _, _ in BAD} | {"max_transfers"} == set(KINDS)
