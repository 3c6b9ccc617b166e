"""Four-level emergency supply: hospital stock, its local blood establishments (the county
blood bank, then the city station), the provincial blood center (and other stations),
other provinces."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import Count, Number, Section
from sim.scenario.inventory import CoverDays


def _bank_days() -> CoverDays:
    # Red cells: the 3-day "warning line" of its county's use (Yichang, facts 4.5). Plasma
    # and cryo keep a year frozen (facts 1.3), so the hospitals' 5-day target costs no
    # outdating. Platelets (5-day life) stay at the city station: no source says county
    # banks hold them (searched, docs/calibration.md "lead", with what 1 or 3 days buy).
    return CoverDays(RBC=3, PLT=0, FFP=5, CRYO=5)


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
    # Regions run together (e.g. yangtze_delta): level 4 asks the neighbouring region's
    # centre and stations (above their safety stock) before other provinces; Shanghai and
    # Zhejiang are an hour apart by high-speed rail (facts 6.2). No effect on one region.
    mutual_aid: bool = Field(True, description="neighbouring regions give urgent units")
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
    # County blood banks (中心血库, sites of kind county_blood_bank): the first source of
    # urgent and emergency units for the hospitals of their county, before the city station
    # (level 2 of the four levels: the local blood establishments). A bank sits in a county
    # hospital and serves a radius of about 60 km (Chinese blood-station setting standard,
    # http://m.med66.com/caigongxuejigougangwei/zh2009167653.shtml).
    county_banks: bool = Field(True, description="use the region's county blood banks")
    county_bank_days: CoverDays = Field(
        default_factory=_bank_days,
        description="order-up-to stock of a county bank, days of its county's mean demand",
    )
    # Rotation: each morning a bank sends units that are getting old to its county's
    # hospitals as part of their routine order (they would outdate in a reserve that only
    # emergencies draw on); the hospitals order that much less from the station. 14 days
    # left: the bank keeps the fresher part of the 35-day red-cell life (facts 1.3), the
    # hospital still has ~4 times its 3-day cover (assumed; 0 turns rotation off).
    county_bank_rotate_days: Number = Field(
        14.0, ge=0, le=365, description="days of shelf life left when a unit rotates out"
    )
    # A bank's own vehicles for runs of a few km to its county's hospitals (assumed: one on
    # the road and one at hand; 20 covers any county).
    county_bank_vans: Count = Field(2, ge=1, le=20, description="vehicles per county bank")
