"""Read a scenario file: YAML -> validated :class:`Scenario` plus its region."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from sim.scenario.checks import road_graph_path, run_checks
from sim.scenario.errors_translate import problems_from
from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, ScenarioError


class _ScenarioYaml(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so pydantic reports bad dates with their path."""


_ScenarioYaml.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str
)


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
    raw = _parse_yaml(path, text)
    scenario = _validate(path, raw)
    region = _load_region(path, scenario)
    problems = run_checks(scenario, region)
    graph = road_graph_path(scenario, path)
    if graph is not None and not graph.is_file():
        problems.append(
            Problem("road_graph", f"{graph} does not exist", "a GraphML road network file")
        )
    if problems:
        raise ScenarioError(str(path), problems)
    return LoadedScenario(path, scenario, region, hashlib.sha256(text.encode()).hexdigest())


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            str(path), [Problem("", "file not found", "a scenario YAML file")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            str(path), [Problem("", f"cannot read: {exc}", "a UTF-8 text file")]
        ) from None


def _parse_yaml(path: Path, text: str) -> dict:
    try:
        raw = yaml.load(text, Loader=_ScenarioYaml)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ScenarioError(str(path), [Problem(where, f"YAML {problem}", "valid YAML")]) from None
    if not isinstance(raw, dict):
        raise ScenarioError(
            str(path),
            [
                Problem(
                    "",
                    "the file is not a mapping of sections",
                    "YAML with keys such as name, region, days",
                )
            ],
        )
    return raw


def _validate(path: Path, raw: dict) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(str(path), problems_from(exc, Scenario)) from None


def _load_region(path: Path, scenario: Scenario) -> object:
    from geodata import GeodataError, load_region

    name = scenario.region
    candidate = path.parent / name
    target = str(candidate) if candidate.exists() else name
    try:
        return load_region(target)
    except GeodataError as exc:
        raise ScenarioError(
            str(path),
            [Problem("region", str(exc), "an embedded region name or a path to region files")],
        ) from None
