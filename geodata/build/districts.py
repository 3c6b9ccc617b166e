"""The districts layer of a municipality (``districts.geojson``): the quality-control groups.

Columns ``district_id, name, name_cn, population_m, geometry``; ``name_cn`` equals the
``county`` column of the sites in the district. Polygons are the real district boundaries
clipped to the outline, simplified like the outline and snapped to a 1e-5 degree grid.
"""

from __future__ import annotations

import geopandas as gpd
import shapely


def district_layer(plan, counties: gpd.GeoDataFrame, tolerance_deg: float) -> gpd.GeoDataFrame:
    """One row per district of ``plan`` (a :class:`MunicipalityPlan`), in boundary order."""
    rows = []
    for cn, area in zip(counties["county"], counties["area"], strict=True):
        d = plan.district(cn)
        simple = shapely.simplify(area, tolerance_deg, preserve_topology=True)
        rows.append(
            {
                "district_id": d.key,
                "name": d.name,
                "name_cn": cn,
                "population_m": float(d.population_m),
                "geometry": shapely.make_valid(shapely.set_precision(simple, 1e-5)),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
