"""Each scenario section checks its own fields (one module each) and the cross-field checks.

Whole invalid files go through ``test_invalid_scenarios.py``; these tests build the
sections directly, so a broken rule is found in the module that owns it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from sim.scenario import testing
from sim.scenario.base import Section, check_event_time
from sim.scenario.checks import road_graph_path, run_checks
from sim.scenario.demand import Demand, TierDemand
from sim.scenario.embedded import DEFAULT_SCENARIO, default_scenario
from sim.scenario.escalation import Escalation
from sim.scenario.events import RoadClosure
from sim.scenario.fleet import Drones, Vans
from sim.scenario.inventory import CoverDays, StockPolicy
from sim.scenario.loader import load_scenario
from sim.scenario.policies import Policies
from sim.scenario.problems import Problem, ScenarioError, short
from sim.scenario.products import ProductSpec, default_products
from sim.scenario.rare import RareBlood
from sim.scenario.supply import SeasonWindow, check_weekday_factors

ROOT = Path(__file__).resolve().parents[2]


class _Tiny(Section):
    share: float = 0.5


def test_a_section_refuses_unknown_keys_and_is_frozen() -> None:
    with pytest.raises(ValidationError, match="extra"):
        _Tiny(shares=0.4)
    tiny = _Tiny()
    with pytest.raises(ValidationError, match="frozen"):
        tiny.share = 0.1


def test_event_times_outside_the_supported_years_are_refused() -> None:
    assert check_event_time(datetime(2025, 1, 1)) == datetime(2025, 1, 1)
    with pytest.raises(ValueError, match="1999-12-31 00:00 is outside the supported years"):
        check_event_time(datetime(1999, 12, 31))


def test_yes_no_is_not_a_number() -> None:
    with pytest.raises(ValidationError, match="yes/no value"):
        Escalation(max_source_min=True)
    with pytest.raises(ValidationError, match="less than or equal to 2880"):
        Escalation(max_source_min=3000)


def test_demand_needs_seven_weekday_factors_and_every_priority() -> None:
    with pytest.raises(ValidationError, match="6 factors given"):
        Demand(weekday_factors=(1, 1, 1, 1, 1, 1))
    with pytest.raises(ValidationError, match="routine"):
        Demand(required_by_min={"emergency": 60.0, "urgent": 240.0})
    assert TierDemand(RBC=1, PLT=0, FFP=0, CRYO=0).RBC == 1.0
    assert check_weekday_factors((1,) * 7) == (1,) * 7


def test_a_road_closure_needs_a_simple_polygon() -> None:
    bow_tie = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]
    with pytest.raises(ValidationError, match="not a valid area"):
        RoadClosure(
            type="road_closure", start="2025-03-03T00:00", end="2025-03-04T00:00", polygon=bow_tie
        )


def test_fleet_limits() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Vans(per_station=0)
    assert Drones(per_port=0).per_port == 0  # no drones is allowed


def test_safety_stock_may_not_exceed_the_target() -> None:
    days = {"RBC": 3, "PLT": 1, "FFP": 5, "CRYO": 5}
    with pytest.raises(ValidationError, match="safety_days.PLT is above target_days.PLT"):
        StockPolicy(target_days=CoverDays(**days), safety_days=CoverDays(**{**days, "PLT": 2}))


def test_policies_default_to_the_simplest_rules() -> None:
    assert Policies().model_dump() == {
        "replenishment": "order_up_to",
        "dispatch": "ground_only",
        "routing": "direct",
        "rebalancing": "none",
        "sample_transport": "scheduled_van",
    }


def test_a_problem_is_one_line_and_quoted_values_stay_short() -> None:
    problem = Problem("fleet.vans", "0 is not valid", "at least 1")
    assert problem.line("f.yaml") == "f.yaml: fleet.vans: 0 is not valid (at least 1)"
    error = ScenarioError("f.yaml", [problem, Problem("", "empty", "a mapping")])
    assert str(error).splitlines()[1] == "f.yaml: (top level): empty (a mapping)"
    assert isinstance(error, ValueError)
    assert len(short("x" * 10_000)) <= 60 and short(10**5000).startswith("<a ")


def test_temperature_bands_must_be_ordered() -> None:
    spec = default_products()["RBC"].model_dump()
    with pytest.raises(ValidationError, match=r"band \[6.0, 2.0\] is not ordered"):
        ProductSpec(**{**spec, "storage_c": (6, 2)})


def test_rare_blood_shares_are_shares() -> None:
    assert RareBlood().antigen_negative_share["K"] == 0.99
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        RareBlood(antigen_negative_share={"K": 1.5})


def test_season_days_must_exist() -> None:
    with pytest.raises(ValidationError, match="'02-30' is not a month-day"):
        SeasonWindow(name="x", start="02-30", end="03-01", factor=1.0)
    assert SeasonWindow(name="leap", start="02-29", end="02-29", factor=1.0).start == "02-29"


def test_sample_dispatch_hours_must_increase() -> None:
    with pytest.raises(ValidationError, match=r"hours \[17.0, 11.0\] are not valid"):
        testing.Testing(sample_dispatch_hours=(17, 11))


def test_the_embedded_default_scenario_is_shipped_with_the_package(tmp_path) -> None:
    with default_scenario(None) as path:
        assert path.name == DEFAULT_SCENARIO and path.exists()
    with default_scenario(tmp_path / "mine.yaml") as path:
        assert path == tmp_path / "mine.yaml"


def test_cross_field_checks_take_the_known_policy_names() -> None:
    loaded = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml")
    names = {"dispatch": ["multimodal"], "routing": ["direct"]}
    problems = run_checks(loaded.scenario, loaded.region, names)
    assert [p.path for p in problems] == ["policies.replenishment", "policies.rebalancing",
                                          "policies.sample_transport"]  # fmt: skip
    assert run_checks(loaded.scenario, loaded.region) == []  # the registered names
    assert road_graph_path(loaded.scenario, ROOT / "scenarios" / "x.yaml") is None
