"""Blood products: shelf life, temperature bands, bag weight, compatibility rule.

Defaults are from ``reference/facts.md`` (WS 399-2012 storage, section 1.3; transport, 1.4;
bag weights, 1.5; compatibility, 2.3).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.scenario.base import Section

ProductName = Literal["RBC", "PLT", "FFP", "CRYO", "FRBC"]
RuleName = Literal["red_cell", "plasma", "identical"]


class ProductSpec(Section):
    """One component: how long it keeps and how it must travel."""

    shelf_life_days: float = Field(gt=0, description="days from collection to expiry")
    storage_c: tuple[float, float] = Field(description="storage band, degrees Celsius [low, high]")
    transport_c: tuple[float, float] = Field(
        description="transport band, degrees Celsius (informational: shippers are assumed to "
        "hold it; the simulation enforces the time limit max_transit_h, not temperatures)"
    )
    bag_kg: float = Field(gt=0, description="weight of one bag with its share of the box, kg")
    max_transit_h: float = Field(gt=0, description="longest allowed time in a shipper, hours")
    compatibility: RuleName = Field(description="substitution rule used when issuing")

    @field_validator("storage_c", "transport_c")
    @classmethod
    def _band_ordered(cls, band: tuple[float, float]) -> tuple[float, float]:
        if band[0] >= band[1]:
            raise ValueError(f"band {list(band)} is not ordered ([low, high] with low < high)")
        return band


def default_products() -> dict[str, ProductSpec]:
    """Product defaults with their sources (facts.md sections in comments)."""
    return {
        # RBC in MAP/CPDA-1: 35 days at 2-6 C (WS 399-2012, facts 1.3); transport 2-10 C,
        # at most 24 h in transit (facts 1.4); ~0.25 kg per bag with box (facts 1.5, derived);
        # red-cell rule O->all (facts 2.3).
        "RBC": ProductSpec(
            shelf_life_days=35,
            storage_c=(2, 6),
            transport_c=(2, 10),
            bag_kg=0.25,
            max_transit_h=24,
            compatibility="red_cell",
        ),
        # Apheresis platelets: 5 days at 20-24 C with agitation (WS 399-2012, facts 1.3);
        # ~0.3 kg per dose (facts 1.5); ABO-identical in China (facts 2.3).
        "PLT": ProductSpec(
            shelf_life_days=5,
            storage_c=(20, 24),
            transport_c=(20, 24),
            bag_kg=0.3,
            max_transit_h=24,
            compatibility="identical",
        ),
        # FFP: 1 year below -18 C (facts 1.3); transported at or below -20 C (facts 1.4);
        # plasma rule AB->all (facts 2.3).
        "FFP": ProductSpec(
            shelf_life_days=365,
            storage_c=(-40, -18),
            transport_c=(-40, -20),
            bag_kg=0.2,
            max_transit_h=24,
            compatibility="plasma",
        ),
        # Cryoprecipitate: 1 year below -18 C (facts 1.3).
        "CRYO": ProductSpec(
            shelf_life_days=365,
            storage_c=(-40, -18),
            transport_c=(-40, -20),
            bag_kg=0.1,
            max_transit_h=24,
            compatibility="plasma",
        ),
        # Frozen RBC (glycerol, -80 C): 10 years (Lecak 2004, facts 1.3).
        "FRBC": ProductSpec(
            shelf_life_days=3650,
            storage_c=(-90, -65),
            transport_c=(-90, -65),
            bag_kg=0.3,
            max_transit_h=24,
            compatibility="red_cell",
        ),
    }
