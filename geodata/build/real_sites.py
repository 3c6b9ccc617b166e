"""Sites placed from cited facts: blood centre, city blood stations, NAT labs, rail stations."""

from __future__ import annotations

from shapely.geometry import Point

from geodata.build.config import PlacedSite, ProvinceConfig
from geodata.build.geometry import haversine_km
from geodata.build.rows import CountyIndex, site_row


def station_id(cfg: ProvinceConfig, city: str) -> str:
    """Site id of the blood station supplying ``city`` (the centre for its own city; a
    neighbour's station for a city in ``cfg.served_by``)."""
    city = cfg.served_by.get(city, city)
    return cfg.center.site_id if city == cfg.center.city else f"bs_{city.lower()}"


def supply_rows(cfg: ProvinceConfig, where: CountyIndex) -> list[dict]:
    """The blood centre and one central blood station per other city (except the cities in
    ``cfg.served_by``), each with its NAT lab."""
    rows = [_placed_row(cfg.center, "blood_center", where)]
    for city in cfg.cities:
        if city.name != cfg.center.city and city.name not in cfg.served_by:
            p = Point(city.lon, city.lat)
            name = f"{city.name} Central Blood Station"
            rows.append(
                site_row(
                    station_id(cfg, city.name),
                    "blood_station",
                    name,
                    p,
                    False,
                    city=city.name,
                    county=where.locate(p)[1],
                )
            )
    labs = lab_rows(cfg, rows)
    for row in rows:
        row["lab_id"] = _nearest(row["geometry"], labs)
    return rows + labs


def lab_rows(cfg: ProvinceConfig, supply: list[dict]) -> list[dict]:
    """One regional NAT lab per lab city, at that city's centre or station."""
    by_city = {r["city"]: r for r in supply}
    return [
        site_row(
            f"lab_{c.lower()}",
            "lab",
            f"{c} Regional NAT Laboratory",
            by_city[c]["geometry"],
            not cfg.labs_cited,
            city=c,
            county=by_city[c]["county"],
        )
        for c in cfg.lab_cities
    ]


def _nearest(p: Point, labs: list[dict]) -> str:
    """Station -> lab assignment rule: the nearest lab in straight line (synthetic)."""
    return min(labs, key=lambda lab: haversine_km(p, lab["geometry"]))["site_id"]


def rail_rows(cfg: ProvinceConfig, where: CountyIndex) -> list[dict]:
    """One row per high-speed-rail station."""
    return [_placed_row(s, "rail_station", where) for s in cfg.rail_stations]


def _placed_row(s: PlacedSite, kind: str, where: CountyIndex) -> dict:
    p = Point(s.lon, s.lat)
    return site_row(s.site_id, kind, s.name, p, not s.cited, city=s.city, county=where.locate(p)[1])
