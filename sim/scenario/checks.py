"""Cross-field checks that need more than one field, or the region, to decide."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from shapely.geometry import Point, Polygon

from sim.core.registry import policy_names as registered_policy_names
from sim.scenario.drone_route_checks import routine_route_problems
from sim.scenario.events import (
    RECEIVING_TIERS,
    DonorChange,
    HlaPlateletRequest,
    MassCasualty,
    RareRequest,
    RoadClosure,
    SiteOutage,
)
from sim.scenario.hosting import hosting_problems
from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, short
from sim.scenario.region_checks import region_factor_problems

SHARE_TOLERANCE = 1e-3  # shares must sum to 1 within this
# Donation sizes are drawn with the mix as written (numpy.random.Generator.choice allows
# ~1.5e-8), unlike the ABO shares, which are renormalised: the mix must add up exactly.
MIX_TOLERANCE = 1e-9
REQUIRED_PRODUCTS = ("RBC", "PLT", "FFP", "CRYO")
PRODUCT_NAMES = (*REQUIRED_PRODUCTS, "FRBC")

Check = Callable[[Scenario, object], Iterator[Problem]]


def run_checks(
    scenario: Scenario,
    region: object,
    policy_names: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """All cross-field problems of ``scenario`` against its loaded ``region`` and the known
    ``policy_names`` by role (default: the names registered in ``sim.core.registry``)."""
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(scenario, region))
    names = registered_policy_names() if policy_names is None else policy_names
    problems.extend(_policies(scenario, names))
    return problems


def _shares(scenario: Scenario, _region: object) -> Iterator[Problem]:
    abo = scenario.blood_groups.abo
    total = abo.O + abo.A + abo.B + abo.AB
    if abs(total - 1) > SHARE_TOLERANCE:
        yield Problem("blood_groups.abo", f"shares sum to {total:.4f}", "a sum of 1")
    total = sum(scenario.supply.donation_size_mix.values())
    if abs(total - 1) > MIX_TOLERANCE:
        yield Problem(
            "supply.donation_size_mix", f"shares sum to {total:.10g}", "a sum of exactly 1"
        )


def _horizon_warmup(scenario: Scenario, _region: object) -> Iterator[Problem]:
    if scenario.warmup_days >= scenario.days:
        yield Problem(
            "warmup_days",
            f"{scenario.warmup_days} is not below days {scenario.days}",
            "a warm-up shorter than the horizon",
        )


def road_graph_path(scenario: Scenario, scenario_file: Path) -> Path | None:
    """The road graph file of a scenario, resolved relative to the scenario file."""
    if scenario.road_graph is None:
        return None
    return (scenario_file.parent / scenario.road_graph).resolve()


def _products(scenario: Scenario, _region: object) -> Iterator[Problem]:
    for name in REQUIRED_PRODUCTS:
        if name not in scenario.products:
            yield Problem(
                f"products.{name}", "missing", f"every one of {', '.join(REQUIRED_PRODUCTS)}"
            )
    for name, spec in scenario.products.items():
        if spec.shelf_life_days * 24 <= spec.max_transit_h:
            yield Problem(
                f"products.{name}.max_transit_h",
                f"{spec.max_transit_h} h is not shorter than the shelf life "
                f"({spec.shelf_life_days * 24:g} h)",
                "a transit limit shorter than the shelf life",
            )
    for name in scenario.processing.component_discard_rate:
        if name not in PRODUCT_NAMES:
            yield Problem(
                f"processing.component_discard_rate.{name}",
                "unknown product",
                f"one of {', '.join(PRODUCT_NAMES)}",
            )


def _sites(scenario: Scenario, region: object) -> Iterator[Problem]:
    houses = scenario.supply.donation_houses
    if houses != "all":
        yield from _site_refs(region, houses, "supply.donation_houses", ("donation_house",))
    for i, event in enumerate(scenario.events):
        if isinstance(event, SiteOutage):
            kinds = ("lab",) if event.type == "lab_outage" else ("blood_station", "blood_center")
            yield from _site_refs(region, [event.site_id], f"events.{i}.site_id", kinds)
        if isinstance(event, RareRequest | HlaPlateletRequest):
            yield from _site_refs(
                region, [event.hospital_id], f"events.{i}.hospital_id", ("hospital",)
            )
        if isinstance(event, DonorChange) and event.sites != "all":
            yield from _site_refs(region, event.sites, f"events.{i}.sites", ("donation_house",))


def _site_refs(
    region: object, ids: list[str], path: str, kinds: tuple[str, ...]
) -> Iterator[Problem]:
    sites = region.sites.set_index("site_id")["kind"]
    for site_id in ids:
        if site_id not in sites.index:
            yield Problem(
                path,
                f"site {short(site_id)} is not in the region",
                f"a site id of kind {'/'.join(kinds)}",
            )
        elif sites[site_id] not in kinds:
            yield Problem(
                path,
                f"site {short(site_id)} is a {sites[site_id]}",
                f"a site of kind {'/'.join(kinds)}",
            )


def _geometry(scenario: Scenario, region: object) -> Iterator[Problem]:
    outline = region.outline
    for i, event in enumerate(scenario.events):
        if isinstance(event, MassCasualty) and not outline.covers(Point(event.lon, event.lat)):
            yield Problem(
                f"events.{i}",
                f"location ({event.lat}, {event.lon}) is outside the region",
                f"a lat/lon inside {region.name}",
            )
        if isinstance(event, RoadClosure) and not outline.intersects(Polygon(event.polygon)):
            yield Problem(
                f"events.{i}.polygon",
                "the polygon does not touch the region",
                f"[lon, lat] vertices over {region.name}",
            )


def _receiving_hospitals(scenario: Scenario, region: object) -> Iterator[Problem]:
    """A mass-casualty incident needs hospitals that receive casualties (by their beds)."""
    sites = region.sites
    receiving = (sites["kind"] == "hospital") & sites["tier"].isin(RECEIVING_TIERS)
    beds = sites.loc[receiving, "beds"] if "beds" in sites else sites.loc[receiving, "kind"] * 0
    if beds.fillna(0).sum() > 0:
        return
    for i, event in enumerate(scenario.events):
        if isinstance(event, MassCasualty):
            yield Problem(
                f"events.{i}",
                "the region has no tertiary or secondary hospital with beds to receive casualties",
                "a region with such hospitals, or no mass_casualty event",
            )


def _horizon(scenario: Scenario, _region: object) -> Iterator[Problem]:
    begin = datetime.combine(scenario.start, datetime.min.time())
    end = begin + timedelta(days=scenario.days)
    for i, event in enumerate(scenario.events):
        if event.start >= end or event.end <= begin:
            yield Problem(
                f"events.{i}.start",
                f"{event.start:%Y-%m-%d %H:%M} to {event.end:%Y-%m-%d %H:%M} "
                "lies outside the horizon",
                f"an event overlapping {begin:%Y-%m-%d} to {end:%Y-%m-%d}",
            )


def _tiers(scenario: Scenario, region: object) -> Iterator[Problem]:
    hospitals = region.sites[region.sites["kind"] == "hospital"]
    tiers = hospitals["tier"].fillna("(none)").astype(str)
    for tier in sorted(set(tiers) - set(scenario.demand.per_100_beds)):
        yield Problem(
            "demand.per_100_beds",
            f"no rates for hospital tier {short(tier)}",
            "a tier of tertiary, secondary or county on every hospital of the region",
        )


def _links(scenario: Scenario, region: object) -> Iterator[Problem]:
    """Every hospital and donation house needs a station; every station a lab."""
    sites = region.sites
    needs = {
        "hospital": "station_id",
        "donation_house": "station_id",
        "blood_station": "lab_id",
        "blood_center": "lab_id",
    }
    for kind, column in needs.items():
        rows = sites[sites["kind"] == kind]
        missing = rows[rows[column].isna()] if column in rows else rows
        for site_id in missing["site_id"].head(3):
            yield Problem(
                "region",
                f"{kind} {short(site_id)} has no {column}",
                f"a {column} on every {kind} of the region",
            )
    if not (sites["kind"] == "hospital").any():
        yield Problem("region", "the region has no hospital", "at least one hospital")


def _policies(scenario: Scenario, known: Mapping[str, Collection[str]]) -> Iterator[Problem]:
    for role, name in scenario.policies.model_dump().items():
        names = sorted(known.get(role, ()))
        if name not in names:
            yield Problem(
                f"policies.{role}", f"unknown policy {short(name)}", f"one of: {', '.join(names)}"
            )


CHECKS: tuple[Check, ...] = (
    _links,
    _shares,
    _horizon_warmup,
    _products,
    _sites,
    _geometry,
    _horizon,
    _receiving_hospitals,
    _tiers,
    routine_route_problems,
    hosting_problems,
    region_factor_problems,
)
