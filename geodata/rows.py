"""Attribute rows of the region layers as pydantic models: types and ranges of every value.

A row is the ``properties`` of one GeoJSON feature as written (or one GeoPackage row). Extra
columns are allowed and left unchecked; geometry is checked in :mod:`geodata.coords`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from geodata.errors import error_of, problem_lines, show
from geodata.kinds import HOSPITAL_TIERS, SITE_KINDS
from geodata.limits import MAX_HOSPITAL_BEDS, MAX_RAIL_MINUTES, MAX_TEXT_CHARS

#: An identifier or a name: a string with at least one visible character.
NonBlank = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=MAX_TEXT_CHARS, pattern=r"\S")
]
#: Optional free text (city, county, reason).
Text = Annotated[str, StringConstraints(strict=True, max_length=MAX_TEXT_CHARS)]


def _whole_number(value: Any) -> Any:
    """Accept ints and integral floats (GeoPackage REAL columns); refuse bools and text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("whole_number", "Input should be a whole number")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise PydanticCustomError("whole_number", "Input should be a whole number")
        return int(value)
    return value


Beds = Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=MAX_HOSPITAL_BEDS)]
BEDS = (
    f"a whole number of beds from 0 to {MAX_HOSPITAL_BEDS:,} (hospitals: inpatient beds, the "
    "largest hospitals have about 10,000-20,000; donation houses: donor beds)"
)


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow", allow_inf_nan=False, frozen=True)


class SiteRow(_Row):
    """One site: ids, kind, names, hospital tier and beds, links to other sites, flags."""

    site_id: NonBlank
    kind: Literal[SITE_KINDS]
    name: NonBlank
    city: Text | None = None
    county: Text | None = None
    tier: Literal[HOSPITAL_TIERS] | None = None
    beds: Beds | None = Field(None, description=BEDS)
    station_id: NonBlank | None = None
    lab_id: NonBlank | None = None
    host_site_id: NonBlank | None = None
    synthetic: StrictBool | None = None
    island: StrictBool | None = None


class RailRow(_Row):
    """One rail segment between two rail stations."""

    line_id: NonBlank
    from_site: NonBlank
    to_site: NonBlank
    minutes: StrictFloat = Field(
        gt=0,
        le=MAX_RAIL_MINUTES,
        description=f"the fastest scheduled ride time, minutes, above 0 and at most "
        f"{MAX_RAIL_MINUTES:.0f}",
    )


class NoFlyRow(_Row):
    """One no-fly zone."""

    zone_id: NonBlank
    name: Text | None = None
    reason: Text | None = None


def check_rows(records: list[dict[str, Any]], model: type[BaseModel], source: str) -> None:
    """Validate every row; raise one :class:`GeodataError` listing the bad values.

    Parameters
    ----------
    records : list of dict
        Attribute rows in file order (messages count features from 1).
    model : type of pydantic.BaseModel
        :class:`SiteRow`, :class:`RailRow` or :class:`NoFlyRow`; its first field is the id.
    source : str
        File name for error messages.
    """
    id_field = next(iter(model.model_fields))
    lines: list[str] = []
    for row, record in enumerate(records):
        try:
            model.model_validate(record)
        except ValidationError as exc:
            lines += problem_lines(exc, source, model, _who(record.get(id_field), row))
    if lines:
        raise error_of(lines)


def _who(ident: object, row: int) -> str:
    if isinstance(ident, str) and ident.strip():
        return f" for {show(ident)} (feature {row + 1})"
    return f" (feature {row + 1})"
