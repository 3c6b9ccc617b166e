"""Build a municipality whose districts are the quality-control groups (Shanghai).

A province build (``build_region``) places one station per prefecture city; a municipality
has one blood centre, branch stations in some districts and hospitals in every district.
The rules (also in ``geodata/SOURCES.md``): sites are shared among districts by population
(largest remainder) and scattered around the district seat with a spread that grows with the
district's area; a hospital or donation house is supplied by the nearest supply site (centre
or branch station) in straight line; hosted hospitals are linked to a host with its own bank
in the same district (:mod:`geodata.build.hosted`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geodata.build import boundaries, network, real_sites
from geodata.build.allocate import largest_remainder
from geodata.build.config import ProvinceConfig
from geodata.build.districts import district_layer
from geodata.build.geometry import haversine_km, jitter_within, round_point, snap_inside
from geodata.build.hosted import HOSTED_COLUMN, link_hosted
from geodata.build.islands import island_flags
from geodata.build.rows import CountyIndex, site_row
from geodata.build.write import write_layer, write_outline, write_road
from geodata.kinds import SITE_COLUMNS

#: Sites table columns of a municipality: the standard ones plus the hosted-hospital link.
COLUMNS = list(SITE_COLUMNS[:-1]) + [HOSTED_COLUMN, "geometry"]


@dataclass(frozen=True)
class District:
    """A district (区): Chinese name as in the boundary data, English name, residents (M)."""

    cn: str
    name: str
    population_m: float

    @property
    def key(self) -> str:
        """Lower-case id fragment, e.g. ``"pudong"``."""
        return self.name.lower().replace("'", "").replace(" ", "")


@dataclass(frozen=True)
class MunicipalityPlan:
    """Everything a municipality build needs beyond :class:`ProvinceConfig`.

    Attributes
    ----------
    config : ProvinceConfig
        Outline, centre, rail, airports, road, seeds (``cities`` holds the one municipality).
    districts : tuple of District
        Every district of the boundary data.
    station_districts : tuple of str
        Districts (Chinese names) with a branch blood station at the district seat.
    counts : dict
        ``tertiary``, ``secondary`` (own blood bank) and ``hosted`` hospitals.
    beds : dict
        Tier (``tertiary``, ``secondary``, ``hosted``) -> (low, high) inpatient beds.
    houses_by_district : dict
        District (Chinese) -> fixed number of donation houses (cited); the rest of
        ``config.donation_houses`` is shared by population, at least one each.
    spread_per_sqrt_km2 : float
        Scatter sigma (km) per square root of the district area (km^2).
    spread_range_km : (float, float)
        Bounds of that sigma, km.
    """

    config: ProvinceConfig
    districts: tuple[District, ...]
    station_districts: tuple[str, ...]
    counts: dict[str, int]
    beds: dict[str, tuple[int, int]]
    houses_by_district: dict[str, int] = field(default_factory=dict)
    spread_per_sqrt_km2: float = 0.2
    spread_range_km: tuple[float, float] = (1.0, 6.0)

    def district(self, cn: str) -> District:
        """The district whose Chinese name is ``cn``."""
        return next(d for d in self.districts if d.cn == cn)


def build(plan: MunicipalityPlan, out: Path) -> dict[str, object]:
    """Build the municipality into folder ``out``; returns a small report for the console."""
    cfg = plan.config
    out.mkdir(parents=True, exist_ok=True)
    outline = boundaries.province_outline(cfg)
    counties = _districts(plan, outline)
    sites, moved = _sites(plan, counties, outline)
    no_fly = network.no_fly_zones(cfg)
    ports, skipped = network.drone_port_rows(cfg, sites, no_fly)
    tier = dict(zip(sites["site_id"], sites["tier"], strict=True))
    ports = [p for p in ports if tier[p["host_site_id"]] != "secondary"]  # tertiary only
    sites = pd.concat([sites, gpd.GeoDataFrame(ports, crs=sites.crs)], ignore_index=True)
    sites = _typed(sites)
    write_layer(sites, out / "sites.geojson")
    write_layer(network.rail_lines(cfg, sites), out / "rail_lines.geojson")
    write_layer(no_fly, out / "no_fly.geojson")
    write_outline(outline, cfg.name, out / "outline.geojson")
    write_road(cfg.road, out / "road.json")
    districts = district_layer(plan, counties, cfg.outline_tolerance_deg)
    write_layer(districts, out / "districts.geojson")
    return {
        "counts": sites["kind"].value_counts().to_dict(),
        "tiers": sites["tier"].value_counts().to_dict(),
        "hosted": int(sites[HOSTED_COLUMN].notna().sum()),
        "snapped": moved,
        "skipped_ports": skipped,
        "island_sites": sites.loc[sites["island"], "site_id"].tolist(),
        "seats": counties[["county", "seat"]].assign(seat=counties["seat"].astype(str)),
    }


def _districts(plan: MunicipalityPlan, outline) -> gpd.GeoDataFrame:
    """District polygons and seats (:func:`boundaries.counties`), weighted by population and
    with the scatter sigma (km) of each district."""
    counties = boundaries.counties(plan.config, outline)
    pop = counties["county"].map(lambda cn: plan.district(cn).population_m)
    counties["weight"] = pop / pop.sum()
    km2 = counties.to_crs(counties.estimate_utm_crs()).area / 1e6
    low, high = plan.spread_range_km
    counties["sigma_km"] = np.clip(plan.spread_per_sqrt_km2 * np.sqrt(km2), low, high)
    return counties


def _sites(plan: MunicipalityPlan, counties: gpd.GeoDataFrame, outline):
    cfg = plan.config
    rng = np.random.default_rng(cfg.seed)
    where = CountyIndex(counties)
    supply = _supply_rows(plan, counties, where)
    rows = supply + real_sites.rail_rows(cfg, where)
    rows += _house_rows(plan, counties, rng) + _hospital_rows(plan, counties, rng)
    moved = []
    for row in rows:
        row["geometry"], was_moved = snap_inside(round_point(row["geometry"]), outline)
        moved += [row["site_id"]] if was_moved else []
    _assign_supplier(rows, [r for r in supply if r["kind"] != "lab"])
    link_hosted(rows)
    sites = gpd.GeoDataFrame(pd.DataFrame(rows, columns=COLUMNS), crs="EPSG:4326")
    sites["island"] = island_flags(cfg, sites.geometry, outline)
    return sites, moved


def _supply_rows(plan: MunicipalityPlan, counties: gpd.GeoDataFrame, where) -> list[dict]:
    """The centre, its NAT lab (at the centre: every sample goes there) and the branches."""
    cfg = plan.config
    c = cfg.center
    centre = Point(c.lon, c.lat)
    county = where.locate(centre)[1]
    lab_id = f"lab_{cfg.name}"
    rows = [
        site_row(c.site_id, "blood_center", c.name, centre, not c.cited, city=c.city,
                 county=county, lab_id=lab_id),
        site_row(lab_id, "lab", f"{c.name} NAT Laboratory", centre, False, city=c.city,
                 county=county),
    ]  # fmt: skip
    seats = dict(zip(counties["county"], counties["seat"], strict=True))
    for cn in plan.station_districts:
        d = plan.district(cn)
        rows.append(
            site_row(f"bs_{d.key}", "blood_station", f"{d.name} Blood Station", seats[cn], True,
                     city=c.city, county=cn, lab_id=lab_id)
        )  # fmt: skip
    return rows


def _house_rows(plan: MunicipalityPlan, counties: gpd.GeoDataFrame, rng) -> list[dict]:
    cfg = plan.config
    fixed = plan.houses_by_district
    free = counties[~counties["county"].isin(list(fixed))]
    shared = largest_remainder(list(free["weight"]), cfg.donation_houses - sum(fixed.values()), 1)
    per = dict(zip(free["county"], shared, strict=True)) | fixed
    named = cfg.named_donation_houses
    rows = []
    for _, c in counties.iterrows():
        d = plan.district(c["county"])
        for i in range(per[c["county"]]):
            site_id = f"dh_{d.key}_{i + 1:02d}"
            name, p = f"{d.name} Donation House {i + 1:02d}", None
            if site_id in named:
                name, (lat, lon) = named[site_id][0], named[site_id][1]
                p = Point(lon, lat)
            p = p or jitter_within(rng, c["seat"], c["sigma_km"], c["area"])
            lo, hi = cfg.donation_beds
            beds = int(rng.integers(lo, hi + 1))
            rows.append(site_row(site_id, "donation_house", name, p, True, city=cfg.center.city,
                                 county=c["county"], beds=beds))  # fmt: skip
    return rows


def _hospital_rows(plan: MunicipalityPlan, counties: gpd.GeoDataFrame, rng) -> list[dict]:
    """Tertiary, secondary (own bank) and hosted hospitals, shared by population (at least one
    tertiary and one secondary per district), numbered per district."""
    weights = list(counties["weight"])
    share = {
        "tertiary": largest_remainder(weights, plan.counts["tertiary"], 1),
        "secondary": largest_remainder(weights, plan.counts["secondary"], 1),
        "hosted": largest_remainder(weights, plan.counts["hosted"]),
    }
    rows = []
    for i, (_, c) in enumerate(counties.iterrows()):
        d = plan.district(c["county"])
        for kind in ("tertiary", "secondary", "hosted"):
            for k in range(share[kind][i]):
                num = sum(r["county"] == d.cn for r in rows) + 1
                rows.append(_hospital(plan, d, c, kind, k + 1, num, rng))
    return rows


def _hospital(plan: MunicipalityPlan, d: District, c: pd.Series, kind: str, k: int, num: int, rng):
    p = jitter_within(rng, c["seat"], c["sigma_km"], c["area"])
    lo, hi = plan.beds[kind]
    label = {"tertiary": "Tertiary Hospital", "secondary": "District Hospital",
             "hosted": "Community Hospital"}[kind]  # fmt: skip
    row = site_row(
        f"h_{d.key}_{num:03d}", "hospital", f"{d.name} {label} {k:02d}", p, True,
        city=plan.config.center.city, county=d.cn,
        tier="tertiary" if kind == "tertiary" else "secondary",
        beds=int(rng.integers(lo, hi + 1)) // 10 * 10,
    )  # fmt: skip
    row[HOSTED_COLUMN] = kind == "hosted"  # replaced by the host's id in link_hosted
    return row


def _assign_supplier(rows: list[dict], supply: list[dict]) -> None:
    """``station_id`` of hospitals and donation houses: the nearest supply site in a straight
    line (ties to the earlier site: the centre first)."""
    for row in rows:
        if row["kind"] in ("hospital", "donation_house"):
            p = row["geometry"]
            row["station_id"] = min(supply, key=lambda s: haversine_km(p, s["geometry"]))["site_id"]


def _typed(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    sites["beds"] = sites["beds"].astype("Int64")
    sites["synthetic"] = sites["synthetic"].astype(bool)
    sites["island"] = sites["island"].astype(bool)
    sites[HOSTED_COLUMN] = sites[HOSTED_COLUMN].where(sites[HOSTED_COLUMN].notna(), None)
    return sites
