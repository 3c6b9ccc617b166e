"""Policy strings: parsing, validation against the registry, clear errors."""

from __future__ import annotations

import pytest

from sim.compare.errors import PolicySpecError
from sim.compare.policies import PolicySpec, resolve_policies
from sim.compare.seeds import replication_seeds


def test_single_name_is_the_dispatch_role():
    assert PolicySpec.parse("ground_only").as_dict() == {"dispatch": "ground_only"}


def test_role_overrides():
    spec = PolicySpec.parse("dispatch=multimodal, rebalancing=optimized")
    assert spec.label == "dispatch=multimodal, rebalancing=optimized"
    assert spec.as_dict() == {"dispatch": "multimodal", "rebalancing": "optimized"}


def test_specs_pass_through_and_labels_kept():
    own = PolicySpec.of("fast", {"dispatch": "multimodal"})
    specs = resolve_policies(["ground_only", own])
    assert [s.label for s in specs] == ["ground_only", "fast"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("teleport", "dispatch policy 'teleport' is unknown (one of: drone_first, ground_only"),
        ("dispatch=multimodal,warp=on", "role 'warp' is unknown (one of: replenishment, dispatch"),
        ("rebalancing=magic", "rebalancing policy 'magic' is unknown (one of: none, optimized)"),
        ("dispatch=", "'dispatch=' is not NAME or ROLE=NAME"),
        ("dispatch=ground_only,dispatch=multimodal", "role 'dispatch' is given twice"),
        ("", "is empty"),
    ],
)
def test_bad_policies_name_the_bad_part(text: str, message: str):
    with pytest.raises(PolicySpecError) as info:
        resolve_policies([text])
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_duplicate_labels_and_empty_list():
    with pytest.raises(PolicySpecError, match="'ground_only' is given twice"):
        resolve_policies(["ground_only", "ground_only"])
    with pytest.raises(PolicySpecError, match="no policy"):
        resolve_policies([])


def test_replication_seeds_are_stable_prefixes():
    seeds = replication_seeds(11, 5)
    assert len(set(seeds)) == 5
    assert replication_seeds(11, 2) == seeds[:2]
    assert replication_seeds(12, 2) != seeds[:2]
