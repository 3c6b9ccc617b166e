"""County blood banks (中心血库): which counties get one, and their site rows.

A bank sits at its county's People's Hospital (same position, ``host_site_id``) and is supplied
by that hospital's city station. The named counties get a bank first; the rest go to the
counties whose People's Hospital is farthest in straight line from its station. Rows keep the
order of their host hospitals, and the build appends them after every other site, so adding
them moves no other site and draws no random number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from geodata.build.config import CountyBankPlan, ProvinceConfig
from geodata.build.geometry import haversine_km
from geodata.build.rows import site_row
from geodata.errors import fail
from geodata.kinds import COUNTY_BANK_KIND


def bank_rows(cfg: ProvinceConfig, sites: pd.DataFrame) -> list[dict]:
    """Site rows of the county blood banks of ``cfg.county_banks`` (none when it is None).

    ``sites`` holds the generated sites (hospitals and stations at least, with ``island``).
    Raises :class:`~geodata.errors.GeodataError` naming the config field when the plan does
    not fit the sites (unknown named county, too few counties, a chosen county with no id).
    """
    plan = cfg.county_banks
    if plan is None:
        return []
    hosts = host_hospitals(sites, plan.host_name)
    _check_hosts(cfg, hosts)
    distance = dict(zip(hosts["county"], _station_km(hosts, sites), strict=True))
    chosen = set(_choose(cfg, plan, distance))
    return [_row(plan, h) for _, h in hosts.iterrows() if h["county"] in chosen]


def host_hospitals(sites: pd.DataFrame, host_name: str) -> pd.DataFrame:
    """The county-tier hospitals named ``"<county> <host_name>"``, in site order."""
    county = sites["tier"] == "county"
    named = sites["name"] == sites["county"] + " " + host_name
    return sites[county & named]


def choose_counties(distance_km: Mapping[str, float], named: Sequence[str], total: int) -> list:
    """``named`` first, then the other counties by decreasing distance, ``total`` in all.

    ``distance_km`` maps each candidate county to its host's straight-line distance from its
    station, km; ties keep the mapping's order.
    """
    rest = sorted((c for c in distance_km if c not in named), key=lambda c: -distance_km[c])
    return list(named) + rest[: total - len(named)]


def _choose(cfg: ProvinceConfig, plan: CountyBankPlan, distance: dict[str, float]) -> list:
    source = f"geodata/build/{cfg.name}.py"
    unknown = [c for c in plan.named if c not in distance]
    if unknown:
        expected = f"counties with a county-tier {plan.host_name!r}, got unknown {unknown}"
        raise fail(source, "county_banks.named", expected)
    if not len(plan.named) <= plan.total <= len(distance):
        expected = f"between {len(plan.named)} (named) and {len(distance)} (counties with a host)"
        raise fail(source, "county_banks.total", f"{expected}, got {plan.total}")
    chosen = choose_counties(distance, plan.named, plan.total)
    missing = [c for c in chosen if c not in plan.ids]
    if missing:
        raise fail(source, "county_banks.ids", f"an id fragment for every chosen county: {missing}")
    return chosen


def _check_hosts(cfg: ProvinceConfig, hosts: pd.DataFrame) -> None:
    twice = sorted(set(hosts.loc[hosts["county"].duplicated(), "county"]))
    if twice:
        expected = f"one host hospital per county, got several in {twice}"
        raise fail(f"geodata/build/{cfg.name}.py", "county_banks.host_name", expected)


def _station_km(hosts: pd.DataFrame, sites: pd.DataFrame) -> list[float]:
    """Straight-line distance of each host from its station, km."""
    at = dict(zip(sites["site_id"], sites["geometry"], strict=True))
    return [haversine_km(h["geometry"], at[h["station_id"]]) for _, h in hosts.iterrows()]


def _row(plan: CountyBankPlan, host: pd.Series) -> dict:
    return site_row(
        f"cbb_{plan.ids[host['county']]}",
        COUNTY_BANK_KIND,
        f"{host['county']} County Blood Bank",
        host["geometry"],
        True,
        city=host["city"],
        county=host["county"],
        station_id=host["station_id"],
        host_site_id=host["site_id"],
        island=bool(host["island"]),
    )
