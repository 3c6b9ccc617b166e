"""Imports every built-in policy module so that each registers itself."""

from sim.policies import (  # noqa: F401
    dispatch,
    rebalancing,
    replenishment,
    routing,
    simple,
)
