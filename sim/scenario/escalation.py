"""Four-level emergency supply: hospital stock, its city station, the provincial blood
center (and other stations), other provinces."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import Number, Section


class Escalation(Section):
    """How far an urgent order may escalate and how fast outside help arrives.

    Hubei both received and sent blood across provinces: 134 shipments, about 40,000 U,
    to 17 provinces (seeds.md), i.e. ~300 U a shipment.
    """

    external_enabled: bool = True
    # Within China any province is a day away by road or air; a month is beyond that.
    external_lead_time_h: Number = Field(
        8.0,
        gt=0,
        le=720,
        description="order to arrival at the provincial blood center, hours (assumed)",
    )
    # Hubei sent ~40,000 U in all (seeds.md); China collects ~80,000 U a day (facts 4.1).
    external_volume_u_per_day: Number = Field(
        2000.0, ge=0, le=100_000, description="units other provinces can send per day (assumed)"
    )
    # Emergency release of uncrossmatched group O red cells; O RhD+ to RhD- patients when no
    # O RhD- is at hand (acceptable for males and older females, facts 2.3).
    emergency_o_release: bool = True
    # Other stations and hospitals farther than this by road are not asked for urgent units
    # (the Hangzhou-Wenzhou emergency run took under 3 h 45 min at night, facts 9).
    # Two days by road crosses any province.
    max_source_min: Number = Field(240.0, gt=0, le=2880, description="road minutes, off-peak")
    # Picking and packing at the source before a van or drone leaves; urgent orders for the
    # same hospital placed meanwhile travel in the same box (first cooler within 15 min of
    # activation is the ACS-TQIP target, facts 8).
    packing_min: Number = Field(
        10.0, ge=0, le=1440, description="minutes from order to departure (at most a day)"
    )
