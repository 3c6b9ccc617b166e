"""Strict JSON parsing of region files: one key once per object, finite numbers, bounded depth.

GDAL and ``json`` are lenient (last duplicate key wins, ``NaN`` and ``1e400`` parse, mixed
types are coerced); region files are parsed here first so that such input is refused with the
file and key named. GeoJSON feature properties are returned exactly as written, so that their
types can be checked before GDAL coerces them.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from geodata.errors import GeodataError, error_of, fail, problem_lines, show


class _Refused(ValueError):
    """A JSON construct refused while parsing (raised from the parser hooks)."""


def parse_json(data: bytes, source: str) -> Any:
    """Parse JSON strictly.

    Parameters
    ----------
    data : bytes
        File content (UTF-8, -16 or -32).
    source : str
        File name for error messages.

    Raises
    ------
    GeodataError
        Invalid JSON or text, a key twice in one object, ``NaN``/``Infinity`` or a number too
        large for a float, or nesting too deep to parse.
    """
    try:
        return json.loads(
            data,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_float=_finite_float,
        )
    except _Refused as exc:
        raise fail(source, "<document>", str(exc)) from None
    except RecursionError:
        raise fail(source, "<document>", "JSON nested less deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, int digit limits
        raise fail(source, "<document>", f"valid UTF-8 JSON ({exc})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"each key once per object, {show(key)} appears twice")
        out[key] = value
    return out


def _no_constant(name: str) -> float:
    raise _Refused(f"finite numbers (JSON has no NaN or Infinity), got {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"finite numbers, got {show(text)} (too large for a float)")
    return value


class Feature(BaseModel):
    """One GeoJSON feature: its properties are checked later, its geometry by GDAL."""

    model_config = ConfigDict(extra="allow")
    type: Literal["Feature"]
    properties: dict[str, Any] | None
    geometry: dict[str, Any] | None


class FeatureCollection(BaseModel):
    """The outer shape of a GeoJSON file (RFC 7946); geometries are left to GDAL."""

    model_config = ConfigDict(extra="allow")
    type: Literal["FeatureCollection"]
    features: list[Feature]


def geojson_records(data: bytes, source: str) -> list[dict[str, Any]]:
    """The ``properties`` of every feature of a GeoJSON FeatureCollection, as written.

    Raises
    ------
    GeodataError
        If the text is not strict JSON (see :func:`parse_json`) or not a FeatureCollection.
    """
    document = parse_json(data, source)
    try:
        collection = FeatureCollection.model_validate(document)
    except ValidationError as exc:
        raise _shape_error(exc, source) from None
    return [dict(feature.properties or {}) for feature in collection.features]


def _shape_error(exc: ValidationError, source: str) -> GeodataError:
    return error_of(problem_lines(exc, source, FeatureCollection, " (a GeoJSON FeatureCollection)"))
