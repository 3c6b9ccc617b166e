"""Checks of the settings for regions run together against the loaded region."""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, short

REGION_COLUMN = "region"  # the site column of a combined region (geodata.combined)


def region_factor_problems(scenario: Scenario, region: object) -> Iterator[Problem]:
    """A problem for each ``demand.region_factor`` key that is not a member region."""
    factors = scenario.demand.region_factor
    sites = getattr(region, "sites", None)
    members = set() if sites is None or REGION_COLUMN not in sites else set(sites[REGION_COLUMN])
    for name in factors:
        if name not in members:
            known = ", ".join(sorted(members)) or "none: the region is not a combined one"
            yield Problem(
                "demand.region_factor",
                f"{short(name)} is not a member region",
                f"a member region of {getattr(region, 'name', 'the region')} ({known})",
            )
