"""Ground travel parameters of a region (``road.json``), validated by pydantic models.

Sources of every default are listed in ``geodata/SOURCES.md``; the bounds and theirs in
:mod:`geodata.limits`. ``RoadModel.model_json_schema()`` shows every range.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictStr,
    ValidationError,
    model_validator,
)

from geodata.errors import error_of, fail, problem_lines
from geodata.jsonfile import parse_json
from geodata.limits import (
    MAX_DETOUR_FACTOR,
    MAX_FERRY_MIN,
    MAX_HANDLING_MIN,
    MAX_PEAK_FACTOR,
    MAX_ROAD_SPEED_KMH,
    MAX_URBAN_RADIUS_KM,
    MIN_ROAD_SPEED_KMH,
)

_FROZEN = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

_SPEED = ("an effective speed in km/h", " (walking pace to China's expressway limit)")


def _within(default: float, low: float, high: float, what: str, why: str = "") -> Any:
    """A field from ``low`` to ``high`` inclusive whose description states the range."""
    return Field(default, ge=low, le=high, description=f"{what} from {low:g} to {high:g}{why}")


def _ordered(window: tuple[float, float]) -> tuple[float, float]:
    start, end = window
    if not start < end:
        raise ValueError("start hour before end hour")
    return window


Hour = Annotated[StrictFloat, Field(ge=0, le=24)]
Window = Annotated[tuple[Hour, Hour], AfterValidator(_ordered)]


class FerryInfo(BaseModel):
    """Extra time for road legs that touch an island site (``island`` column is True).

    Attributes
    ----------
    extra_min : float
        Minutes added to a road leg with an island end (crossing, waiting, loading), min.
    note : str
        Which sites count as island sites.
    """

    model_config = _FROZEN
    extra_min: StrictFloat = _within(45.0, 0.0, MAX_FERRY_MIN, "minutes")
    note: StrictStr = "applies to road legs with an end at a site whose 'island' column is True"


class RoadModel(BaseModel):
    """Simple road travel-time model: straight line x detour at a speed by distance band.

    Keys of ``road.json`` starting with ``_`` are comments (``_units``, ``_sources``) and are
    ignored; any other unknown key is an error.

    Attributes
    ----------
    detour_factor : float
        Road km per straight-line km (dimensionless).
    urban_speed_kmh : float
        Effective door-to-door speed for legs up to ``urban_radius_km``, km/h.
    intercity_speed_kmh : float
        Effective speed for longer legs, km/h.
    urban_radius_km : float
        Straight-line distance up to which a leg is urban, km.
    peak_windows_h : tuple of (float, float)
        Peak traffic windows as (start hour, end hour) of the day, h.
    peak_factor : float
        Travel-time multiplier inside a peak window (dimensionless).
    handling_min : float
        Loading plus unloading time added once per leg, min.
    ferry : FerryInfo
        Extra time for island sites.
    """

    model_config = _FROZEN
    detour_factor: StrictFloat = _within(
        1.3, 1.0, MAX_DETOUR_FACTOR, "road km per straight-line km"
    )
    urban_speed_kmh: StrictFloat = _within(25.0, MIN_ROAD_SPEED_KMH, MAX_ROAD_SPEED_KMH, *_SPEED)
    intercity_speed_kmh: StrictFloat = _within(
        85.0, MIN_ROAD_SPEED_KMH, MAX_ROAD_SPEED_KMH, *_SPEED
    )
    urban_radius_km: StrictFloat = _within(15.0, 0.0, MAX_URBAN_RADIUS_KM, "km")
    peak_windows_h: tuple[Window, ...] = Field(
        ((7.0, 9.0), (17.0, 19.0)),
        max_length=24,
        description="a list of [start_hour, end_hour] with 0 <= start < end <= 24",
    )
    peak_factor: StrictFloat = _within(1.6, 1.0, MAX_PEAK_FACTOR, "a travel-time multiplier")
    handling_min: StrictFloat = _within(10.0, 0.0, MAX_HANDLING_MIN, "minutes")
    ferry: FerryInfo = Field(default_factory=FerryInfo)

    @model_validator(mode="before")
    @classmethod
    def _drop_comments(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("_")}
        return data

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (the layout of ``road.json``)."""
        data = self.model_dump()
        data["peak_windows_h"] = [list(w) for w in self.peak_windows_h]
        return data


def road_from_dict(data: object, source: str = "road.json") -> RoadModel:
    """Build a :class:`RoadModel` from a parsed ``road.json``; missing keys take defaults.

    Parameters
    ----------
    data : object
        Parsed JSON (an object is expected).
    source : str
        File name for error messages.

    Raises
    ------
    GeodataError
        One line per wrong key, type or out-of-range value.
    """
    if not isinstance(data, dict):
        raise fail(source, "<document>", f"a JSON object, got {type(data).__name__}")
    try:
        return RoadModel.model_validate(data)
    except ValidationError as exc:
        raise error_of(problem_lines(exc, source, RoadModel)) from None


def road_from_json(data: bytes | str | None, source: str = "road.json") -> RoadModel:
    """Parse ``road.json`` content strictly; ``None`` (file absent) gives the defaults."""
    if data is None:
        return RoadModel()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return road_from_dict(parse_json(raw, source), source)
