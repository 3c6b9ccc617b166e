"""Reference files: published figures and targets per region (``scenarios/reference/*.yaml``).

Each entry names a measure (:data:`sim.calibration.registry.MEASURES`), its reference range
in the measure's unit, how the range scales with the horizon (``annual`` totals are scaled
by the measured days / 365, ``none`` for rates), and its source in ``reference/facts.md`` or
``reference/seeds.md`` with the figure quoted. Files are read as strictly as scenario files
(:mod:`sim.scenario.strict_yaml`); every mistake is one line naming the file and the field.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator

from sim.calibration.errors import CalibrationError
from sim.calibration.registry import MEASURES, Measure
from sim.scenario.base import Number, PlainText, Section
from sim.scenario.errors_translate import problems_from
from sim.scenario.problems import ScenarioError, short
from sim.scenario.strict_yaml import MAX_BYTES, parse

SOURCE = re.compile(r"(facts\.md \d+(\.\d+)?|seeds\.md)\b")
ENTRY_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")
SHIPPED_FOLDER = "reference"  # inside the ``scenarios`` package


class Entry(Section):
    """One calibrated quantity: what is measured, the reference range and its source."""

    id: PlainText = Field(description="short name, unique in the file (a-z, 0-9, _)")
    measure: PlainText = Field(description="the measure computed from the run folder")
    description: PlainText = Field(min_length=1, max_length=200)
    role: Literal["target", "context", "report"] = Field(
        "target",
        description="target: a range the model should meet; context: a published figure to "
        "compare with; report: shown without a range (no published range)",
    )
    low: Number | None = None
    high: Number | None = Field(None, validate_default=True)
    unit: PlainText = Field(description="the measure's unit, e.g. %, h, min, U")
    scale: Literal["annual", "none"] = Field(
        validate_default=True,
        description="annual: a yearly total, scaled by measured days / 365; none: a rate",
    )
    source: PlainText = Field(description="facts.md and a section number, or seeds.md")
    quote: PlainText = Field(min_length=1, max_length=600, description="the figure as sourced")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ENTRY_ID.fullmatch(value):
            raise ValueError(f"{short(value)} is not a valid id (a-z, 0-9 and _, up to 60)")
        return value

    @field_validator("measure")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in MEASURES:
            raise ValueError(f"unknown measure {short(value)} (one of: {', '.join(MEASURES)})")
        return value

    @field_validator("high")
    @classmethod
    def _range(cls, high: float | None, info: ValidationInfo) -> float | None:
        low, role = info.data.get("low"), info.data.get("role")
        if role == "report" and (low, high) != (None, None):
            raise ValueError("a reported figure has a range (no low or high with role report)")
        if role != "report" and low is None and high is None:
            raise ValueError("no range (low, high or both)")
        if low is not None and high is not None and high < low:
            raise ValueError(f"{high:g} is below low {low:g} (high >= low)")
        return high

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str, info: ValidationInfo) -> str:
        measure = _measure(info)
        if measure and value != measure.unit:
            raise ValueError(f"{short(value)} is not the unit of {measure.name} ({measure.unit})")
        return value

    @field_validator("scale")
    @classmethod
    def _scale(cls, value: str, info: ValidationInfo) -> str:
        measure = _measure(info)
        if measure and (value == "annual") != measure.total:
            want = "annual: a total over the horizon" if measure.total else "none: a rate"
            raise ValueError(f"{value} does not fit {measure.name} ({want})")
        return value

    @field_validator("source")
    @classmethod
    def _cited(cls, value: str) -> str:
        if not SOURCE.match(value):
            raise ValueError(
                f"{short(value)} cites no source (facts.md and a section, e.g. 'facts.md 4.4', "
                "or seeds.md, first)"
            )
        return value


def _measure(info: ValidationInfo) -> Measure | None:
    """The entry's measure, if its name was valid (fields are checked in order)."""
    return MEASURES.get(info.data.get("measure", ""))


class Reference(Section):
    """The reference figures of one region."""

    region: PlainText = Field(min_length=1)
    title: PlainText = Field(min_length=1, max_length=200)
    entries: list[Entry] = Field(min_length=1, max_length=200)

    @field_validator("entries")
    @classmethod
    def _unique(cls, entries: list[Entry]) -> list[Entry]:
        twice = [i for i, n in Counter(e.id for e in entries).items() if n > 1]
        if twice:
            raise ValueError(f"id {short(twice[0])} is listed twice (each id once)")
        return entries


def load_reference(path: str | Path) -> Reference:
    """Read and validate a reference file.

    Raises
    ------
    CalibrationError
        One line per mistake: ``FILE: field.path: what is wrong (what was expected)``.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CalibrationError([f"{path}: cannot read the reference file ({reason})"]) from None
    if len(data) > MAX_BYTES:
        raise CalibrationError([f"{path}: larger than {MAX_BYTES:,} bytes (a reference file)"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CalibrationError([f"{path}: not UTF-8 text (a YAML reference file)"]) from None
    return parse_reference(text, str(path))


def parse_reference(text: str, file: str) -> Reference:
    """Validate the YAML ``text`` of a reference file (``file`` names it in errors)."""
    try:
        raw = parse(text, file)
    except ScenarioError as exc:
        raise CalibrationError([p.line(file) for p in exc.problems]) from None
    if not isinstance(raw, dict):
        raise CalibrationError([f"{file}: (top level): not a mapping (keys region, title, "
                                "entries)"])  # fmt: skip
    try:
        return Reference.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from(exc, Reference)
        raise CalibrationError([p.line(file) for p in problems]) from None


def shipped_regions() -> list[str]:
    """Regions with a reference file shipped in the package (``scenarios/reference``)."""
    folder = files("scenarios").joinpath(SHIPPED_FOLDER)
    return sorted(f.name.removesuffix(".yaml") for f in folder.iterdir() if f.name.endswith(
        ".yaml"))  # fmt: skip


def shipped_reference(region: str) -> Reference | None:
    """The shipped reference of ``region`` (a region name as in ``kpis.json``), or None."""
    if region not in shipped_regions():
        return None
    item = files("scenarios").joinpath(SHIPPED_FOLDER, f"{region}.yaml")
    return parse_reference(item.read_text(encoding="utf-8"), f"scenarios/reference/{region}.yaml")
