"""Scenario files: pydantic models, defaults with sources, and the validating loader."""

from sim.scenario.loader import LoadedScenario, load_scenario
from sim.scenario.model import Scenario
from sim.scenario.problems import Problem, ScenarioError

__all__ = ["LoadedScenario", "Problem", "Scenario", "ScenarioError", "load_scenario"]
