"""ABO/RhD substitution rules, checked pair by pair against facts.md §2.3."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core.compatibility import (
    COMPATIBILITY_RULES,
    DEFAULT_RULES,
    CompatibilityRule,
    compatible_mask,
    donor_groups,
    get_rule,
    is_compatible,
    register_rule,
)
from sim.core.domain import ABO, Product, RhD

O, A, B, AB = ABO.O, ABO.A, ABO.B, ABO.AB  # noqa: E741 - blood group O
NEG, POS = RhD.NEG, RhD.POS
GROUPS = [(abo, rhd) for abo in ABO for rhd in RhD]

# facts.md §2.3, written out as donor ABO -> recipient ABO groups that may receive it.
RED_CELL_ABO = {O: {O, A, B, AB}, A: {A, AB}, B: {B, AB}, AB: {AB}}
PLASMA_ABO = {AB: {O, A, B, AB}, A: {A, O}, B: {B, O}, O: {O}}


def expected(rule: str, donor: tuple[int, int], recipient: tuple[int, int]) -> bool:
    """The §2.3 rule, independent of the module under test."""
    (d_abo, d_rhd), (r_abo, r_rhd) = donor, recipient
    if rule == "red_cell":
        # RhD- recipients get RhD- red cells only; RhD+ recipients may get either.
        return r_abo in RED_CELL_ABO[d_abo] and (d_rhd == NEG or r_rhd == POS)
    if rule == "plasma":  # RhD does not matter for plasma
        return r_abo in PLASMA_ABO[d_abo]
    return donor == recipient  # identical (platelets in China)


PAIRS = list(itertools.product(["red_cell", "plasma", "identical"], GROUPS, GROUPS))


@pytest.mark.parametrize(("rule", "donor", "recipient"), PAIRS)
def test_every_pair_matches_facts(rule, donor, recipient):
    want = expected(rule, donor, recipient)
    assert is_compatible(rule, *donor, *recipient) is want
    assert (tuple(map(int, donor)) in donor_groups(rule, *recipient)) is want


def test_red_cell_table_spot_checks():
    assert is_compatible("red_cell", O, NEG, AB, POS)  # universal donor
    assert not is_compatible("red_cell", O, POS, O, NEG)  # RhD+ to RhD- recipient
    assert not is_compatible("red_cell", A, NEG, B, POS)
    assert not is_compatible("red_cell", AB, NEG, A, POS)


def test_plasma_ignores_rhd_and_reverses_abo():
    assert is_compatible("plasma", AB, NEG, O, POS)
    assert is_compatible("plasma", O, POS, O, NEG)
    assert not is_compatible("plasma", O, NEG, A, NEG)


@pytest.mark.parametrize("rule", sorted(COMPATIBILITY_RULES))
@pytest.mark.parametrize(("abo", "rhd"), GROUPS)
def test_identical_group_comes_first(rule, abo, rhd):
    groups = donor_groups(rule, abo, rhd)
    assert groups[0] == (abo, rhd)
    assert len(set(groups)) == len(groups)
    assert all(type(a) is int and type(r) is int for a, r in groups)


def test_red_cell_preference_order():
    assert donor_groups("red_cell", AB, POS) == (
        (AB, POS),
        (AB, NEG),
        (A, POS),
        (A, NEG),
        (B, POS),
        (B, NEG),
        (O, POS),
        (O, NEG),
    )
    assert donor_groups("red_cell", A, POS) == ((A, POS), (A, NEG), (O, POS), (O, NEG))
    assert donor_groups("red_cell", B, NEG) == ((B, NEG), (O, NEG))
    assert donor_groups("red_cell", O, NEG) == ((O, NEG),)


@pytest.mark.parametrize(("abo", "rhd"), GROUPS)
def test_scarce_o_negative_red_cells_last(abo, rhd):
    # O- may go to every recipient and is always the last resort.
    assert donor_groups("red_cell", abo, rhd)[-1] == (O, NEG)


def test_plasma_preference_order_keeps_ab_last():
    assert donor_groups("plasma", O, NEG) == (
        (O, NEG),
        (O, POS),
        (A, NEG),
        (A, POS),
        (B, NEG),
        (B, POS),
        (AB, NEG),
        (AB, POS),
    )
    assert donor_groups("plasma", A, POS) == ((A, POS), (A, NEG), (AB, POS), (AB, NEG))
    assert donor_groups("plasma", AB, POS) == ((AB, POS), (AB, NEG))


@pytest.mark.parametrize("rule", sorted(COMPATIBILITY_RULES))
def test_mask_agrees_with_scalar(rule):
    d_abo, d_rhd = np.array(GROUPS, dtype=np.int8).T
    for r_abo, r_rhd in GROUPS:
        mask = compatible_mask(rule, d_abo, d_rhd, r_abo, r_rhd)
        assert mask.dtype == bool and mask.shape == (8,)
        assert mask.tolist() == [is_compatible(rule, a, r, r_abo, r_rhd) for a, r in GROUPS]


def test_mask_broadcasts_recipient_arrays():
    mask = compatible_mask(
        "red_cell", np.array([0, 1]), np.array([1, 1]), np.array([1, 0]), np.array([1, 1])
    )
    assert mask.tolist() == [True, False]


def test_table_is_precomputed_and_read_only():
    table = get_rule("red_cell").table
    assert table.shape == (4, 2, 4, 2) and table.dtype == bool
    with pytest.raises(ValueError):
        table[0, 0, 0, 0] = False


def test_unknown_rule_names_known_rules():
    with pytest.raises(ValueError, match="identical, plasma, platelet_fallback, red_cell") as info:
        donor_groups("rbc", O, POS)
    assert not isinstance(info.value, KeyError)


@pytest.mark.parametrize(("abo", "rhd"), [(4, 0), (-1, 0), (0, 2)])
def test_invalid_group_codes_raise(abo, rhd):
    with pytest.raises(ValueError, match="invalid"):
        donor_groups("red_cell", abo, rhd)
    with pytest.raises(ValueError, match="invalid"):
        is_compatible("red_cell", abo, rhd, O, POS)
    with pytest.raises(ValueError, match="invalid"):
        compatible_mask("red_cell", np.array([abo]), np.array([rhd]), O, POS)


def test_register_custom_rule(monkeypatch):
    monkeypatch.setattr("sim.core.compatibility.COMPATIBILITY_RULES", dict(COMPATIBILITY_RULES))
    rule = CompatibilityRule.from_preferences(
        "abo_identical_any_rhd", lambda abo, rhd: [(abo, rhd), (abo, 1 - rhd)]
    )
    register_rule(rule)
    assert donor_groups("abo_identical_any_rhd", A, NEG) == ((A, NEG), (A, POS))
    assert donor_groups(rule, A, NEG) == ((A, NEG), (A, POS))
    with pytest.raises(ValueError, match="already registered"):
        register_rule(rule)


def test_rule_must_list_identical_group_first():
    with pytest.raises(ValueError, match="must start with it"):
        CompatibilityRule.from_preferences("bad", lambda abo, rhd: [(0, 0)])


def test_every_product_has_a_default_rule():
    assert set(DEFAULT_RULES) == set(Product)
    assert all(name in COMPATIBILITY_RULES for name in DEFAULT_RULES.values())
    assert DEFAULT_RULES[Product.PLT] == "platelet_fallback"
