"""Named policies: a registry by role so drills can swap decision rules from a scenario file.

Roles: ``replenishment`` (hospital orders), ``dispatch`` (how an order travels),
``routing`` (how a station's daily routine deliveries are grouped into van trips),
``rebalancing`` (transfers between stations), ``sample_transport`` (samples to the labs).
Users register their own with :func:`register` before running ("inject, don't fork").

The registry imports no policy: the composition root (``sim.build``) registers the built-in
ones, and importing any part of ``sim`` imports it first (``sim/__init__`` imports the
runner, which imports ``sim.build``), so the names are known before a scenario is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES = ("replenishment", "dispatch", "routing", "rebalancing", "sample_transport")

_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {role: {} for role in ROLES}


def register(role: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Class decorator adding a policy factory under ``role`` and ``name``."""
    if role not in _REGISTRY:
        raise ValueError(f"unknown policy role {role!r} (one of: {', '.join(ROLES)})")

    def add(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[role][name] = factory
        return factory

    return add


def known_policies(role: str) -> list[str]:
    """Names registered for ``role``, sorted."""
    return sorted(_REGISTRY.get(role, {}))


def make_policy(role: str, name: str, **kwargs: Any) -> Any:
    """Instantiate the policy ``name`` for ``role``.

    Raises
    ------
    ValueError
        If no policy of that name is registered for the role.
    """
    factory = _REGISTRY.get(role, {}).get(name)
    if factory is None:
        known = ", ".join(known_policies(role))
        raise ValueError(f"unknown {role} policy {name!r} (one of: {known})")
    return factory(**kwargs)


def policy_names() -> dict[str, list[str]]:
    """Every role's registered names, sorted (what a scenario file may choose from)."""
    return {role: known_policies(role) for role in ROLES}
