"""Rare and matched blood: antigen profiles, the frozen rare-blood bank, HLA platelets."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.base import Count, Number, Section, Share

Antigen = Literal["C", "c", "E", "e", "Jka", "Jkb", "K"]
ANTIGENS: tuple[str, ...] = ("C", "c", "E", "e", "Jka", "Jkb", "K")


def _negative_shares() -> dict[str, float]:
    # Share of donors NEGATIVE for each antigen (assumed, no public Zhejiang source). They
    # are calibrated so that a unit is C-, e- and Jkb- together with about 1 % probability,
    # the figure of the Wuhan anti-Ce + anti-Jkb case (seeds.md: 1 in 120 group B units).
    return {"C": 0.15, "c": 0.20, "E": 0.45, "e": 0.22, "Jka": 0.25, "Jkb": 0.30, "K": 0.99}


class RareBlood(Section):
    """Antigen typing of donations and the special supply of rare and matched units."""

    antigen_negative_share: dict[Antigen, Share] = Field(default_factory=_negative_shares)
    # About 300 rare-type donors' blood stored frozen at the provincial centre (seeds.md);
    # 100,000 frozen units would be a national bank (every unit is a ledger row).
    frozen_units: Count = Field(300, ge=0, le=100_000)
    # Thaw and deglycerolise 1-2 h per unit (facts 1.3, UNVERIFIED); 24 h at 4 C after, up
    # to 14 days in a closed system (Lecak 2004, facts 1.3).
    thaw_min: Number = Field(90.0, ge=0, le=1440)
    thawed_life_h: Number = Field(24.0, gt=0, le=336)
    # HLA-matched platelets: the same-day share (~62 %, seeds.md) emerges from the shelf, the
    # gene bank's donors and testing (sim.processes.hla); it is measured, not an input.
    # Refractory patients' first requests to the gene bank arrive at random (Poisson) at this
    # rate, besides the scenario's hla_platelet_request events; 0 = only those events.
    # 10,000 a week would be every platelet patient of a province.
    hla_requests_per_week: Number = Field(0.0, ge=0, le=10_000)
