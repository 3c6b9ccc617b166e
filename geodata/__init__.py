"""Regions as data: sites, rail lines, no-fly zones, outlines and a road model (GeoPandas).

Imports neither ``sim`` nor ``optimizer``. Use :func:`load_region`::

    from geodata import load_region
    region = load_region("zhejiang")
    region.sites_of("hospital")
"""

from geodata.errors import GeodataError
from geodata.kinds import SITE_KINDS
from geodata.loader import load_region
from geodata.region import Region
from geodata.road import FerryInfo, RoadModel

__all__ = ["SITE_KINDS", "FerryInfo", "GeodataError", "Region", "RoadModel", "load_region"]
