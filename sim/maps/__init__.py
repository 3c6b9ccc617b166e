"""Offline Folium maps of a run folder: sites, legs, no-fly zones, events and a time slider.

>>> from sim.maps import write_map
>>> write_map("runs/zhejiang_baseline-seed20250101")  # doctest: +SKIP
PosixPath('runs/zhejiang_baseline-seed20250101/map.html')

The page carries Leaflet and its plugins inline (``sim/maps/assets/``), so it opens with no
network; see ``sim/maps/assets/README.md`` for the vendored files.

Folium (and branca) are imported inside the functions that draw, not at the top of the
modules: importing them costs about 15 MB and 0.4 s, which ``import sim``, a run without a map
and the simulation part of ``bloodflow run`` need not pay.
"""

from sim.maps.build import COUNTS_ID, MapCounts, build_map, write_map
from sim.maps.errors import MapError

__all__ = ["COUNTS_ID", "MapCounts", "MapError", "build_map", "write_map"]
