"""Collection control: each station recruits donors by its red-cell cover (supply side).

Zhejiang's "dynamic allocation model" (seeds.md) reads station inventories in real time;
here a station reviews its cover every evening and sets a factor on the donor arrivals of
its houses ``lag_days`` later: donors are called (a campaign) when cover is low and drives
are postponed when it is high. Hubei bridges seasonal lows the same way (seeds.md).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY, Product
from sim.scenario.supply import CollectionControl
from sim.state.ledger import PRE_RELEASE_STATES
from sim.state.world import World

HELD = PRE_RELEASE_STATES  # collected, in testing, quarantined


def recruitment_factor(
    cover: float, target: float, safety: float, spec: CollectionControl
) -> float:
    """Factor on donor arrivals for a station's red-cell ``cover`` (days of served demand).

    Parameters
    ----------
    cover, target, safety : float
        Cover now, the station's target and safety stock (days of demand).
    spec : CollectionControl
        ``campaign_factor`` at or below safety, easing linearly to 1 at ``target``;
        ``target / cover`` above it, never below ``throttle_floor``.
    """
    if cover >= target:
        return max(spec.throttle_floor, target / cover) if cover > 0 else 1.0
    if cover <= safety:
        return spec.campaign_factor
    return 1.0 + (spec.campaign_factor - 1.0) * (target - cover) / (target - safety)


class Recruitment:
    """Per-station, per-day factors on donor arrivals (1 until a review sets them).

    Parameters
    ----------
    world : World
    stations : ndarray
        Site positions of the blood stations.
    """

    def __init__(self, world: World, stations: np.ndarray) -> None:
        self.world = world
        self.stations = [int(s) for s in stations]
        self.spec = world.scenario.supply.control
        horizon = world.scenario.days + 1 + self.spec.lag_days
        self.factors = {s: np.ones(horizon) for s in self.stations}

    def factor(self, station: int, day: int) -> float:
        """Multiplier on the donor arrivals of ``station``'s houses on ``day``."""
        return float(self.factors[station][day]) if self.spec.enabled else 1.0

    def run(self) -> Generator[simpy.Event, object, None]:
        """SimPy process: review every station's cover each day at ``review_hour``."""
        env, spec = self.world.env, self.spec
        for day in range(self.world.scenario.days):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + spec.review_hour * 60 - env.now))
            for station, cover in self.covers().items():
                self._set(station, day + spec.lag_days, cover)

    def covers(self) -> dict[int, float]:
        """Red-cell cover per station: available + collected/in testing, days of demand.

        Units not yet released are all at or after ``Ledger.pre_release_start()``: only
        those rows are scanned (the same rows, in the same order, as a whole-ledger scan).
        """
        world, ledger = self.world, self.world.ledger
        start = ledger.pre_release_start()
        product, state = ledger.product[start:], ledger.state[start:]
        rows = (product == Product.RBC) & np.isin(state, HELD)
        held = np.bincount(
            ledger.site[start:][rows], ledger.size_u[start:][rows], minlength=len(world.sites)
        )
        out = {}
        for s in self.stations:
            use = world.served_mean[s][Product.RBC]
            stock = world.stock[s].on_hand(Product.RBC, now=world.now) + held[s]
            out[s] = stock / use if use > 0 else np.inf
        return out

    def _set(self, station: int, day: int, cover: float) -> None:
        world = self.world
        inventory = world.scenario.inventory.station
        target, safety = inventory.target_days.RBC, inventory.safety_days.RBC
        factor = recruitment_factor(cover, target, safety, self.spec)
        self.factors[station][day] = factor
        if factor > 1.0:
            world.logs.count("recruitment_campaign_station_days")
        elif factor < 1.0:
            world.logs.count("recruitment_throttle_station_days")
