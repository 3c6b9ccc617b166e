"""Policy names chosen per scenario (the registry lives in ``sim.policies``)."""

from __future__ import annotations

from sim.scenario.base import PlainText, Section


class Policies(Section):
    """Named, pluggable decision rules; drills compare them by name."""

    replenishment: PlainText = "order_up_to"
    dispatch: PlainText = "ground_only"
    routing: PlainText = "direct"
    rebalancing: PlainText = "none"
    sample_transport: PlainText = "scheduled_van"
