"""Common base for scenario sections: strict, immutable pydantic models, bounded numbers.

Every number of a scenario has a finite range stated in its model (and so in the JSON
Schema): NaN and infinities are refused by the :class:`Section` config, yes/no values by
:data:`Number` and :data:`Count`, and each field gives its bounds with ``ge``/``gt``/``le``/
``lt``. Upper bounds are set from the domain (``reference/facts.md``) with generous headroom;
the comment next to each says why.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
)

from sim.scenario.problems import short

# Calendar window of scenario dates: wide enough for history and planning, narrow enough
# that a horizon of up to 3,660 days never leaves the calendar.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
LAST_EVENT_YEAR = 2111  # last start date + the longest horizon (3,660 days)


def _not_yes_no(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is a yes/no value (a number)")
    return value


def _plain_text(value: str) -> str:
    if any(ord(c) < 32 for c in value):
        raise ValueError(f"{short(value)} holds control characters (plain text on one line)")
    return value


def _unique(ids: list[str]) -> list[str]:
    twice = [i for i, n in Counter(ids).items() if n > 1]
    if twice:
        raise ValueError(f"{short(twice[0])} is listed twice (each site id once)")
    return ids


def _ids_or_all(value: object) -> str:
    return ALL_SITES if isinstance(value, str) else SITE_LIST


def check_event_time(value: datetime) -> datetime:
    """A naive local time between 2000 and :data:`LAST_EVENT_YEAR` (shared by events)."""
    if not FIRST_DATE.year <= value.year <= LAST_EVENT_YEAR:
        raise ValueError(
            f"{value:%Y-%m-%d %H:%M} is outside the supported years "
            f"(a time from {FIRST_DATE.year} to {LAST_EVENT_YEAR})"
        )
    return value


def number(**limits: float) -> Any:
    """A finite real number within ``limits`` (``ge``, ``gt``, ``le``, ``lt``); yes/no refused.

    The bounds come before the yes/no check so that the JSON Schema shows them as
    ``minimum``/``maximum``.
    """
    return Annotated[float, Field(**limits), BeforeValidator(_not_yes_no)]


def count(**limits: int) -> Any:
    """A whole number within ``limits``; yes/no refused (not read as 1 and 0)."""
    return Annotated[int, Field(**limits), BeforeValidator(_not_yes_no)]


Number = Annotated[float, BeforeValidator(_not_yes_no)]
"""A finite real number (NaN and infinities are refused by the :class:`Section` config)."""
Count = Annotated[int, BeforeValidator(_not_yes_no)]
"""A whole number (yes/no values are refused, not read as 1 and 0)."""
Share = number(ge=0, le=1)
"""A share or probability, 0 to 1."""
HourOfDay = number(ge=0, lt=24)
"""An hour of the day, [0, 24)."""
WholeHour = count(ge=0, le=24)
"""A whole hour of the day as an opening or closing time, 0 to 24."""
# Multipliers on arrivals or demand: ten times the usual is beyond any reported swing
# (peak days +69 %, Spring Festival -67 %; facts 4.1, 4.2).
Factor = number(ge=0, le=10)
PlainText = Annotated[str, Field(max_length=1000), AfterValidator(_plain_text)]
"""Names, ids and paths: one line of text, no control characters."""

# At least one site id, each once; the cap only keeps hostile files small (a province has
# about a hundred donation houses).
SiteIds = Annotated[list[PlainText], Field(min_length=1, max_length=1000), AfterValidator(_unique)]
# Tags of the two forms of a site selection; error paths leave them out.
SITE_LIST, ALL_SITES = "(site ids)", "(all)"
SiteSelection = Annotated[
    Annotated[SiteIds, Tag(SITE_LIST)] | Annotated[Literal["all"], Tag(ALL_SITES)],
    Discriminator(_ids_or_all),
]
"""Site ids (at least one, each once) or ``"all"``."""


class Section(BaseModel):
    """A scenario section: unknown keys are rejected and values are frozen after loading."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )
