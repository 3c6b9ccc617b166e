"""RebalancingProblem: validation at the boundary, derived unit quantities, immutability."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pytest

from optimizer.errors import InvalidProblem
from optimizer.rebalance import RebalancingBuilder, RebalancingProblem


def base_kwargs() -> dict[str, Any]:
    """Two stations, one item, three buckets: valid as given."""
    return dict(
        stations=("A", "B"), items=("RBC O+",), bucket_days=[2.0, 10.0, 30.0],
        on_hand=[[[30, 20, 0]], [[0, 0, 2]]], daily_demand=[[5.0], [10.0]],
        target_days=[3.0], safety_days=[1.0],
        ship_cost=[[0, 100], [100, 0]], unit_cost=[[0, 1], [1, 0]],
        ship_minutes=[[0, 60], [np.inf, 0]],
    )


INVALID = [
    ("stations", ("A", "A"), "stations: expected unique"),
    ("items", (), "items: expected at least one"),
    ("bucket_days", [2.0, 2.0, 30.0], "bucket_days: expected strictly increasing"),
    ("bucket_days", [0.0, 10.0, 30.0], "bucket_days: expected values in"),
    ("on_hand", [[[30, 20]], [[0, 0]]], "on_hand: expected shape (2, 1, 3)"),
    ("on_hand", [[[30, -1, 0]], [[0, 0, 2]]], "on_hand: expected values in [0"),
    ("on_hand", [[[30, 1.5, 0]], [[0, 0, 2]]], "on_hand: expected whole units"),
    ("daily_demand", [[5.0], [np.nan]], "daily_demand: contains NaN"),
    ("daily_demand", [[5.0], [-1.0]], "daily_demand: expected values in [0"),
    ("safety_days", [4.0], "target_days[0] (RBC O+): expected >= safety_days"),
    ("target_days", [3.0, 1.0], "target_days: expected shape (1,)"),
    ("ship_cost", [[0, -5], [1, 0]], "ship_cost: expected values in [0"),
    ("unit_cost", [[0, 1e9], [1, 0]], "unit_cost: expected values in [0, 10000000.0]"),
    ("ship_minutes", [[0, -1], [1, 0]], "ship_minutes: expected values in [0"),
    ("horizon_days", 0.0, "horizon_days: expected a number > 0"),
    ("max_ship_minutes", -3.0, "max_ship_minutes: expected a number > 0"),
    ("min_transfer_u", 0, "min_transfer_u: expected an integer >= 1"),
    ("min_transfer_u", 2.5, "min_transfer_u: expected an integer >= 1"),
    ("shortage_penalty", -1.0, "shortage_penalty: expected a number >= 0"),
    ("outdate_penalty", float("nan"), "outdate_penalty: expected a number >= 0"),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID,
                         ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(INVALID)])
def test_raises_invalid(field: str, value: Any, message: str) -> None:
    kwargs = base_kwargs() | {field: value}
    with pytest.raises(InvalidProblem, match=re.escape(message)):
        RebalancingProblem(**kwargs)


def test_invalid_problem_is_value_error() -> None:
    with pytest.raises(ValueError):
        RebalancingProblem(**base_kwargs() | {"horizon_days": -1.0})


def test_derived_units() -> None:
    p = RebalancingProblem(**base_kwargs())
    assert p.shape == (2, 1, 3)
    assert p.safety_u.tolist() == [[5], [10]]
    assert p.target_u.tolist() == [[15], [30]]
    assert p.horizon_u.tolist() == [[15], [30]]
    assert p.usable_u.tolist() == [[[10, 50, 150]], [[20, 100, 300]]]
    assert p.spare_u.tolist() == [[45], [0]]
    assert p.horizon_buckets == 1
    assert p.links.tolist() == [[False, True], [False, False]]


def test_fractional_demand_rounds_conservatively() -> None:
    p = RebalancingProblem(**base_kwargs() | {"daily_demand": [[2.5], [0.4]]})
    assert p.safety_u.tolist() == [[3], [1]]  # rounded up
    assert p.usable_u[:, 0, 0].tolist() == [5, 0]  # rounded down


def test_frozen_and_read_only() -> None:
    p = RebalancingProblem(**base_kwargs())
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.horizon_days = 5.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        p.on_hand[0, 0, 0] = 99
    assert p.on_hand.dtype == np.int64


def test_builder_matches_arrays() -> None:
    b = RebalancingBuilder([2, 10, 30])
    b.add_item("RBC O+", target_days=3, safety_days=1)
    b.add_station("A")
    b.add_station("B")
    b.set_stock("A", "RBC O+", [30, 20, 0])
    b.set_stock("B", "RBC O+", [0, 0, 2])
    b.set_demand("A", "RBC O+", 5)
    b.set_demand("B", "RBC O+", 10)
    b.add_link("A", "B", minutes=60, ship_cost=100, unit_cost=1, both_ways=False)
    built, direct = b.build(), RebalancingProblem(**base_kwargs())
    assert np.array_equal(built.on_hand, direct.on_hand)
    assert np.array_equal(built.daily_demand, direct.daily_demand)
    for name in ("ship_minutes", "ship_cost", "unit_cost"):
        assert getattr(built, name)[0, 1] == getattr(direct, name)[0, 1], name
    assert built.links.tolist() == direct.links.tolist()


def test_builder_rejects_unknown_names() -> None:
    b = RebalancingBuilder([2, 10])
    b.add_station("A")
    with pytest.raises(InvalidProblem, match="unknown 'RBC O-'"):
        b.set_demand("A", "RBC O-", 1.0)
    with pytest.raises(InvalidProblem, match="unknown station 'Z'"):
        b.add_link("Z", "A", minutes=1, ship_cost=1)
