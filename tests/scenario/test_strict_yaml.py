"""Strict, bounded YAML: size, depth and alias budgets, duplicate keys, short messages."""

from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario
from sim.scenario.errors_translate import MAX_PROBLEMS
from sim.scenario.strict_yaml import MAX_BYTES, MAX_DEPTH, MAX_NODES


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [p.line("F") for p in caught.value.problems]


def test_a_file_over_the_size_limit_is_refused_unparsed(tmp_path):
    path = _write(tmp_path, "name: x\n" + "#" * MAX_BYTES)
    assert _problems(path) == [
        f"F: (top level): the file is larger than 1 MB (at most {MAX_BYTES:,} bytes)"
    ]


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = _write(tmp_path, "name: x\n" + "#" * (MAX_BYTES - 20) + "\n")
    assert load_scenario(path).scenario.name == "x"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_refused_without_recursion_error(tmp_path, depth):
    path = _write(tmp_path, "name: x\nsupply: {hourly_profile: " + "[" * depth + "]" * depth + "}")
    (line,) = _problems(path)
    assert f"nested deeper than {MAX_DEPTH} levels" in line


def test_a_flat_list_past_the_value_budget_is_refused(tmp_path):
    path = _write(tmp_path, "name: x\nsupply: {hourly_profile: [" + "1, " * MAX_NODES + "]}")
    (line,) = _problems(path)
    assert f"more than {MAX_NODES:,} values" in line


def test_anchors_aliases_and_merge_keys_within_budget_are_yaml_as_usual(tmp_path):
    text = """\
name: aliases
supply:
  weekday_factors: &week [1, 1, 1, 1, 1, 1, 1]
demand:
  weekday_factors: *week
inventory:
  hospital: &policy
    target_days: {RBC: 3, PLT: 1.5, FFP: 5, CRYO: 5}
    safety_days: {RBC: 1, PLT: 0.5, FFP: 2, CRYO: 2}
  station:
    <<: *policy
    review_hour: 6
"""
    scenario = load_scenario(_write(tmp_path, text)).scenario
    assert scenario.demand.weekday_factors == (1,) * 7
    assert scenario.inventory.station.review_hour == 6
    assert scenario.inventory.station.target_days.RBC == 3


def test_a_merged_key_may_be_overridden_but_not_repeated(tmp_path):
    text = "name: x\nbase: &b {a: 1}\n"
    ok = _write(tmp_path, text + "other: {<<: *b, a: 2}\n", "ok.yaml")
    assert "unknown key 'base'" in _problems(ok)[0]  # parsed; the keys are just not ours
    twice = _write(tmp_path, text + "other: {<<: *b, a: 2, a: 3}\n", "twice.yaml")
    assert _problems(twice) == [
        "F: line 3: key 'a' appears again (first on line 3) (each key once in a mapping)"
    ]


@pytest.mark.parametrize(
    "value",
    ["!!int abc", "!!bool maybe", "1" * 5000, "!!float [1]"],
    ids=["bad-int", "bad-bool", "5000-digit-int", "tagged-list"],
)
def test_values_pyyaml_cannot_build_are_scenario_errors(tmp_path, value):
    (line,) = _problems(_write(tmp_path, f"name: x\ndays: {value}\n"))
    assert "F: " in line and "Traceback" not in line


def test_thousands_of_bad_values_give_a_short_list(tmp_path):
    path = _write(tmp_path, "name: x\nsupply: {hourly_profile: [" + "-1, " * 5000 + "]}")
    lines = _problems(path)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == "F: (top level): 4980 more problems not shown (fix the ones above)"


@pytest.mark.parametrize(
    "text",
    [
        "name: " + "x" * 500_000,
        "name: x\nsupply: {donors_per_house_per_day: " + "9" * 4000 + "}",
        "name: x\nsupply: {donation_houses: " + "a" * 500_000 + "}",
        "name: x\n" + "k" * 500_000 + ": 1",
    ],
    ids=["long-name", "long-number", "long-site-list", "long-key"],
)
def test_a_huge_value_is_quoted_short(tmp_path, text):
    lines = _problems(_write(tmp_path, text))
    assert lines and all(len(line) < 400 for line in lines)


def test_a_road_graph_that_is_not_graphml_is_a_scenario_error(tmp_path):
    (tmp_path / "roads.txt").write_text("not xml at all", encoding="utf-8")
    (tmp_path / "page.xml").write_text("<html><body/></html>", encoding="utf-8")
    (tmp_path / "empty.graphml").write_bytes(b"")
    cases = {"roads.txt": "is not XML", "page.xml": "is XML but not GraphML"}
    cases["empty.graphml"] = "is not XML"
    for graph, wrong in cases.items():
        (line,) = _problems(_write(tmp_path, f"name: x\nroad_graph: {graph}\n"))
        assert line.startswith("F: road_graph: ") and wrong in line, line


def test_a_graphml_file_passes_the_load_time_check(tmp_path):
    (tmp_path / "roads.graphml").write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<graph edgedefault="directed"/></graphml>',
        encoding="utf-8",
    )
    loaded = load_scenario(_write(tmp_path, "name: x\nroad_graph: roads.graphml\n"))
    assert loaded.scenario.road_graph == "roads.graphml"


def test_crlf_files_hash_like_their_lf_twins(tmp_path):
    lf = _write(tmp_path, "name: x\ndays: 3\n", "lf.yaml")
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(b"name: x\r\ndays: 3\r\n")
    assert load_scenario(lf).sha256 == load_scenario(crlf).sha256
