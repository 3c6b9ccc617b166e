"""Problems found in a scenario file, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One user mistake: where it is and what was expected."""

    path: str  # dotted field path, e.g. "products.RBC.shelf_life_days"
    wrong: str  # what is wrong
    expected: str  # what was expected

    def line(self, file: str) -> str:
        """The one-line message ``FILE: field.path: what is wrong (what was expected)``."""
        where = self.path or "(top level)"
        return f"{file}: {where}: {self.wrong} ({self.expected})"


class ScenarioError(ValueError):
    """A scenario file that cannot be run; ``problems`` lists every mistake found."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(p.line(file) for p in problems))
