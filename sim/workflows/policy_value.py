"""What a scenario's policies buy: the same run with plain policies, on the same random future.

The plain counterfactual keeps everything but the decision rules: vans only (``ground_only``),
direct trips, no rebalancing between stations. Both runs use the same seed, so donors,
demand and incidents are drawn identically (common random numbers: each purpose has its
own random stream), and the difference of a KPI is the policies' doing, not chance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sim.compare.flatten import flatten_kpis
from sim.execution.kpis import KEY_KPIS
from sim.execution.runner import DayCallback, run
from sim.scenario import LoadedScenario

PLAIN_POLICIES = {"dispatch": "ground_only", "routing": "direct", "rebalancing": "none"}
"""The plain counterfactual: no drones or rail, no multi-stop routes, no transshipment."""

POLICY_KPIS = (
    *KEY_KPIS,
    "units_expired.by_product.RBC",
    "units_expired.by_product.PLT",
    "optimizer.rebalancing_transfers",
    "optimizer.rebalancing_units",
    "legs_by_mode.rail.loaded_legs",
)
"""The key KPIs plus what the policies act on: outdating, transfers between stations, rail."""


@dataclass(frozen=True)
class PolicyValue:
    """One KPI of :data:`POLICY_KPIS` under the scenario's policies and under the plain ones."""

    kpi: str
    with_policies: float
    plain: float

    @property
    def difference(self) -> float:
        """``with_policies - plain`` in the KPI's unit (NaN when either is missing)."""
        return self.with_policies - self.plain


def plain_differs(loaded: LoadedScenario) -> bool:
    """Whether the scenario's policies differ from :data:`PLAIN_POLICIES` at all."""
    policies = loaded.scenario.policies
    return any(getattr(policies, role) != name for role, name in PLAIN_POLICIES.items())


def policy_value(
    loaded: LoadedScenario,
    kpis: Mapping,
    *,
    seed: int | None = None,
    days: int | None = None,
    on_day: DayCallback | None = None,
) -> list[PolicyValue]:
    """Run the plain counterfactual of ``loaded`` and pair :data:`POLICY_KPIS` with ``kpis``.

    Parameters
    ----------
    loaded
        The scenario that produced ``kpis``.
    kpis
        KPIs of the run with the scenario's policies (same ``seed`` and ``days``).
    seed, days
        As given to that run (``None``: the scenario's).
    on_day
        Progress callback of the counterfactual run.
    """
    plain = run(loaded, seed=seed, days=days, policies=PLAIN_POLICIES, on_day=on_day).kpis
    return pair_values(kpis, plain)


def pair_values(kpis: Mapping, plain: Mapping) -> list[PolicyValue]:
    """Pair :data:`POLICY_KPIS` of a run (``kpis``) with those of its plain counterfactual."""
    ours, theirs = flatten_kpis(kpis), flatten_kpis(plain)
    return [
        PolicyValue(name, ours.get(name, math.nan), theirs.get(name, math.nan))
        for name in POLICY_KPIS
    ]
