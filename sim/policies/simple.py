"""Simple built-in policies for rebalancing and sample transport."""

from __future__ import annotations

from sim.policies.registry import register


@register("rebalancing", "none")
class NoRebalancing:
    """Stations never transfer stock to each other."""

    def start(self, world: object) -> None:
        """Nothing to schedule."""


@register("sample_transport", "scheduled_van")
class ScheduledVan:
    """Samples leave each station for its lab by van at the scenario's dispatch hours."""

    def start(self, world: object, station: object, lab: object) -> None:
        """Schedule the daily sample runs of ``station`` to ``lab``."""
        from sim.lab import sample_runs

        world.env.process(sample_runs(world, station, lab))
