"""The policy registry: names by role, factories called with keyword arguments."""

from __future__ import annotations

import pytest

from sim.core import registry


@pytest.fixture
def clean_registry(monkeypatch):
    fresh = {role: {} for role in registry.ROLES}
    monkeypatch.setattr(registry, "_REGISTRY", fresh)
    return fresh


def test_a_registered_factory_is_made_by_name(clean_registry) -> None:
    @registry.register("dispatch", "mine")
    class Mine:
        def __init__(self, speed: float = 1.0) -> None:
            self.speed = speed

    assert registry.known_policies("dispatch") == ["mine"]
    assert registry.make_policy("dispatch", "mine", speed=2.0).speed == 2.0
    assert registry.policy_names()["dispatch"] == ["mine"]
    assert registry.policy_names()["routing"] == []


def test_unknown_role_and_name_are_refused_with_the_choices(clean_registry) -> None:
    with pytest.raises(ValueError, match="unknown policy role 'teleport'.*dispatch"):
        registry.register("teleport", "x")
    registry.register("routing", "direct")(object)
    with pytest.raises(ValueError, match=r"unknown routing policy 'vrp' \(one of: direct\)"):
        registry.make_policy("routing", "vrp")
