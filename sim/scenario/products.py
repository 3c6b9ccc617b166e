"""Blood products: shelf life, temperature bands, bag weight, compatibility rule.

Defaults are from ``reference/facts.md`` (WS 399-2012 storage, section 1.3; transport, 1.4;
bag weights, 1.5; compatibility, 2.3).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.scenario.base import Number, Section, number

ProductName = Literal["RBC", "PLT", "FFP", "CRYO", "FRBC"]
RuleName = Literal["red_cell", "plasma", "identical", "platelet_fallback"]
# Blood is kept between -196 C (liquid nitrogen) and 24 C (platelets) (facts 1.3).
Celsius = number(ge=-200, le=60)


class ProductSpec(Section):
    """One component: how long it keeps and how it must travel."""

    # Frozen red cells keep 10 years (facts 1.3); 20 years leaves headroom.
    shelf_life_days: Number = Field(gt=0, le=7300, description="days from collection to expiry")
    storage_c: tuple[Celsius, Celsius] = Field(
        description="storage band, degrees Celsius [low, high]"
    )
    transport_c: tuple[Celsius, Celsius] = Field(
        description="transport band, degrees Celsius (informational: shippers are assumed to "
        "hold it; the simulation enforces the time limit max_transit_h, not temperatures)"
    )
    # A 1 U bag weighs 0.15-0.25 kg, a platelet dose ~0.3 kg, Zipline ~0.6 kg per 450 mL
    # unit with packaging (facts 1.5); 10 kg per U is a whole drone load.
    bag_kg: Number = Field(
        gt=0,
        le=10,
        description="weight per U of bag size (1 U = 200 mL of whole blood; platelets: per "
        "dose) with its share of the box, kg; a 1.5 or 2 U bag weighs 1.5 or 2 times this",
    )
    # RBC may travel at most 24 h (facts 1.4); a passive shipper holds 30-40 h; 10 days is
    # beyond any shipper.
    max_transit_h: Number = Field(
        gt=0, le=240, description="longest allowed time in a shipper, hours"
    )
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
        # at most 24 h in transit (facts 1.4); 0.25 kg per U with its box share: a 1 U bag is
        # 0.15-0.25 kg, Zipline carries 3 units (~450 mL each, ~2.25 U) in 1.8 kg, ~0.27 kg per
        # U packed (facts 1.5, derived); red-cell rule O->all (facts 2.3).
        "RBC": ProductSpec(
            shelf_life_days=35,
            storage_c=(2, 6),
            transport_c=(2, 10),
            bag_kg=0.25,
            max_transit_h=24,
            compatibility="red_cell",
        ),
        # Apheresis platelets: 5 days at 20-24 C with agitation (WS 399-2012, facts 1.3);
        # ~0.3 kg per dose of 250-300 mL (facts 1.2, 1.5); "usually ABO-identical" in China
        # (facts 2.3), another group only when the identical one is out (sources in
        # sim/core/compatibility.py).
        "PLT": ProductSpec(
            shelf_life_days=5,
            storage_c=(20, 24),
            transport_c=(20, 24),
            bag_kg=0.3,
            max_transit_h=24,
            compatibility="platelet_fallback",
        ),
        # FFP: 1 year below -18 C (facts 1.3); transported at or below -20 C (facts 1.4);
        # plasma rule AB->all (facts 2.3). 80-100 mL per U (facts 1.2) packed like red cells
        # (0.25 kg per ~150 mL): ~0.15 kg per U (derived).
        "FFP": ProductSpec(
            shelf_life_days=365,
            storage_c=(-40, -18),
            transport_c=(-40, -20),
            bag_kg=0.15,
            max_transit_h=24,
            compatibility="plasma",
        ),
        # Cryoprecipitate: 1 year below -18 C (facts 1.3). 0.1 kg per U: assumed (facts give
        # no volume; a small bag whose weight is mostly bag and frozen-box share).
        "CRYO": ProductSpec(
            shelf_life_days=365,
            storage_c=(-40, -18),
            transport_c=(-40, -20),
            bag_kg=0.1,
            max_transit_h=24,
            compatibility="plasma",
        ),
        # Frozen RBC (glycerol, -80 C): 10 years (Lecak 2004, facts 1.3); weighed like red
        # cells, 0.25 kg per U (facts 1.5, derived; the frozen bank's bags are 2 U).
        "FRBC": ProductSpec(
            shelf_life_days=3650,
            storage_c=(-90, -65),
            transport_c=(-90, -65),
            bag_kg=0.25,
            max_transit_h=24,
            compatibility="red_cell",
        ),
    }
