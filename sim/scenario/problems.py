"""Problems found in a scenario file, and the error that carries them."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

# Values quoted in messages are cut short: a hostile file must not make an error message
# (or the time to build it) grow with its size.


class _ShortRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        # repr() of an int with more than 4,300 digits raises; a size is enough here.
        return f"<a {x.bit_length()}-bit number>" if x.bit_length() > 128 else repr(x)


_REPR = _ShortRepr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 2, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 40
MAX_SHOWN = 60  # characters of a quoted value


def short(value: object) -> str:
    """A one-line ``repr`` of ``value`` of at most about 60 characters, however big it is."""
    text = _REPR.repr(value).replace("\n", "\\n")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


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
