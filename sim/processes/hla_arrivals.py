"""HLA-matched platelet requests arriving at random: refractory patients' first requests to the
provincial gene bank (``rare_blood.hla_requests_per_week``), besides a scenario's scheduled
``hla_platelet_request`` events, so that a baseline year measures the same-day share.

Each request is one patient needing one matched dose within 24 h (as the drill's events), at a
tertiary hospital drawn by beds (haematology wards are at tertiary hospitals: assumed), of a
blood group drawn from the population's shares. What happens next is the scheduled request's
process (:mod:`sim.processes.rare`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime, timedelta

import numpy as np

from sim.core.domain import ABO, MINUTES_PER_DAY, RhD
from sim.scenario.events import HlaPlateletRequest
from sim.state.world import World

#: Serves one request: ``(world, request, rng)`` -> SimPy process body.
Serve = Callable[[World, HlaPlateletRequest, np.random.Generator], Generator]

WINDOW = timedelta(hours=24)  # required within a day of the request (as the drill's events)


def hla_arrivals(world: World, serve: Serve) -> Generator:
    """SimPy process: start ``serve`` for each request arriving (Poisson process at
    ``rare_blood.hla_requests_per_week``) before the horizon; nothing at rate 0 or without
    tertiary hospitals."""
    per_week = world.scenario.rare_blood.hla_requests_per_week
    hospitals = np.flatnonzero((world.sites.tiers == "tertiary") & (world.sites.beds > 0))
    if per_week <= 0 or not len(hospitals):
        return
    rng = world.streams.get("hla_arrivals")
    weights = world.sites.beds[hospitals] / world.sites.beds[hospitals].sum()
    mean_gap = 7 * MINUTES_PER_DAY / per_week
    number = 0
    while (at := world.env.now + rng.exponential(mean_gap)) < world.horizon_min:
        yield world.env.timeout(at - world.env.now)
        request = _request(world, rng, int(rng.choice(hospitals, p=weights)), number)
        world.env.process(serve(world, request, world.streams.get("hla_recurring", number)))
        number += 1


def _request(world: World, rng: np.random.Generator, hospital: int, number: int):
    """The request of patient ``number`` at ``hospital``, now."""
    abo, rhd = world.groups.codes[int(rng.choice(len(world.groups.shares), p=world.groups.shares))]
    start = datetime.combine(world.calendar.start, datetime.min.time())
    start += timedelta(minutes=world.env.now)
    return HlaPlateletRequest(
        type="hla_platelet_request",
        name=f"refractory patient {number + 1}",
        start=start,
        end=start + WINDOW,
        hospital_id=world.site_id(hospital),
        abo=ABO(abo).name,
        rhd="+" if rhd == RhD.POS else "-",
        doses=1,
    )
