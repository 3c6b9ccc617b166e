"""Pluggable decision rules, registered by role and name."""

from sim.policies.registry import ROLES, known_policies, make_policy, register

__all__ = ["ROLES", "known_policies", "make_policy", "register"]
