"""Hospitals supplied through a host's blood bank (挂靠): which ones, and the host's times.

In Shanghai 55 hospitals run transfusion through an affiliated hospital's blood bank rather
than their own (seeds.md, Shanghai); Enshi's county hospitals in Hubei have no separate
transfusion department (seeds.md, Hubei). A hospital's host is its ``supplied_via`` site
attribute: a column of the region's sites, overridden per hospital in the scenario::

    sites:
      overrides:
        h_enshi_009: {supplied_via: h_enshi_001}   # hosted by the prefecture's hospital
        h_x: {supplied_via: null}                  # what if h_x had its own service?
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from pydantic import Field

from sim.scenario.base import Number, PlainText, Section
from sim.scenario.problems import Problem, short

MAX_FRIDGE_U = 20  # an emergency fridge holds "a few units" (a whole rack is ~20 bags)


class SiteOverride(Section):
    """Attributes of one region site that the scenario changes."""

    supplied_via: PlainText | None = Field(
        None,
        description="site_id of the hospital whose blood bank supplies this hospital "
        "(null: its own transfusion service)",
    )


class Sites(Section):
    """Per-site changes to the region's sites, by site_id."""

    overrides: dict[PlainText, SiteOverride] = Field(default_factory=dict, max_length=10_000)


class Crossmatch(Section):
    """Minutes from a hosted hospital's request to the units leaving the host's bank.

    Emergency: uncrossmatched group-specific or group O release, 15 min (Augusta Health
    test catalogue, "Emergency, uncrossmatched: 15 minutes",
    https://augustahealth.testcatalog.org/show/Emer-Trans; Legacy Health "Group O
    (uncrossmatched blood) 15 minutes"). Urgent: a full serological crossmatch, about 40 min
    from the sample (Gloucestershire Hospitals NHS, crossmatching page,
    https://www.gloshospitals.nhs.uk/our-services/services-we-offer/pathology/tests-and-investigations/crossmatching/).
    Routine: 2 hours (Western Cape Blood Service turnaround times, "Routine crossmatch 2
    hours", https://www.wcbs.org.za/2022/07/20/find-the-wcbs-blood-bank-turnaround-times-here/).
    """

    emergency: Number = Field(15.0, ge=0, le=1440, description="minutes")
    urgent: Number = Field(40.0, ge=0, le=1440, description="minutes")
    routine: Number = Field(120.0, ge=0, le=1440, description="minutes")


class Hosting(Section):
    """How a host's blood bank serves the hospitals it hosts.

    The host keeps their stock (its order-up-to level adds theirs), crossmatches each
    request and sends the units by its own courier over the road; the courier is assumed
    always available (a car of the host's, not the station's van pool).
    """

    crossmatch_min: Crossmatch = Crossmatch()
    # Signing the units out and packing the cooler, as the station's packing time
    # (escalation.packing_min: first cooler within 15 min, ACS-TQIP, facts 8); assumed.
    handover_min: Number = Field(10.0, ge=0, le=1440, description="minutes at the host")
    # When the host's shelf cannot fill a request, the station sends the units straight to
    # the hosted hospital (true) or to the host, which crossmatches and sends them on (false).
    station_direct: bool = False
    # Uncrossmatched group O red cells kept at the hosted hospital for emergencies, refilled
    # by the host each morning (an "emergency O issue fridge" of 4 O RhD- units is kept in
    # a hospital lab, HSE Waterford turnaround times,
    # https://hse.ie/eng/services/list/3/acutehospitals/hospitals/waterford/laboratoryservices/turnaround-times.html);
    # off by default: a hosted hospital has no blood bank of its own.
    fridge_o_pos_u: Number = Field(0.0, ge=0, le=MAX_FRIDGE_U, description="O RhD+ units")
    fridge_o_neg_u: Number = Field(0.0, ge=0, le=MAX_FRIDGE_U, description="O RhD- units")


def supplied_via(sites: pd.DataFrame, overrides: Sites) -> dict[str, str]:
    """Host of each hosted hospital, by site_id: the region's ``supplied_via`` column with
    the scenario's overrides applied (a null override removes the host)."""
    hosts = {}
    if "supplied_via" in sites:
        for site, host in zip(sites["site_id"], sites["supplied_via"], strict=True):
            if isinstance(host, str) and host.strip():
                hosts[str(site)] = host
    for site, change in overrides.overrides.items():
        if "supplied_via" in change.model_fields_set:
            hosts.pop(site, None)
            if change.supplied_via is not None:
                hosts[site] = change.supplied_via
    return hosts


def hosting_problems(scenario: object, region: object) -> Iterator[Problem]:
    """Overrides name hospitals; each host is a hospital with its own blood bank (not
    hosted itself: no chains, hence no cycles), not the hospital itself."""
    kinds = dict(zip(region.sites["site_id"], region.sites["kind"], strict=True))
    for site in scenario.sites.overrides:
        if kinds.get(site) != "hospital":
            found = kinds.get(site, "no such site")
            yield Problem(
                f"sites.overrides.{_key(site)}", f"is {found}", "the site_id of a hospital"
            )
    hosts = supplied_via(region.sites, scenario.sites)
    for site, host in hosts.items():
        if site in scenario.sites.overrides and kinds.get(site) != "hospital":
            continue  # reported above
        wrong = _host_problem(kinds, hosts, site, host)
        if wrong:
            expected = "the site_id of a hospital with its own blood bank"
            yield Problem(_where(scenario, site), wrong, expected)


def _where(scenario: object, site: str) -> str:
    if site in scenario.sites.overrides:
        return f"sites.overrides.{_key(site)}.supplied_via"
    return f"region sites.{_key(site)}.supplied_via"


def _key(site: str) -> str:
    """A site id as a field path part (cut short, unquoted)."""
    return short(site).strip("'\"")


def _host_problem(kinds: dict, hosts: dict[str, str], site: str, host: str) -> str:
    if kinds.get(site) != "hospital":
        return f"{short(site)} is {kinds.get(site, 'no such site')}, not a hospital"
    if host == site:
        return f"{short(host)} is the hospital itself"
    if kinds.get(host) != "hospital":
        return f"{short(host)} is {kinds.get(host, 'no such site')}"
    if host in hosts:
        return f"{short(host)} is itself supplied via {short(hosts[host])} (a chain)"
    return ""
