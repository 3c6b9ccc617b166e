"""Every number of a scenario has a finite range, visible in the JSON Schema."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.scenario.model import Outputs


def numeric_schemas(node: object, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every ``number``/``integer`` sub-schema of a JSON Schema, with where it is."""
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer") and not {"enum", "const"} & set(node):
            yield path, node
        for key, child in node.items():
            yield from numeric_schemas(child, f"{path}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from numeric_schemas(child, f"{path}/{i}")


def test_every_number_in_the_schema_has_a_lower_and_an_upper_bound():
    found = list(numeric_schemas(Scenario.model_json_schema()))
    assert len(found) > 100
    unbounded = [
        path
        for path, node in found
        if not ({"minimum", "exclusiveMinimum"} & set(node))
        or not ({"maximum", "exclusiveMaximum"} & set(node))
    ]
    assert unbounded == []


def test_the_walker_notices_an_unbounded_number():
    schema = {"properties": {"a": {"type": "number", "minimum": 0}, "b": {"type": "string"}}}
    assert [path for path, _ in numeric_schemas(schema)] == ["/properties/a"]


def test_event_times_and_outputs_describe_their_rules_in_the_schema():
    schema = Scenario.model_json_schema()
    window = schema["$defs"]["DroneGrounding"]["properties"]["start"]
    assert "no time zone" in window["description"]
    assert "no '..'" in schema["$defs"]["Outputs"]["properties"]["dir"]["description"]


@pytest.mark.parametrize("folder", ["runs", "out/runs", ".", "runs/2025 drills"])
def test_outputs_dir_inside_the_working_folder_is_accepted(folder):
    assert Outputs(dir=folder).dir == folder


@pytest.mark.parametrize(
    "folder",
    [
        "/tmp/runs",
        "../runs",
        "runs/../../x",
        "~/runs",
        "~",
        "C:\\runs",
        "C:runs",
        "\\\\srv\\x",
        "runs\\..\\..\\x",
        "",
        "runs\x00",
    ],
)
def test_outputs_dir_that_leaves_the_working_folder_is_refused(folder):
    with pytest.raises(ValidationError):
        Outputs(dir=folder)


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ("start: 1999-12-31", "outside the supported years"),
        ("start: 2101-01-01", "outside the supported years"),
        ("seed: -1", "greater than or equal to 0"),
        ("seed: 9223372036854775808", "less than 9223372036854775808"),
        ("supply: {seasons: [{name: s, start: '04-31', end: '05-01', factor: 1}]}", "month-day"),
        ("supply: {seasons: [{name: s, start: '02-29', end: '03-01', factor: 11}]}", "10"),
        ("fleet: {drones: {cruise_kmh: 1.0e-300}}", "greater than or equal to 1"),
        ("fleet: {rail: {headway_min: 0.001}}", "greater than or equal to 1"),
        ("fleet: {vans: {max_utilisation: 1.5}}", "less than or equal to 1"),
        ("supply: {pickup_hours: [11.5, .nan]}", "finite"),
        ("demand: {weekday_factors: [1, 1, 1, 1, 1, 1, .inf]}", "finite"),
        ("policies: {dispatch: yes}", "should be a valid string"),
        ("supply: {donation_size_mix: {200: 0.1504, 300: 0.3, 400: 0.55}}", "exactly 1"),
        (
            "events: [{type: mass_casualty, start: 2025-01-02T00:00, end: 2026-01-02T00:00, "
            "lat: 30.2, lon: 120.2, casualties: 10}]",
            "the incident lasts 365 days",
        ),
    ],
)
def test_out_of_range_values_are_refused(tmp_path: Path, section: str, value: str):
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\n{section}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=value):
        load_scenario(path)
