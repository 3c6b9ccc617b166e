"""What a scenario's policies buy: the plain counterfactual on the same random future."""

from __future__ import annotations

import math

from sim.execution.kpis import KEY_KPIS
from sim.execution.runner import run
from sim.scenario import load_scenario
from sim.workflows.policy_value import PLAIN_POLICIES, POLICY_KPIS, plain_differs, policy_value


def test_plain_scenario_buys_nothing(tiny_scenario) -> None:
    """With plain policies already, the counterfactual is the same run: every difference 0."""
    loaded = load_scenario(tiny_scenario(days=3))
    assert not plain_differs(loaded)
    kpis = run(loaded).kpis
    values = policy_value(loaded, kpis)
    assert [v.kpi for v in values] == list(POLICY_KPIS)
    assert set(KEY_KPIS) < set(POLICY_KPIS)
    for value in values:
        assert math.isnan(value.difference) or value.difference == 0, value


def test_counterfactual_uses_plain_policies(tiny_scenario) -> None:
    """A drone-first scenario is compared with the same seed under ground-only dispatch."""
    loaded = load_scenario(tiny_scenario(days=3, extra="policies: {dispatch: drone_first}\n"))
    assert plain_differs(loaded)
    ours = run(loaded).kpis
    plain = run(loaded, policies=PLAIN_POLICIES).kpis
    values = {v.kpi: v for v in policy_value(loaded, ours)}
    sorties = values["drone_sorties"]
    assert sorties.plain == plain["drone_sorties"] == 0
    assert sorties.with_policies == ours["drone_sorties"]
