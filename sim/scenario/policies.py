"""Policy names chosen per scenario (the registry lives in ``sim.policies``)."""

from __future__ import annotations

from sim.scenario.base import Section


class Policies(Section):
    """Named, pluggable decision rules; drills compare them by name."""

    replenishment: str = "order_up_to"
    dispatch: str = "ground_only"
    routing: str = "direct"
    rebalancing: str = "none"
    sample_transport: str = "scheduled_van"
