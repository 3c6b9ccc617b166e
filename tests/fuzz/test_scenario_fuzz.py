"""Fuzzing scenario files: the shipped scenarios mutated field by field, type by type and
value by value, and as YAML structure (duplicate keys, deep nesting, aliases).

``load_scenario`` must accept each mutant or raise :class:`ScenarioError`: never another
exception, never slower than a few seconds (hypothesis' deadline), and never accept a number
moved outside the range the JSON Schema states for it.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

import geodata
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.scenario.strict_yaml import MAX_DEPTH, MAX_NODES, parse

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = {
    p.stem: parse(p.read_text(encoding="utf-8"), str(p))
    for p in sorted((ROOT / "scenarios").glob("*.yaml"))
}
SCHEMA = Scenario.model_json_schema()
FUZZ = settings(
    max_examples=100,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
)
STRUCTURE = settings(FUZZ, max_examples=40)  # each example composes and serializes YAML
Path_ = tuple[str | int, ...]


@pytest.fixture(scope="module", autouse=True)
def _regions_once():
    """Each region is read once for the module (the loader looks ``load_region`` up at call
    time), so an example costs a parse and a validation, not a region."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(geodata, "load_region", functools.lru_cache(maxsize=8)(geodata.load_region))
        yield


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenario_fuzz")


def _load(folder: Path, text: str) -> ScenarioError | None:
    """None if the file loads, the ScenarioError if not; anything else fails the test."""
    path = folder / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc
    return None


# --------------------------------------------------------------------------- documents


def _paths(node: object, path: Path_ = ()) -> Iterator[Path_]:
    """Every node below the root, containers and leaves."""
    if isinstance(node, dict | list):
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            yield (*path, key)
            yield from _paths(child, (*path, key))


def _get(doc: object, path: Path_) -> object:
    for key in path:
        doc = doc[key]
    return doc


def _set(doc: object, path: Path_, value: object) -> object:
    doc = copy.deepcopy(doc)
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def _delete(doc: object, path: Path_) -> object:
    doc = copy.deepcopy(doc)
    del _get(doc, path[:-1])[path[-1]]
    return doc


def _dump(doc: object) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _dotted(path: Path_) -> str:
    return ".".join(str(key) for key in path)


ALL_PATHS = [(name, path) for name, doc in SHIPPED.items() for path in _paths(doc)]

# ------------------------------------------------------------------------------ schema


def _resolve(node: dict, value: object) -> dict | None:
    """Follow ``$ref`` and pick the branch of a union that ``value`` takes."""
    while True:
        if "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
            continue
        union = node.get("oneOf") or node.get("anyOf")
        if union is None:
            return node
        mapping = node.get("discriminator", {}).get("mapping", {})
        if isinstance(value, dict) and value.get("type") in mapping:
            node = {"$ref": mapping[value["type"]]}
            continue
        branches = [b for b in union if b.get("type") != "null"]
        if len(branches) > 1:  # e.g. a month-day string or a whole number of days
            branches = [b for b in branches if b.get("type") == _json_type(value)]
        if len(branches) != 1:
            return None
        node = branches[0]


