"""Mutual aid between regions run together (e.g. Shanghai + Zhejiang in ``yangtze_delta``).

Level 4 of an urgent order's escalation becomes the neighbouring region: its blood centre,
then its stations, each only above its safety stock (``choose_source``), before the import
from other provinces. Units cross the border like any urgent delivery: the dispatch policy
carries them (by road, or by road to a rail station, high-speed rail and road again where
that is faster), each movement a leg.
"""

from __future__ import annotations

from sim.state.sites import STATION_KINDS
from sim.state.world import World


def mutual_aid_sources(world: World, ranked: list[int]) -> list[int]:
    """Blood centres and stations of ``ranked`` (site positions in escalation order) that may
    give mutual aid: none when the scenario turns it off (``escalation.mutual_aid``)."""
    if not world.scenario.escalation.mutual_aid:
        return []
    kinds = world.sites.kinds
    return [s for s in ranked if kinds[s] in STATION_KINDS]
