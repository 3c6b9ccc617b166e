"""Inventory policies: days of cover targets and safety levels."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.base import Number, Section, number
from sim.scenario.demand import TierName

# Stations aim at 7-10 days of red cells and weeks of plasma (facts 4.5); a year of cover
# is more than any blood bank holds (plasma keeps one year, facts 1.3).
ClockHour = number(ge=0, le=24)  # opening or closing time, hours
Days = number(ge=0, le=365)
# Emergency group O red cells on a hospital shelf: a first massive-transfusion cooler holds
# 6 U (PROPPR, facts 8); 50 U is more than any emergency fridge holds.
EmergencyUnits = number(ge=0, le=50)


class CoverDays(Section):
    """Days of cover by product (mean daily use multiples)."""

    RBC: Days
    PLT: Days
    FFP: Days
    CRYO: Days


class StockPolicy(Section):
    """Order-up-to target and safety level, in days of mean demand."""

    target_days: CoverDays
    safety_days: CoverDays
    review_hour: Number = Field(
        7.0,
        ge=0,
        lt=24,
        description="daily review, hour of day (hospitals; stations are "
        "supplied by collection and rebalancing)",
    )
    # Hospital blood banks receive routine deliveries in these hours (assumed); read by the
    # vrp routing policy (hospitals only).
    receiving_hours: tuple[ClockHour, ClockHour] = (8.0, 20.0)

    @model_validator(mode="after")
    def _safety_below_target(self) -> StockPolicy:
        if not 0 <= self.receiving_hours[0] < self.receiving_hours[1] <= 24:
            raise ValueError(
                f"receiving_hours {list(self.receiving_hours)} are not valid "
                "([open, close) hours with 0 <= open < close <= 24)"
            )
        for product in ("RBC", "PLT", "FFP", "CRYO"):
            if getattr(self.safety_days, product) > getattr(self.target_days, product):
                raise ValueError(
                    f"safety_days.{product} is above target_days.{product} (at most the target)"
                )
        return self


def _hospital() -> StockPolicy:
    # Hospital blood banks: a few days of RBC, platelets short because of the 5-day life
    # (assumed; the 3-day "warning line" is from Yichang and the Philippines DOH, facts 4.5).
    return StockPolicy(
        target_days=CoverDays(RBC=3, PLT=1.5, FFP=5, CRYO=5),
        safety_days=CoverDays(RBC=1, PLT=0.5, FFP=2, CRYO=2),
    )


def _station() -> StockPolicy:
    # Blood stations: target 7 days, alert below 3 (China 7-10 day target UNVERIFIED,
    # facts 4.5).
    return StockPolicy(
        target_days=CoverDays(RBC=7, PLT=3, FFP=30, CRYO=30),
        safety_days=CoverDays(RBC=3, PLT=1, FFP=7, CRYO=7),
        review_hour=6.0,
    )


def _emergency_o_pos() -> dict[str, float]:
    # 4 U of O RhD+ at hospitals below tertiary: uncrossmatched O RhD+ is acceptable for
    # most emergency patients where RhD- is rare (facts 2.2, 2.3); 4 U is under the 6 U of a
    # first massive-transfusion cooler (facts 8) and under the ~9 emergency O units per
    # hospital held in South West England (443 O RhD- units in 21 hospitals, 44 % as
    # emergency units; Page et al., Transfus Med 2014, https://www.mendeley.com/catalogue/
    # 0b348c66-2752-358a-833a-18ad3cca7a63/). Tertiary hospitals hold days of O anyway.
    return {"tertiary": 0.0, "secondary": 4.0, "county": 4.0}


def _emergency_o_neg() -> dict[str, float]:
    # No O RhD- floor by default: 0.3-0.4 % of Han donors are RhD- (facts 2.2), so a few
    # units per hospital would mostly outdate; RhD- patients are ordered for (assumed).
    return {"tertiary": 0.0, "secondary": 0.0, "county": 0.0}


class EmergencyO(Section):
    """Group O red cells every hospital of a tier keeps on its shelf at least (U).

    A floor on the hospital's order-up-to target for O RhD+ / O RhD- red cells, replenished
    at the daily review like any stock, so that an emergency whose own group has run out
    can be given group O at once (red-cell rule) instead of waiting for a delivery.
    """

    rhd_pos_u: dict[TierName, EmergencyUnits] = Field(default_factory=_emergency_o_pos)
    rhd_neg_u: dict[TierName, EmergencyUnits] = Field(default_factory=_emergency_o_neg)


# Crossmatched red cells not transfused, per unit transfused (the C:T ratio less 1): 5 is
# more than the worst decile of 1,639 hospitals (>= 2.4, CAP Q-Probes, Novis et al. 2002).
CtRatio = number(ge=1, le=5)
HoldHours = number(ge=0, le=168)  # a week is longer than any reservation period found


class Crossmatch(Section):
    """Red cells crossmatched for a patient and held in the blood bank until used or released.

    Every non-emergency red-cell patient is crossmatched ahead (routine and urgent
    demand; emergencies get uncrossmatched group O or same-group units at once), each
    demand block's patients at the start of the block. For each unit transfused,
    ``ct_ratio`` units are crossmatched: the oldest units on the shelf of the patient's
    group (FEFO), of which the patients use some at random and the others are held for
    ``hold_h`` hours, then go back to the shelf at the next start of a block (or are
    disposed of as expired). Held units are not issuable stock: the hospital's order-up-to
    review does not count them (Chapman 2009: 48-h reservation periods go with more stock
    and more wastage than 24 h).
    ``ct_ratio: 1`` turns the mechanism off.
    """

    # C:T ratio 1.8-1.9 at the median of 1,639 hospitals with 12.3 M red-cell transfusions
    # (<= 1.5 at the best 10 %, >= 2.4 at the worst 10 %); the same study: red-cell
    # expiry 0.3-0.9 % at the median (Novis et al., Arch Pathol Lab Med 2002, CAP Q-Probes,
    # https://discovery.researcher.life/article/quality-indicators-of-blood-utilization-
    # three-college-of-american-pathologists-qprobes-studies-of-12288404-red-blood-cell-
    # units-in-1639-hospitals/8d0df56827ac39538409a3817815ef68). No Chinese figure found.
    ct_ratio: CtRatio = 1.8
    # 48 h: "24 to 48 hours in most institutions" (JAMA 1977;237:451,
    # https://jamanetwork.com/journals/jama/article-abstract/351048); 48 h at Homerton
    # (https://www.homerton.nhs.uk/blood-transfusion-requests/); UK hospitals use 24 or 48 h
    # (Chapman, Transfus Med 2009, https://onlinelibrary.wiley.com/doi/10.1111/
    # j.1365-3148.2009.00914.x/full).
    hold_h: HoldHours = 48.0


class Inventory(Section):
    """Stock policies for hospitals and blood stations."""

    hospital: StockPolicy = Field(default_factory=_hospital)
    station: StockPolicy = Field(default_factory=_station)
    emergency_o: EmergencyO = Field(default_factory=EmergencyO)
    crossmatch: Crossmatch = Field(default_factory=Crossmatch)
    # Red cells of every ABO group, RhD positive, a hospital of the tier keeps at least (U),
    # whatever its use: a small hospital may keep a unit or two of each group for same-day
    # patients ("our normal stock level is ... 4 B+, 2 AB+ ... most of what we outdate are
    # AB+", https://www.pathlabtalk.com/forum/index.php?/topic/3071-managing-blood-
    # inventory-for-small-hospital/); the Australian NBA advises a higher minimum where
    # there is an emergency or obstetric service (https://www.blood.gov.au/inv-mgt-
    # guideline-tip-3-set-appropriate-levels). No Chinese figure found: none by default.
    group_min_u: dict[TierName, EmergencyUnits] = Field(
        default_factory=lambda: dict.fromkeys(("tertiary", "secondary", "county"), 0.0),
        description="red cells of each ABO group (RhD+) every hospital of a tier keeps at least, U",
    )
    # A hospital using under half a unit of a group in its target days keeps none and orders
    # for the patient (assumed: no published share found; with a 5-day shelf life such stock
    # would mostly outdate, facts 1.3, 4.4); false makes that need wait for the shelf.
    patient_orders: bool = Field(
        True,
        description="routine need of a group the hospital keeps no stock of (a target under "
        "one unit) is ordered for the patient at once; false: it waits like stocked groups",
    )
