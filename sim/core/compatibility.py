"""ABO/RhD substitution rules: which donor groups a recipient may receive, in what order.

A rule is looked up by name so that a scenario can choose one per product:

``"red_cell"``
    Donor → recipient: O → all; A → A, AB; B → B, AB; AB → AB. An RhD− recipient gets
    RhD− only; an RhD+ recipient may get RhD+ or RhD− (facts.md §2.3).
``"plasma"``
    The reverse of red cells: AB → all; A → A, O; B → B, O; O → O. RhD does not matter.
``"identical"``
    ABO and RhD identical (the Chinese default for platelets).
``"platelet_fallback"``
    Platelets, ABO-identical first, then ABO-non-identical when the identical group is out
    (any ABO group, plasma-compatible ones first); the recipient's RhD first, and an RhD−
    recipient may get RhD+ platelets last (with anti-D cover). In China platelets are
    "usually ABO-identical" (facts.md §2.3); where supply is short, platelets are often
    given without regard for ABO compatibility to keep the 5-day inventory moving
    (Transfus Med Hemother 40(3):160, https://karger.com/tmh/article/40/3/160/301209/;
    ABO and RhD selection with the haemolysis and anti-D risks weighed against supply:
    Hematology ASH Educ Program 2020, https://pmc.ncbi.nlm.nih.gov/articles/PMC7727583).

Preference order of :func:`donor_groups` (the order in which stock is drawn):

* always the **identical group first**;
* red cells: same ABO with the other RhD where allowed, then A, then B, then O, each RhD+
  before RhD−, so that the scarce universal O− comes **last**;
* plasma: same ABO with the other RhD, then A, then B, then AB (the scarce universal plasma
  last), each with the recipient's RhD first;
* platelet fallback: the recipient's RhD first, then the other; within each, ABO groups by
  fewest minor clashes (donor plasma against the recipient's cells), then fewest major
  ones, so the identical group comes first and group O platelets go to AB recipients last.

All answers come from lookup tables built once at import: a boolean array of shape
``(4, 2, 4, 2)`` indexed ``[donor_abo, donor_rhd, recipient_abo, recipient_rhd]`` and the
ordered donor groups of each of the 8 recipient groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from sim.core.domain import ABO, Product, RhD

N_ABO = len(ABO)
N_RHD = len(RhD)

Group = tuple[int, int]
"""A blood group as ``(abo, rhd)`` integer codes of :class:`~sim.core.domain.ABO` / :class:`RhD`."""


@dataclass(frozen=True)
class CompatibilityRule:
    """A named substitution rule with its precomputed tables.

    Attributes
    ----------
    name : str
        Registry name used in scenario files.
    preferences : tuple of tuple of Group
        ``preferences[abo * 2 + rhd]`` lists the donor groups a recipient of that group may
        receive, identical group first, then substitutes in order of preference.
    table : numpy.ndarray
        Read-only boolean array ``(4, 2, 4, 2)``: ``table[d_abo, d_rhd, r_abo, r_rhd]``.
    """

    name: str
    preferences: tuple[tuple[Group, ...], ...]
    table: np.ndarray

    @classmethod
    def from_preferences(
        cls, name: str, donors_of: Callable[[int, int], Sequence[Group]]
    ) -> CompatibilityRule:
        """Build a rule from a function ``(recipient_abo, recipient_rhd) -> donor groups``.

        The function must list the identical group first; the boolean table is derived from
        the lists so that the two can never disagree.
        """
        prefs = tuple(
            tuple((int(a), int(r)) for a, r in donors_of(abo, rhd))
            for abo in range(N_ABO)
            for rhd in range(N_RHD)
        )
        _check_preferences(name, prefs)
        table = np.zeros((N_ABO, N_RHD, N_ABO, N_RHD), dtype=bool)
        for recipient, donors in enumerate(prefs):
            for d_abo, d_rhd in donors:
                table[d_abo, d_rhd, recipient // N_RHD, recipient % N_RHD] = True
        table.flags.writeable = False
        return cls(name=name, preferences=prefs, table=table)


def _check_preferences(name: str, prefs: tuple[tuple[Group, ...], ...]) -> None:
    """Each list starts with the identical group and names valid, distinct groups."""
    for recipient, donors in enumerate(prefs):
        identical = (recipient // N_RHD, recipient % N_RHD)
        if not donors or donors[0] != identical:
            raise ValueError(f"rule {name!r}: donors of {identical} must start with it")
        if len(set(donors)) != len(donors):
            raise ValueError(f"rule {name!r}: donors of {identical} repeat a group")
        if any(not (0 <= a < N_ABO and 0 <= r < N_RHD) for a, r in donors):
            raise ValueError(f"rule {name!r}: donors of {identical} hold an invalid group")


# Donor ABO groups per recipient ABO, in order of preference.
_RED_CELL_ABO = {
    ABO.O: (ABO.O,),
    ABO.A: (ABO.A, ABO.O),
    ABO.B: (ABO.B, ABO.O),
    ABO.AB: (ABO.AB, ABO.A, ABO.B, ABO.O),
}
_PLASMA_ABO = {
    ABO.O: (ABO.O, ABO.A, ABO.B, ABO.AB),
    ABO.A: (ABO.A, ABO.AB),
    ABO.B: (ABO.B, ABO.AB),
    ABO.AB: (ABO.AB,),
}


def _red_cell_donors(abo: int, rhd: int) -> list[Group]:
    """Red cells: ABO per :data:`_RED_CELL_ABO`; RhD− recipients get RhD− only."""
    rhds = (RhD.POS, RhD.NEG) if rhd == RhD.POS else (RhD.NEG,)
    return [(a, r) for a in _RED_CELL_ABO[ABO(abo)] for r in rhds]


def _plasma_donors(abo: int, rhd: int) -> list[Group]:
    """Plasma: ABO per :data:`_PLASMA_ABO`; either RhD, the recipient's own first."""
    return [(a, r) for a in _PLASMA_ABO[ABO(abo)] for r in (rhd, 1 - rhd)]


