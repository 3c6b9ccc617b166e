"""Synthetic hospitals and donation houses around real city centres and county seats.

Rules (also in SOURCES.md): tertiary hospitals scatter around the city centre (sigma 5 km);
secondary hospitals are shared among counties by population weight and scatter around the
county seat (sigma 3 km); county-tier hospitals sit at the seats of counties and county-level
cities (sigma 1 km); donation houses are shared among cities by population, then among the
city's counties by weight, and scatter around the seat (sigma 2 km). Every point is drawn
inside its county (or city) clipped to the outline.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from geodata.build.allocate import largest_remainder
from geodata.build.config import ProvinceConfig
from geodata.build.geometry import jitter_within
from geodata.build.real_sites import station_id
from geodata.build.rows import CountyIndex, site_row

SIGMA_KM = {"tertiary": 5.0, "secondary": 3.0, "county": 1.0, "donation_house": 2.0}


def hospital_rows(
    cfg: ProvinceConfig, counties: gpd.GeoDataFrame, rng: np.random.Generator
) -> list[dict]:
    """All synthetic hospitals, numbered per city (``h_<city>_NNN``)."""
    where = CountyIndex(counties)
    drafts = _tertiary(cfg, counties, rng) + _secondary(cfg, counties, rng)
    drafts += _county_tier(cfg, counties, rng)
    rows, seen = [], {}
    for tier, p, name in drafts:
        city, county = where.locate(p)
        seen[city] = seen.get(city, 0) + 1
        lo, hi = cfg.hospitals.beds[tier]
        rows.append(
            site_row(
                f"h_{city.lower()}_{seen[city]:03d}",
                "hospital",
                name,
                p,
                True,
                city=city,
                county=county,
                tier=tier,
                beds=int(rng.integers(lo, hi + 1)) // 10 * 10,
                station_id=station_id(cfg, city),
            )
        )
    return rows


def _tertiary(cfg: ProvinceConfig, counties: gpd.GeoDataFrame, rng) -> list[tuple]:
    plan = cfg.hospitals
    out = []
    for city in cfg.cities:
        low = plan.min_tertiary_by_city.get(city.name, plan.min_tertiary)
        n = max(low, round(city.population_m * plan.tertiary_per_million))
        if n == 0:
            continue
        area = shapely.union_all(counties.loc[counties["city"] == city.name, "area"].values)
        centre = Point(city.lon, city.lat)
        for i in range(n):
            p = jitter_within(rng, centre, SIGMA_KM["tertiary"], area)
            out.append(("tertiary", p, f"{city.name} Tertiary Hospital {i + 1:02d}"))
    return out


def _secondary(cfg: ProvinceConfig, counties: gpd.GeoDataFrame, rng) -> list[tuple]:
    counts = largest_remainder(list(counties["weight"]), cfg.hospitals.secondary_total)
    out = []
    for (_, c), n in zip(counties.iterrows(), counts, strict=True):
        for i in range(n):
            p = jitter_within(rng, c["seat"], SIGMA_KM["secondary"], c["area"])
            out.append(("secondary", p, f"{c['county']} Secondary Hospital {i + 1}"))
    return out


def _county_tier(cfg: ProvinceConfig, counties: gpd.GeoDataFrame, rng) -> list[tuple]:
    names = ("People's Hospital", "Hospital of Traditional Chinese Medicine", "Second Hospital")
    out = []
    for _, c in counties[~counties["is_district"]].iterrows():
        for i in range(cfg.hospitals.county_per_seat):
            p = jitter_within(rng, c["seat"], SIGMA_KM["county"], c["area"])
            out.append(("county", p, f"{c['county']} {names[i % len(names)]}"))
    return out


def donation_rows(
    cfg: ProvinceConfig, counties: gpd.GeoDataFrame, rng: np.random.Generator
) -> list[dict]:
    """Exactly ``cfg.donation_houses`` donation houses, numbered per city (``dh_<city>_NN``).

    Cities in ``cfg.donation_houses_by_city`` get their fixed count; the rest is shared among
    the other cities by population (largest remainder, at least 1 each).
    """
    fixed = cfg.donation_houses_by_city
    free = [c for c in cfg.cities if c.name not in fixed]
    shared = largest_remainder(
        [c.population_m for c in free], cfg.donation_houses - sum(fixed.values()), 1
    )
    per_city = dict(zip([c.name for c in free], shared, strict=True)) | fixed
    rows = []
    for city in cfg.cities:
        rows += _city_houses(cfg, counties[counties["city"] == city.name], per_city[city.name], rng)
    return rows


def _city_houses(cfg: ProvinceConfig, counties: gpd.GeoDataFrame, n: int, rng) -> list[dict]:
    city = counties["city"].iloc[0]
    named = cfg.named_donation_houses.get(city)
    order = _named_first(counties, named[0] if named else None)
    counts = largest_remainder(list(order["weight"]), n)
    rows = []
    for (_, c), k in zip(order.iterrows(), counts, strict=True):
        for _ in range(k):
            num = len(rows) + 1
            name = named[1] if named and num == 1 else f"{c['county']} Donation House {num:02d}"
            p = jitter_within(rng, c["seat"], SIGMA_KM["donation_house"], c["area"])
            lo, hi = cfg.donation_beds
            rows.append(
                site_row(
                    f"dh_{city.lower()}_{num:02d}",
                    "donation_house",
                    name,
                    p,
                    True,
                    city=city,
                    county=c["county"],
                    beds=int(rng.integers(lo, hi + 1)),
                    station_id=station_id(cfg, city),
                )
            )
    return rows


def _named_first(counties: gpd.GeoDataFrame, county: str | None) -> gpd.GeoDataFrame:
    """Counties with the named house's county first (so it gets house 01), then by weight."""
    key = (counties["county"] != county).astype(int)
    return (
        counties.assign(_k=key)
        .sort_values(["_k", "weight"], ascending=[True, False], kind="stable")
        .drop(columns="_k")
    )
