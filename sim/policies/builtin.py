"""Imports every built-in policy module so that each registers itself."""

from sim.policies import dispatch, replenishment, simple  # noqa: F401
