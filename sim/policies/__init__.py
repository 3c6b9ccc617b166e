"""Pluggable decision rules: Protocols and built-ins, registered by role and name.

The registry itself lives in :mod:`sim.core.registry` (it imports no policy); the built-in
policies of this package are registered by the composition root, :mod:`sim.build`.
"""

from sim.core.registry import ROLES, known_policies, make_policy, policy_names, register

__all__ = ["ROLES", "known_policies", "make_policy", "policy_names", "register"]
