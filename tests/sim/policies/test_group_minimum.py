"""A hospital's minimum of each ABO group RhD+ red cells (``inventory.group_min_u``)."""

from __future__ import annotations

import numpy as np

from sim.core.domain import Product, RhD
from sim.policies.replenishment import hospital_targets, stocked_groups

MINIMUM = "inventory: {group_min_u: {tertiary: 0, secondary: 0, county: 3}}\n"


def test_a_county_hospital_keeps_the_minimum_of_every_rhd_positive_group(tiny_world) -> None:
    plain, floored = tiny_world(), tiny_world(extra=MINIMUM)
    county, tertiary = (plain.sites.position(h) for h in ("h_b", "h_a"))
    before = hospital_targets(plain, county)[Product.RBC]
    after = hospital_targets(floored, county)[Product.RBC]
    assert (before[:, RhD.POS] < 3).any()  # some group is used less than the minimum
    assert np.array_equal(after[:, RhD.POS], np.maximum(before[:, RhD.POS], 3.0))
    assert np.array_equal(after[:, RhD.NEG], before[:, RhD.NEG])  # RhD- not floored
    assert stocked_groups(after)[:, RhD.POS].all()  # every RhD+ group now on the shelf
    other = hospital_targets(floored, tertiary)  # another tier, and other products
    assert np.array_equal(other, hospital_targets(plain, tertiary))
    assert np.array_equal(hospital_targets(floored, county)[Product.PLT], 
                          hospital_targets(plain, county)[Product.PLT])  # fmt: skip


def test_no_minimum_by_default(tiny_world) -> None:
    world = tiny_world()
    assert set(world.scenario.inventory.group_min_u.values()) == {0.0}
