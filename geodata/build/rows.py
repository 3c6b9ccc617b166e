"""Site rows (plain dicts with every column) and the county lookup used to fill them."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from geodata.kinds import SITE_COLUMNS


def site_row(site_id: str, kind: str, name: str, point: Point, synthetic: bool, **extra) -> dict:
    """A sites-table row with every column present (None where not applicable)."""
    row = dict.fromkeys(SITE_COLUMNS)
    row.update(
        site_id=site_id, kind=kind, name=name, geometry=point, synthetic=synthetic, island=False
    )
    row.update(extra)
    return row


class CountyIndex:
    """Find the county (and its city) a point lies in; nearest county if it lies in none."""

    def __init__(self, counties: gpd.GeoDataFrame) -> None:
        self._counties = counties.reset_index(drop=True)

    def locate(self, p: Point) -> tuple[str, str]:
        """(city, county) of point ``p``."""
        hits = self._counties[self._counties.geometry.covers(p)]
        if hits.empty:
            hits = self._counties.iloc[[int(self._counties.distance(p).argmin())]]
        return hits["city"].iloc[0], hits["county"].iloc[0]
