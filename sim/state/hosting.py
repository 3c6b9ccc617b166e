"""Which hospitals are supplied through a host's blood bank, as site positions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario.hosting import Sites, supplied_via
from sim.state.sites import SiteIndex


def host_positions(sites: pd.DataFrame, index: SiteIndex, overrides: Sites) -> np.ndarray:
    """Position of the host of each site (-1 where the site has its own blood bank or is no
    hospital): the region's ``supplied_via`` column with the scenario's ``sites.overrides``.

    The scenario loader has checked the links (:func:`sim.scenario.hosting.hosting_problems`).
    """
    out = np.full(len(index), -1, dtype=np.int64)
    for site, host in supplied_via(sites, overrides).items():
        out[index.position(site)] = index.position(host)
    out.setflags(write=False)
    return out


def hosted_by(host_of: np.ndarray, host: int) -> np.ndarray:
    """Positions of the hospitals that ``host`` supplies, in table order."""
    return np.flatnonzero(host_of == host)
