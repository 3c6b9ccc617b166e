"""Blood-group shares of donors and patients (ABO x RhD)."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import Number, Section


class AboShares(Section):
    """ABO shares; they must sum to 1.

    Default: south-central China, O-rich (facts 2.1, derived from the national Heliyon 2022
    row and the Chongqing donor row): O 34 %, A 30 %, B 27 %, AB 9 %.
    """

    O: Number = Field(0.34, ge=0, le=1)  # noqa: E741 - the blood group is called O
    A: Number = Field(0.30, ge=0, le=1)
    B: Number = Field(0.27, ge=0, le=1)
    AB: Number = Field(0.09, ge=0, le=1)


class BloodGroups(Section):
    """Group shares applied to donors and to patients."""

    abo: AboShares = AboShares()
    # Han Chinese RhD-negative about 0.3-0.4 % (J Transl Med 2021, facts 2.2).
    rhd_negative: Number = Field(0.004, ge=0, le=1)
