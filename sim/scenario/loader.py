"""Read a scenario file: YAML -> validated :class:`Scenario` plus its region."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from geodata import GeodataError, load_region
from sim.scenario.checks import road_graph_path, run_checks
from sim.scenario.errors_translate import problems_from
from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, ScenarioError
from sim.scenario.strict_yaml import MAX_BYTES, parse


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the file it came from and its loaded region."""

    path: Path
    scenario: Scenario
    region: object  # geodata.Region
    sha256: str


def load_scenario(path: str | Path) -> LoadedScenario:
    """Load and validate a scenario file.

    Raises
    ------
    ScenarioError
        With one problem per mistake, each naming the field path and what was expected.
    """
    path = Path(path)
    text = _read(path)
    raw = _mapping(path, parse(text, str(path)))
    scenario = _validate(path, raw)
    region = _load_region(path, scenario)
    problems = run_checks(scenario, region)
    problems.extend(_road_graph(scenario, path))
    if problems:
        raise ScenarioError(str(path), problems)
    return LoadedScenario(path, scenario, region, hashlib.sha256(text.encode()).hexdigest())


def _read(path: Path) -> str:
    """The file's text, refused unread past :data:`MAX_BYTES`."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _refused(path, "file not found", "a scenario YAML file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise _refused(path, f"cannot read: {exc}", "a UTF-8 text file") from None
    if len(data) > MAX_BYTES:
        raise _refused(path, "the file is larger than 1 MB", f"at most {MAX_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused(path, f"cannot read: {exc}", "a UTF-8 text file") from None
    # Universal newlines, as Path.read_text (the scenario hash depends on it).
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mapping(path: Path, raw: object) -> dict:
    if not isinstance(raw, dict):
        raise _refused(
            path,
            "the file is not a mapping of sections",
            "YAML with keys such as name, region, days",
        )
    return raw


def _refused(path: Path, wrong: str, expected: str) -> ScenarioError:
    return ScenarioError(str(path), [Problem("", wrong, expected)])


def _validate(path: Path, raw: dict) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(str(path), problems_from(exc, Scenario)) from None


def _load_region(path: Path, scenario: Scenario) -> object:
    name = scenario.region
    candidate = path.parent / name
    target = str(candidate) if _exists(candidate) else name
    try:
        return load_region(target)
    except (GeodataError, OSError) as exc:
        expected = "an embedded region name or a path to region files"
        lines = [line for line in str(exc).splitlines() if line] or [type(exc).__name__]
        raise ScenarioError(
            str(path), [Problem("region", line, expected) for line in lines]
        ) from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system
        return False


def _road_graph(scenario: Scenario, path: Path) -> list[Problem]:
    """A problem if the scenario's road graph is missing or not GraphML (its root element
    is read, not the whole graph)."""
    graph = road_graph_path(scenario, path)
    expected = "a GraphML road network file (e.g. saved by osmnx)"
    if graph is None:
        return []
    if not _is_file(graph):
        return [Problem("road_graph", f"{graph} does not exist or is not a file", expected)]
    try:
        with graph.open("rb") as stream:
            _event, root = next(ET.iterparse(stream, events=("start",)))
    except (ET.ParseError, OSError, StopIteration) as exc:
        return [Problem("road_graph", f"{graph} is not XML ({exc})", expected)]
    if root.tag.rpartition("}")[2] != "graphml":
        return [Problem("road_graph", f"{graph} is XML but not GraphML", expected)]
    return []


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