def _identical_donors(abo: int, rhd: int) -> list[Group]:
    """ABO- and RhD-identical only."""
    return [(abo, rhd)]


def _platelet_fallback_donors(abo: int, rhd: int) -> list[Group]:
    """Platelets: the recipient's RhD first, then the other; within each, ABO groups by
    fewest antibody clashes: minor (donor plasma against the recipient's cells, the
    haemolysis risk) before major (recipient antibodies against the platelets, a lower
    count increment), so identical comes first."""
    abos = sorted(ABO, key=lambda donor: (_clashes(donor, abo), _clashes(abo, donor), donor))
    return [(int(a), r) for r in (rhd, 1 - rhd) for a in abos]


def _clashes(plasma_abo: int, cells_abo: int) -> int:
    """ABO antibodies in ``plasma_abo`` plasma against antigens on ``cells_abo`` cells.

    Antigens as bits (A = 1, B = 2: O 0, A 1, B 2, AB 3, the :class:`ABO` codes); plasma
    holds the antibodies to the antigens its own cells lack.
    """
    return int(((3 & ~int(plasma_abo)) & int(cells_abo)).bit_count())


COMPATIBILITY_RULES: dict[str, CompatibilityRule] = {
    rule.name: rule
    for rule in (
        CompatibilityRule.from_preferences("red_cell", _red_cell_donors),
        CompatibilityRule.from_preferences("plasma", _plasma_donors),
        CompatibilityRule.from_preferences("identical", _identical_donors),
        CompatibilityRule.from_preferences("platelet_fallback", _platelet_fallback_donors),
    )
}
"""Registry of rules by name; extend it with :func:`register_rule`."""

DEFAULT_RULES: dict[Product, str] = {
    Product.RBC: "red_cell",
    Product.FRBC: "red_cell",
    Product.PLT: "platelet_fallback",
    Product.FFP: "plasma",
    Product.CRYO: "plasma",
}
"""Rule name used for each product when a scenario does not choose one."""


