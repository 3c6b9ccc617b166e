"""Blood-group shares as the eight ABO x RhD groups."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.domain import ABO, RhD
from sim.scenario.groups import BloodGroups


@dataclass(frozen=True)
class GroupShares:
    """Shares of the eight groups, in the order of ``codes`` ((abo, rhd) pairs)."""

    codes: tuple[tuple[int, int], ...]
    shares: np.ndarray

    @classmethod
    def from_scenario(cls, groups: BloodGroups) -> GroupShares:
        """ABO shares x RhD shares (independent), normalised to sum to 1."""
        abo = groups.abo
        abo_share = {ABO.O: abo.O, ABO.A: abo.A, ABO.B: abo.B, ABO.AB: abo.AB}
        rhd_share = {RhD.NEG: groups.rhd_negative, RhD.POS: 1.0 - groups.rhd_negative}
        codes = tuple((int(a), int(r)) for a in ABO for r in RhD)
        shares = np.array([abo_share[ABO(a)] * rhd_share[RhD(r)] for a, r in codes])
        return cls(codes, shares / shares.sum())

    def grid(self) -> np.ndarray:
        """Shares as a (4, 2) array indexed [abo, rhd]."""
        out = np.zeros((4, 2))
        for (a, r), share in zip(self.codes, self.shares, strict=True):
            out[a, r] = share
        return out
