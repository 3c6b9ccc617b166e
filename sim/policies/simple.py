"""Simple built-in policies for rebalancing and sample transport."""

from __future__ import annotations

from sim.state.world import World


class NoRebalancing:
    """Stations never transfer stock to each other."""

    def start(self, world: World) -> None:
        """Nothing to schedule."""


class ScheduledVan:
    """Samples leave each station for its lab at the scenario's dispatch hours, in a van of the
    station's courier pool (apart from the donation pickups, so they never wait behind them)."""

    def dispatch_hours(self, world: World) -> tuple[float, ...]:
        """Hours of the day (0-24) at which a van takes a station's samples to its lab."""
        return tuple(world.scenario.testing.sample_dispatch_hours)
