"""The run's site index: integer ids for the ledger and the links between sites."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.kinds import COUNTY_BANK_KIND

STATION_KINDS = ("blood_center", "blood_station")


@dataclass(frozen=True, eq=False)
class SiteIndex:
    """Sites of a region as arrays; position ``i`` is site ``ids[i]`` on the ledger.

    Attributes
    ----------
    ids, kinds, names, cities : ndarray of str
    lat, lon : ndarray of float, degrees
    station_of : ndarray of int
        Supplying blood station of each hospital / donation house (-1 where none).
    lab_of : ndarray of int
        Regional NAT lab of each station (-1 where none).
    beds : ndarray of float
        Hospital inpatient beds; donor beds at donation houses; 0 elsewhere.
    tiers : ndarray of str
        Hospital tier ("" elsewhere).
    island : ndarray of bool
        Sites reached from the mainland by ferry.
    bank_of : ndarray of int
        County blood bank of each hospital: the bank of the same city and county (-1 where
        the county has none).
    """

    ids: np.ndarray
    kinds: np.ndarray
    names: np.ndarray
    cities: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    station_of: np.ndarray
    lab_of: np.ndarray
    beds: np.ndarray
    tiers: np.ndarray
    island: np.ndarray
    bank_of: np.ndarray
    # read-only answers of of_kind / position, filled on first use (the sites never change)
    _kind_cache: dict[tuple[str, ...], np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _positions: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_sites(cls, sites: pd.DataFrame) -> SiteIndex:
        """Build from a region's sites GeoDataFrame."""
        ids = sites["site_id"].to_numpy(dtype=str)
        position = {site: i for i, site in enumerate(ids)}
        return cls(
            ids=ids,
            kinds=sites["kind"].to_numpy(dtype=str),
            names=sites["name"].to_numpy(dtype=str),
            cities=sites["city"].fillna("").to_numpy(dtype=str),
            lat=sites.geometry.y.to_numpy(dtype=float),
            lon=sites.geometry.x.to_numpy(dtype=float),
            station_of=_links(sites, "station_id", position),
            lab_of=_links(sites, "lab_id", position),
            beds=pd.to_numeric(sites.get("beds"), errors="coerce").fillna(0).to_numpy(float),
            tiers=sites["tier"].fillna("").to_numpy(dtype=str),
            island=_flag(sites, "island"),
            bank_of=_county_banks(sites),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def of_kind(self, *kinds: str) -> np.ndarray:
        """Positions of the sites of the given kinds, in table order (a read-only array)."""
        found = self._kind_cache.get(kinds)
        if found is None:
            found = self._kind_cache[kinds] = np.flatnonzero(np.isin(self.kinds, kinds))
            found.flags.writeable = False
        return found

    @property
    def stations(self) -> np.ndarray:
        """Blood center and blood stations (sites that process and hold stock)."""
        return self.of_kind(*STATION_KINDS)

    @property
    def county_banks(self) -> np.ndarray:
        """County blood banks (stock points supplied by their city's station)."""
        return self.of_kind(COUNTY_BANK_KIND)

    def position(self, site_id: str) -> int:
        """Position of ``site_id`` (KeyError if unknown; the first where an id repeats)."""
        if not self._positions:
            for i, site in enumerate(self.ids.tolist()):
                self._positions.setdefault(site, i)
        return self._positions[site_id]


def _links(sites: pd.DataFrame, column: str, position: dict[str, int]) -> np.ndarray:
    if column not in sites:
        return np.full(len(sites), -1, dtype=np.int64)
    return np.array([position.get(v, -1) if isinstance(v, str) else -1 for v in sites[column]])


def _flag(sites: pd.DataFrame, column: str) -> np.ndarray:
    if column not in sites:
        return np.zeros(len(sites), dtype=bool)
    return sites[column].fillna(False).astype(bool).to_numpy()


def _county_banks(sites: pd.DataFrame) -> np.ndarray:
    """Position of the county blood bank serving each hospital (-1 where none)."""
    out = np.full(len(sites), -1, dtype=np.int64)
    if "county" not in sites:
        return out
    kinds = sites["kind"].to_numpy(dtype=str)
    place = list(zip(sites["city"].fillna(""), sites["county"].fillna(""), strict=True))
    bank = {place[i]: i for i in np.flatnonzero(kinds == COUNTY_BANK_KIND) if place[i][1]}
    for i in np.flatnonzero(kinds == "hospital"):
        out[i] = bank.get(place[i], -1)
    return out
