"""Policy specifications: which policy names a comparison runs, by role.

A policy is written as a single dispatch policy name (``"ground_only"``) or as comma-separated
role overrides (``"dispatch=multimodal,rebalancing=optimized"``); a bare name inside a list of
overrides also means the dispatch role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sim.compare.errors import PolicySpecError
from sim.policies import ROLES, known_policies

DEFAULT_ROLE = "dispatch"


@dataclass(frozen=True)
class PolicySpec:
    """One policy of a comparison: a label for the tables and its role overrides.

    Parameters
    ----------
    label : str
        Name of the policy in the tables (the string as given on the command line).
    overrides : tuple of (role, name) pairs
        Policy names by role, e.g. ``(("dispatch", "multimodal"),)``; other roles keep the
        scenario's choice.
    """

    label: str
    overrides: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> PolicySpec:
        """Parse ``"ground_only"`` or ``"dispatch=multimodal,rebalancing=optimized"``."""
        return cls(text, tuple(_parse_overrides(text).items()))

    @classmethod
    def of(cls, label: str, overrides: Mapping[str, str]) -> PolicySpec:
        """Build a spec from a mapping of role to policy name."""
        return cls(label, tuple(overrides.items()))

    def as_dict(self) -> dict[str, str]:
        """The overrides as ``{role: name}``, the form :func:`sim.execution.runner.run` takes."""
        return dict(self.overrides)


def resolve_policies(items: Iterable[PolicySpec | str]) -> list[PolicySpec]:
    """Parse strings, validate every spec against the registry and check labels are unique.

    Raises
    ------
    PolicySpecError
        Naming the bad part and the known roles or policy names.
    """
    specs = [item if isinstance(item, PolicySpec) else PolicySpec.parse(item) for item in items]
    if not specs:
        raise PolicySpecError("no policy to compare (give at least one, e.g. ground_only)")
    for spec in specs:
        _validate(spec)
    labels = [spec.label for spec in specs]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise PolicySpecError(f"policy {duplicates[0]!r} is given twice (each policy once)")
    return specs


def _parse_overrides(text: str) -> dict[str, str]:
    if not isinstance(text, str) or not text.strip():
        raise PolicySpecError(f"policy {text!r} is empty (a name or ROLE=NAME,...)")
    overrides: dict[str, str] = {}
    for part in text.split(","):
        role, name = _parse_part(text, part)
        if role in overrides:
            raise PolicySpecError(f"policy {text!r}: role {role!r} is given twice (once per role)")
        overrides[role] = name
    return overrides


def _parse_part(text: str, part: str) -> tuple[str, str]:
    role, sep, name = (s.strip() for s in part.partition("="))
    if not sep:
        role, name = DEFAULT_ROLE, role
    if not role or not name:
        raise PolicySpecError(
            f"policy {text!r}: {part.strip()!r} is not NAME or ROLE=NAME "
            "(e.g. ground_only or dispatch=multimodal,rebalancing=optimized)"
        )
    return role, name


def _validate(spec: PolicySpec) -> None:
    for role, name in spec.overrides:
        if role not in ROLES:
            raise PolicySpecError(
                f"policy {spec.label!r}: role {role!r} is unknown (one of: {', '.join(ROLES)})"
            )
        if name not in known_policies(role):
            known = ", ".join(known_policies(role))
            raise PolicySpecError(
                f"policy {spec.label!r}: {role} policy {name!r} is unknown (one of: {known})"
            )
