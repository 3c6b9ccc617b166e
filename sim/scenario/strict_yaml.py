"""Strict, bounded YAML for scenario files.

A scenario file is small (the largest shipped one is under 10 kB), so anything far bigger
is refused before it can cost time or memory:

- files over :data:`MAX_BYTES` are refused before parsing;
- lists and mappings nested deeper than :data:`MAX_DEPTH` are refused while composing,
  before Python's recursion limit is near;
- a document that expands to more than :data:`MAX_NODES` values, counting every use of an
  alias as a copy of its anchor's values, is refused while composing (a YAML "billion
  laughs" fails within milliseconds), and so is an alias inside its own anchor;
- a key given twice in one mapping is refused (YAML says keys are unique; PyYAML would keep
  the last one silently).

The pure-Python reader parses about a megabyte a second, so these limits keep every file
under a couple of seconds. Dates and times stay text, so pydantic reports bad ones with
their field path.
"""

from __future__ import annotations

from collections.abc import Hashable

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode

from sim.scenario.problems import Problem, ScenarioError, short

MAX_BYTES = 1_000_000  # 100x the largest shipped scenario; about a second to parse
MAX_DEPTH = 50  # the scenario schema nests 6 levels deep
MAX_NODES = 20_000  # values after alias expansion; the baseline has about 600
MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlLimitError(yaml.MarkedYAMLError):
    """A file that is valid YAML but breaks one of the limits above."""

    def __init__(self, mark: yaml.Mark, problem: str, expected: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.expected = expected


class StrictLoader(yaml.SafeLoader):
    """Safe YAML with depth, size and alias budgets and no duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}  # id(node) -> values under it, aliases expanded

    def compose_node(self, parent: Node | None, index: object) -> Node:
        """Compose one node, counting depth and expanded size (aliases included)."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise YamlLimitError(
                    event.start_mark,
                    f"alias *{event.anchor[:40]} is used inside its own anchor",
                    "no recursive aliases",
                )
            self._grow(self._sizes[id(node)], event.start_mark)
            return node
        self._grow(1, event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlLimitError(
                event.start_mark,
                f"lists and mappings nested deeper than {MAX_DEPTH} levels",
                f"at most {MAX_DEPTH} levels",
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in _children(node))
        return node

    def _grow(self, nodes: int, mark: yaml.Mark) -> None:
        self._nodes += nodes
        if self._nodes > MAX_NODES:
            raise YamlLimitError(
                mark,
                f"the file expands to more than {MAX_NODES:,} values (aliases counted "
                "at every use)",
                f"at most {MAX_NODES:,} values",
            )

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        """A mapping whose keys are unique (merge keys ``<<`` may be overridden)."""
        first: dict[Hashable, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # PyYAML reports unhashable keys itself
            line = key_node.start_mark.line + 1
            if key in first:
                raise YamlLimitError(
                    key_node.start_mark,
                    f"key {short(key)} appears again (first on line {first[key]})",
                    "each key once in a mapping",
                )
            first[key] = line
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse(text: str, file: str) -> object:
    """The YAML document in ``text`` (read from ``file``).

    Raises
    ------
    ScenarioError
        For any YAML error or broken limit, naming the line where it was found.
    """
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a safe loader subclass
    except YamlLimitError as exc:
        problem = Problem(_line(exc), exc.problem or "", exc.expected)
    except yaml.YAMLError as exc:
        problem = Problem(
            _line(exc), f"YAML {getattr(exc, 'problem', None) or 'syntax error'}", "valid YAML"
        )
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # Values PyYAML cannot convert: an int of over 4,300 digits, "!!int abc", "!!bool no2".
        problem = Problem(
            "",
            f"a YAML value cannot be read ({type(exc).__name__}: {short(str(exc))})",
            "plain numbers, text, lists and mappings",
        )
    raise ScenarioError(file, [problem])


def _line(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}" if mark else ""