def _json_type(value: object) -> str | None:
    """The JSON Schema type of a scalar (``None`` for other values)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string"}.get(type(value))


def _child_schema(node: dict, key: str | int) -> dict | None:
    if key in node.get("properties", {}):
        return node["properties"][key]
    if isinstance(key, int) and key < len(node.get("prefixItems", [])):
        return node["prefixItems"][key]
    if isinstance(key, int) and isinstance(node.get("items"), dict):
        return node["items"]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def schema_at(doc: object, path: Path_) -> dict | None:
    """The JSON Schema of the value at ``path`` of ``doc``, or None if it cannot be told."""
    node: dict | None = SCHEMA
    for key in path:
        node = _resolve(node, doc)
        node = None if node is None else _child_schema(node, key)
        if node is None:
            return None
        doc = doc[key]
    return _resolve(node, doc)


def _numeric(doc: object, path: Path_) -> dict | None:
    value = _get(doc, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return schema_at(doc, path)


NUMBERS = [
    (name, path, schema)
    for name, path in ALL_PATHS
    if (schema := _numeric(SHIPPED[name], path)) is not None
]


def test_every_number_of_the_shipped_scenarios_is_found_in_the_schema():
    numbers = [
        (name, path)
        for name, path in ALL_PATHS
        if isinstance(_get(SHIPPED[name], path), int | float)
        and not isinstance(_get(SHIPPED[name], path), bool)
    ]
    assert len(numbers) > 150
    assert [(n, p) for n, p, _ in NUMBERS] == numbers
    assert all(s.get("type") in ("number", "integer") for _, _, s in NUMBERS)
    assert all({"minimum", "exclusiveMinimum"} & set(s) for _, _, s in NUMBERS)
    assert all({"maximum", "exclusiveMaximum"} & set(s) for _, _, s in NUMBERS)


def edges(schema: dict) -> list[float]:
    """The nearest numbers outside the range of ``schema``, then NaN and the infinities."""
    whole = schema["type"] == "integer"
    out: list[float] = []
    if "maximum" in schema:
        top = schema["maximum"]
        out.append(top + 1 if whole else math.nextafter(top, math.inf))
    if "minimum" in schema:
        low = schema["minimum"]
        out.append(low - 1 if whole else math.nextafter(low, -math.inf))
    out += [schema[k] for k in ("exclusiveMaximum", "exclusiveMinimum") if k in schema]
    return [*out, math.nan, math.inf, -math.inf]


def test_every_number_just_outside_its_range_is_refused_at_its_path(folder):
    """All numbers of all shipped scenarios, each just past each bound and NaN/+-inf
    (a dozen at a time, so every problem is listed)."""
    for name in SHIPPED:
        mine = [(path, edges(schema)) for n, path, schema in NUMBERS if n == name]
        for round_ in range(max(len(e) for _, e in mine)):
            moved = [(path, e[round_]) for path, e in mine if round_ < len(e)]
            for start in range(0, len(moved), 12):
                batch, doc = moved[start : start + 12], SHIPPED[name]
                for path, value in batch:
                    doc = _set(doc, path, value)
                error = _load(folder, _dump(doc))
                assert error is not None
                refused = {p.path for p in error.problems}
                missed = [(_dotted(p), v) for p, v in batch if _dotted(p) not in refused]
                assert missed == [], f"{name}: accepted {missed}"


def outside(schema: dict) -> st.SearchStrategy:
    """Numbers outside the range of ``schema`` (NaN and infinities included)."""
    options = [st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308])]
    whole = schema["type"] == "integer"
    for key, above in (
        ("maximum", True),
        ("exclusiveMaximum", True),
        ("minimum", False),
        ("exclusiveMinimum", False),
    ):
        if key not in schema:
            continue
        bound, open_ = schema[key], key.startswith("exclusive")
        if whole:
            step = 0 if open_ else 1
            options.append(
                st.integers(bound + step, bound + 10**15).map(int)
                if above
                else st.integers(bound - 10**15, bound - step).map(int)
            )
        elif above:
            options.append(st.floats(min_value=bound, exclude_min=not open_, max_value=1e300))
        else:
            options.append(st.floats(max_value=bound, exclude_max=not open_, min_value=-1e300))
    return st.one_of(options)


@FUZZ
@given(data=st.data())
def test_every_number_moved_out_of_its_range_is_refused_at_its_path(folder, data):
    name, path, schema = data.draw(st.sampled_from(NUMBERS), label="number")
    value = data.draw(outside(schema), label="value")
    error = _load(folder, _dump(_set(SHIPPED[name], path, value)))
    assert error is not None, f"{name}: {_dotted(path)} = {value!r} was accepted"
    assert _dotted(path) in [p.path for p in error.problems], str(error)


# ------------------------------------------------------------------------ raw text

TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "scenarios").glob("*.yaml"))]


@FUZZ
@given(text=st.sampled_from(TEXTS), data=st.data())
def test_a_cut_or_spliced_file_is_accepted_or_a_scenario_error(folder, text, data):
    cut = data.draw(st.integers(0, len(text)), label="cut")
    at = data.draw(st.integers(0, cut), label="at")
    splice = data.draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=8))
    _load(folder, text[:at] + splice + text[at:cut])


# ----------------------------------------------------------------------- odd values

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
ODD = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            "",
            "lots",
            "0",
            "1e308",
            "-1",
            "02-31",
            "all",
            "../..",
            "/etc",
            "~",
            "\x00",
            "a\nb",
            "2025-01-01T00:00+08:00",
            "9999-12-31",
            "x" * 5000,
            [],
            {},
            [[]],
            {"a": 1},
            [1, 2, 3],
        ]
    ),
    st.floats(),
    st.integers(-(10**30), 10**30),
    _TEXT,
    st.lists(st.floats() | st.integers() | _TEXT, max_size=5),
    st.dictionaries(_TEXT, st.integers() | _TEXT, max_size=3),
)


@FUZZ
@given(data=st.data())
def test_any_value_anywhere_is_accepted_or_a_scenario_error(folder, data):
    name, path = data.draw(st.sampled_from(ALL_PATHS), label="where")
    value = data.draw(ODD, label="value")
    _load(folder, _dump(_set(SHIPPED[name], path, value)))


@settings(FUZZ, max_examples=40)
@given(where=st.sampled_from(ALL_PATHS))
def test_any_key_or_item_may_be_deleted(folder, where):
    name, path = where
    _load(folder, _dump(_delete(SHIPPED[name], path)))


# ------------------------------------------------------------------- YAML structure

SEQ, STR = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"


def _node(doc: object) -> Node:
    return yaml.compose(_dump(doc), Loader=yaml.SafeLoader)


def _node_at(root: Node, path: Path_) -> Node:
    for key in path:
        if isinstance(root, MappingNode):
            root = next(v for k, v in root.value if k.value == str(key))
        else:
            root = root.value[key]
    return root


def _replace(root: Node, path: Path_, new: Node) -> None:
    parent = _node_at(root, path[:-1])
    if isinstance(parent, MappingNode):
        i = next(i for i, (k, _) in enumerate(parent.value) if k.value == str(path[-1]))
        parent.value[i] = (parent.value[i][0], new)
    else:
        parent.value[path[-1]] = new


def _nested(depth: int) -> Node:
    node: Node = ScalarNode(STR, "deep")
    for _ in range(depth):
        node = SequenceNode(SEQ, [node])
    return node


def _bomb(fan: int, levels: int) -> Node:
    """``fan``**``levels`` values written with one anchor per level (shared nodes)."""
    node: Node = ScalarNode(STR, "lol")
    for _ in range(levels):
        node = SequenceNode(SEQ, [node] * fan, flow_style=True)
    return node


MAPPINGS = [(n, p) for n, p in ALL_PATHS if isinstance(_get(SHIPPED[n], p), dict)]
MAPPINGS += [(n, ()) for n in SHIPPED]


@STRUCTURE
@given(where=st.sampled_from(MAPPINGS), data=st.data())
def test_a_repeated_key_is_refused_at_any_level(folder, where, data):
    name, path = where
    root = _node(SHIPPED[name])
    mapping = _node_at(root, path)
    pair = data.draw(st.sampled_from(mapping.value), label="pair")
    mapping.value.append(copy.deepcopy(pair))
    error = _load(folder, yaml.serialize(root, Dumper=yaml.SafeDumper))
    assert error is not None and "appears again" in str(error), error


@STRUCTURE
@given(where=st.sampled_from(ALL_PATHS), extra=st.integers(1, 300))
def test_deep_nesting_is_refused_at_any_place(folder, where, extra):
    name, path = where
    root = _node(SHIPPED[name])
    _replace(root, path, _nested(MAX_DEPTH - len(path) + extra))
    error = _load(folder, yaml.serialize(root, Dumper=yaml.SafeDumper))
    assert error is not None and f"deeper than {MAX_DEPTH} levels" in str(error), error


@STRUCTURE
@given(where=st.sampled_from(ALL_PATHS), fan=st.integers(3, 12), data=st.data())
def test_an_alias_bomb_is_refused_at_any_place(folder, where, fan, data):
    levels = data.draw(st.integers(math.ceil(math.log(MAX_NODES + 1, fan)), 12), label="levels")
    name, path = where
    root = _node(SHIPPED[name])
    _replace(root, path, _bomb(fan, levels))
    error = _load(folder, yaml.serialize(root, Dumper=yaml.SafeDumper))
    assert error is not None and f"more than {MAX_NODES:,} values" in str(error), error


@STRUCTURE
@given(source=st.sampled_from(ALL_PATHS), data=st.data())
def test_a_node_shared_by_alias_is_accepted_or_a_scenario_error(folder, source, data):
    name, path = source
    target = data.draw(st.sampled_from([p for n, p in ALL_PATHS if n == name]), label="to")
    if target[: len(path)] == path:
        return  # an alias inside its own anchor is tested in tests/scenario
    root = _node(SHIPPED[name])
    _replace(root, target, _node_at(root, path))
    _load(folder, yaml.serialize(root, Dumper=yaml.SafeDumper))
