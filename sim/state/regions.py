"""Regions run together (e.g. Shanghai + Zhejiang): the region of each site, and road times
inside each member region from that member's own road model.

A one-region run has a single label, so nothing here changes it: every source is in the
hospital's own region and no neighbour is asked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.network import RoadTimes, TravelOracle
from sim.core.domain import Level

REGION_COLUMN = "region"  # the site column a combined region adds (geodata.combined)


@dataclass(frozen=True, eq=False)
class RegionLabels:
    """The member region of every site.

    Attributes
    ----------
    names : tuple of str
        Member region names ("" for a one-region run).
    of_site : ndarray of int
        Index into ``names`` of each site position.
    """

    names: tuple[str, ...]
    of_site: np.ndarray

    @classmethod
    def from_sites(cls, sites: pd.DataFrame) -> RegionLabels:
        """Labels from the ``region`` column of a region's sites (one region if absent)."""
        if REGION_COLUMN not in sites:
            return cls(("",), np.zeros(len(sites), dtype=np.int64))
        codes, names = pd.factorize(sites[REGION_COLUMN].fillna("").astype(str), sort=False)
        return cls(tuple(str(n) for n in names), codes.astype(np.int64))

    @property
    def several(self) -> bool:
        """True when the run holds more than one region."""
        return len(self.names) > 1

    def by_site(self, site_ids: np.ndarray) -> pd.Series:
        """Region name indexed by site id (``site_ids``: the run's site ids, in order)."""
        return pd.Series(np.asarray(self.names, dtype=object)[self.of_site], index=site_ids)

    def name_of(self, site: int) -> str:
        """Region name of site position ``site``."""
        return self.names[int(self.of_site[site])]

    def same(self, a: int, b: int) -> bool:
        """Whether sites ``a`` and ``b`` lie in the same region."""
        return bool(self.of_site[a] == self.of_site[b])

    def own(self, site: int, candidates: Iterable[int]) -> list[int]:
        """The ``candidates`` in the region of ``site``, in their order."""
        return [int(c) for c in candidates if self.same(site, int(c))]

    def level(self, hospital: int, source: int) -> Level:
        """Escalation level of a source beyond the hospital's local establishments: the
        hospital's region (3) or the neighbouring region (4)."""
        return Level.REGION if self.same(hospital, source) else Level.OTHER_PROVINCE


def own_region_first(
    labels: RegionLabels, hospital: int, sources: list[int], neighbours: Iterable[int]
) -> list[int]:
    """Escalation order across regions: the ``sources`` in the hospital's region (levels 2
    and 3), then the ``neighbours`` (blood centres and stations, level 4) of other regions.

    Parameters
    ----------
    sources : list of int
        Site positions in escalation order (any region).
    neighbours : iterable of int
        Site positions that may give mutual aid, in order (centres first); those in the
        hospital's region are skipped. Empty when mutual aid is off.
    """
    own = labels.own(hospital, sources)
    if not labels.several:
        return own
    return [*own, *(int(s) for s in neighbours if not labels.same(hospital, int(s)))]


def scale_by_region(
    means: dict[int, np.ndarray], labels: RegionLabels, factors: dict[str, float]
) -> dict[int, np.ndarray]:
    """Mean daily demand per hospital (U/day by product) x its region's factor (1 where
    none is given; ``demand.region_factor``); ``means`` itself when there are no factors."""
    if not factors:
        return means
    out = {}
    for hospital, mean in means.items():
        scaled = mean * factors.get(labels.name_of(hospital), 1.0)
        scaled.setflags(write=False)
        out[hospital] = scaled
    return out


def with_member_roads(oracle: TravelOracle, region: object) -> TravelOracle:
    """``oracle`` whose road times between two sites of one member region come from that
    member's road model (a combined region's own model covers the border legs only).

    A region without members (one-region runs) gives ``oracle`` unchanged.
    """
    roads = getattr(region, "member_roads", ())
    if not roads:
        return oracle
    sites = region.sites
    road = oracle.road
    km, urban, rest = road.km.copy(), road.urban_min.copy(), road.rest_min.copy()
    for name, model in zip(region.members, roads, strict=True):
        inside = np.flatnonzero((sites[REGION_COLUMN] == name).to_numpy())
        block = RoadTimes.build(
            sites.geometry.y.to_numpy()[inside],
            sites.geometry.x.to_numpy()[inside],
            model,
            sites["island"].fillna(False).to_numpy(dtype=bool)[inside],
            ferry_min=model.ferry.extra_min,
        )
        cells = np.ix_(inside, inside)
        km[cells], urban[cells], rest[cells] = block.km, block.urban_min, block.rest_min
    return dataclasses.replace(
        oracle, road=dataclasses.replace(road, km=km, urban_min=urban, rest_min=rest)
    )