def register_rule(rule: CompatibilityRule) -> None:
    """Add a rule to :data:`COMPATIBILITY_RULES` (a scenario may then name it)."""
    if rule.name in COMPATIBILITY_RULES:
        raise ValueError(f"compatibility rule {rule.name!r} is already registered")
    COMPATIBILITY_RULES[rule.name] = rule


def get_rule(rule: str | CompatibilityRule) -> CompatibilityRule:
    """Resolve a rule name (or pass a rule through).

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known rules.
    """
    if isinstance(rule, CompatibilityRule):
        return rule
    try:
        return COMPATIBILITY_RULES[rule]
    except (KeyError, TypeError):
        known = ", ".join(sorted(COMPATIBILITY_RULES))
        raise ValueError(f"unknown compatibility rule {rule!r}; known rules: {known}") from None


@cache
def keeping(rule: str, kept: tuple[Group, ...]) -> CompatibilityRule:
    """``rule`` with the ``kept`` donor groups given only to their own group.

    Used to hold a hospital's emergency group O red cells back from other groups'
    non-emergency patients; the result is cached per (rule, kept groups).
    """
    base = get_rule(rule)

    def donors_of(abo: int, rhd: int) -> list[Group]:
        donors = base.preferences[_group_index(abo, rhd)]
        return [g for g in donors if g == (abo, rhd) or g not in kept]

    return CompatibilityRule.from_preferences(f"{base.name}_keeping_{kept}", donors_of)


def _group_index(abo: int, rhd: int) -> int:
    """Index ``abo * 2 + rhd`` of a recipient group, validated."""
    if not (0 <= abo < N_ABO and 0 <= rhd < N_RHD):
        raise ValueError(f"invalid blood group codes abo={abo!r}, rhd={rhd!r}")
    return int(abo) * N_RHD + int(rhd)


def donor_groups(rule: str | CompatibilityRule, abo: int, rhd: int) -> tuple[Group, ...]:
    """Donor groups a recipient may receive, identical group first, then substitutes.

    Parameters
    ----------
    rule : str or CompatibilityRule
        Rule name (``"red_cell"``, ``"plasma"``, ``"identical"``, ...) or rule.
    abo, rhd : int
        Recipient group codes (:class:`~sim.core.domain.ABO`, :class:`~sim.core.domain.RhD`).

    Returns
    -------
    tuple of (int, int)
        ``(abo, rhd)`` donor groups in order of preference (see the module docstring).
    """
    return get_rule(rule).preferences[_group_index(abo, rhd)]


def is_compatible(
    rule: str | CompatibilityRule,
    donor_abo: int,
    donor_rhd: int,
    recipient_abo: int,
    recipient_rhd: int,
) -> bool:
    """Whether a donor group may be given to a recipient group under ``rule``."""
    _group_index(donor_abo, donor_rhd)
    _group_index(recipient_abo, recipient_rhd)
    return bool(get_rule(rule).table[donor_abo, donor_rhd, recipient_abo, recipient_rhd])


def compatible_mask(
    rule: str | CompatibilityRule,
    donor_abo: np.ndarray,
    donor_rhd: np.ndarray,
    recipient_abo: int | np.ndarray,
    recipient_rhd: int | np.ndarray,
) -> np.ndarray:
    """Vectorised :func:`is_compatible`: one boolean per donor unit.

    Parameters
    ----------
    rule : str or CompatibilityRule
        Rule name or rule.
    donor_abo, donor_rhd : numpy.ndarray of int
        Group codes of the donor units (equal lengths).
    recipient_abo, recipient_rhd : int or numpy.ndarray of int
        Recipient group, a scalar or one per donor unit (broadcast).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the donor unit is compatible with the recipient.
    """
    codes = [
        np.asarray(c, dtype=np.intp) for c in (donor_abo, donor_rhd, recipient_abo, recipient_rhd)
    ]
    for c, limit in zip(codes, (N_ABO, N_RHD, N_ABO, N_RHD), strict=True):
        if c.size and (c.min() < 0 or c.max() >= limit):
            raise ValueError(f"invalid blood group code(s) outside 0..{limit - 1}")
    return get_rule(rule).table[tuple(codes)]
