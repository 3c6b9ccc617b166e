"""Turn pydantic validation errors into one-line problems a planner can act on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario.base import ALL_SITES, SITE_LIST
from sim.scenario.events import EVENT_TYPES
from sim.scenario.problems import Problem, short

MAX_PROBLEMS = 20  # a file with thousands of bad values gets the first few, and a count


def problems_from(error: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """One :class:`Problem` per pydantic error (at most :data:`MAX_PROBLEMS`, then a count),
    with dotted paths and plain words."""
    errors = error.errors(include_url=False)
    problems = [_problem(err, root) for err in errors[:MAX_PROBLEMS]]
    if len(errors) > MAX_PROBLEMS:
        more = len(errors) - MAX_PROBLEMS
        problems.append(Problem("", f"{more} more problems not shown", "fix the ones above"))
    return problems


def _problem(err: dict[str, Any], root: type[BaseModel]) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if "[key]" in loc:
        where = loc[: loc.index("[key]")]
        return Problem(_dotted(where), f"unknown key {short(where[-1])}", _strip(err["msg"]))
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        expected = f"one of: {', '.join(allowed)}" if allowed else "no such key here"
        return Problem(_dotted(loc), f"unknown key {short(loc[-1])}", expected)
    if kind == "missing":
        return Problem(_dotted(loc), "missing", "a value for this required field")
    if kind == "timezone_naive":  # an aware time where a naive one is required
        return Problem(
            _dotted(loc),
            f"{short(err.get('input'))} has a time zone",
            "a local time without a time zone, e.g. 2025-07-04T06:00",
        )
    if kind == "value_error":
        return _custom(loc, err["msg"])
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return Problem(
            _dotted(loc),
            f"unknown type {short(ctx.get('tag'))}",
            f"one of: {ctx.get('expected_tags', '')}",
        )
    return Problem(_dotted(loc), f"{short(err.get('input'))} is not valid", _strip(err["msg"]))


def _custom(loc: tuple, msg: str) -> Problem:
    text = msg.removeprefix("Value error, ")
    if text.endswith(")") and " (" in text:
        wrong, _, expected = text.rpartition(" (")
        return Problem(_dotted(loc), wrong, expected[:-1])
    return Problem(_dotted(loc), text, "see the scenario reference in README.md")


def _strip(msg: str) -> str:
    if msg.startswith("Input should "):
        return msg.removeprefix("Input ")
    if msg.startswith("Input "):
        return "should be " + msg.removeprefix("Input ")
    return msg[:1].lower() + msg[1:]


def _dotted(loc: tuple) -> str:
    return ".".join(_part(part) for part in loc if not _is_union_tag(part))


def _part(part: object) -> str:
    # Keys come from the file: quote odd ones (spaces, dots, control characters) and cut
    # long ones short.
    text = str(part)
    return text if text.isidentifier() and len(text) <= 40 else short(part)


def _is_union_tag(part: object) -> bool:
    # Discriminated unions add the tag (e.g. "mass_casualty") to the path; planners know
    # the event by its index, so the tag is dropped from paths.
    return isinstance(part, str) and (part in EVENT_TYPES or part in (SITE_LIST, ALL_SITES))


def _allowed_keys(root: type[BaseModel], loc: tuple) -> list[str]:
    model: Any = root
    for part in loc:
        model = _child(model, part)
        if model is None:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return sorted(model.model_fields)
    return []


def _child(model: Any, part: object) -> Any:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    field = model.model_fields.get(str(part))
    if field is None:
        return None
    annotation = field.annotation
    return annotation if isinstance(annotation, type) else None
