"""The one exception raised for bad region data, and the translation of pydantic errors into it."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

#: Most problem lines one error reports (the rest are counted).
MAX_LINES = 10

#: Longest shown excerpt of a bad value, characters.
MAX_SHOWN = 60


class GeodataError(ValueError):
    """Region data that cannot be used.

    The message names the file, the field or column, and what was expected; one line per problem.
    """


def fail(source: str, field: str, expected: str) -> GeodataError:
    """Build a :class:`GeodataError` with the standard message layout.

    Parameters
    ----------
    source : str
        File (or layer) the problem was found in.
    field : str
        Column or field name.
    expected : str
        What was expected, and what was found.
    """
    return GeodataError(line(source, field, expected))


def line(source: str, field: str, expected: str) -> str:
    """One problem line: ``source: field 'name': expected...``."""
    return f"{source}: field '{field}': {expected}"


def error_of(lines: list[str]) -> GeodataError:
    """One :class:`GeodataError` holding the first :data:`MAX_LINES` problem lines."""
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"... and {len(lines) - MAX_LINES} more problems")
    return GeodataError("\n".join(shown))


def show(value: object) -> str:
    """Short ``repr`` of a value from a file, cut to :data:`MAX_SHOWN` characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def problem_lines(
    exc: ValidationError, source: str, model: type[BaseModel], who: str = ""
) -> list[str]:
    """One line per pydantic error: file, field path, what was expected and what was found.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The validation failure.
    source : str
        File name for the messages.
    model : type of pydantic.BaseModel
        The model validated; a field's ``description`` is quoted as what was expected.
    who : str
        Which row failed, e.g. ``" for 'h_1' (row 3)"``.
    """
    out = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] in ("model_type", "dict_type"):
            msg = "Input should be a JSON object"
        if err["type"] == "extra_forbidden":
            msg = f"a known field ({', '.join(_model_at(model, loc[:-1]).model_fields)})"
        text = f"{msg[:1].lower()}{msg[1:]}{who}"
        if err["type"] not in ("missing", "extra_forbidden"):
            text += f", got {show(err['input'])}"
        hint = _description(model, loc)
        if hint:
            text += f"; expected {hint}"
        field = ".".join(str(part) for part in loc) or "<document>"
        out.append(line(source, field, text))
    return out


def _description(model: type[BaseModel], loc: tuple) -> str | None:
    """The ``description`` of the (possibly nested) model field at ``loc``, if any."""
    for depth in range(len(loc), 0, -1):
        parent = _model_at(model, loc[: depth - 1])
        field = parent.model_fields.get(loc[depth - 1]) if isinstance(loc[depth - 1], str) else None
        if field is not None and field.description:
            return field.description
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel]:
    """The nested model class at ``loc`` (the deepest model reached along the path)."""
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = field.annotation if field is not None else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return model
        model = inner
    return model
