"""Fuzzing region files: a tiny region copied from Zhejiang, mutated field by field, type by type
and value by value (and byte by byte). ``load_region`` must either succeed with every value in
range, or raise ``GeodataError``; never another exception, never a hang, and never accept an
out-of-range value."""

from __future__ import annotations

import json
import math
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata import GeodataError, Region, load_region
from tests.geodata.tiny import Documents, site, tiny_documents, write_region

#: Seconds one load may take before it counts as a hang (a normal one takes ~0.1 s).
HANG_S = 10
#: Examples per fuzz test; raise it for a longer hunt: ``REGION_FUZZ_EXAMPLES=2000 pytest ...``.
EXAMPLES = int(os.environ.get("REGION_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the alarm below bounds each load; a deadline would be flaky on 2 cores
    suppress_health_check=[HealthCheck.too_slow],
)

# The ranges the product promises (issue 9; geodata/limits.py says where each comes from).
BEDS = (0, 20_000)
DONOR_BEDS = 200
ROAD_BOUNDS = {
    "detour_factor": (1.0, 3.0),
    "urban_speed_kmh": (5.0, 120.0),
    "intercity_speed_kmh": (5.0, 120.0),
    "urban_radius_km": (0.0, 200.0),
    "peak_factor": (1.0, 5.0),
    "handling_min": (0.0, 240.0),
}
FERRY_MIN = (0.0, 1440.0)
RAIL_MINUTES = (0.0, 1440.0)  # above 0


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (rather than hang) when the body runs longer than ``seconds``."""

    def _hang(signum: int, frame: object) -> None:
        raise AssertionError(f"load_region still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load(documents: Documents) -> Region | GeodataError:
    """Write the documents to a fresh folder and load it; a GeodataError is returned."""
    with tempfile.TemporaryDirectory() as tmp, time_limit(HANG_S):
        folder = write_region(Path(tmp) / "fuzzed", documents)
        try:
            return load_region(folder)
        except GeodataError as exc:
            assert str(folder) in str(exc), "the message names the file"
            return exc


# ---- what a mutation can put in a field ----------------------------------------------------

EDGE_NUMBERS = [0, -1, 1, 10**15, 10**30, 1e-300, -0.0, 5e-324, 1e308, 2.5, 20_001, 200.5]
EDGE_TEXT = ["", " ", "lots", "NaN", "1e15", "</script><script>alert(1)</script>", "ü\u202e"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN and infinities included: json.dumps writes them as NaN/Infinity
    st.sampled_from(EDGE_NUMBERS),
    st.text(max_size=12),
    st.sampled_from(EDGE_TEXT),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def leaf_paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Paths of every value in a document (lists of numbers count as values too)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaf_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):  # the first few items of long lists
            yield from leaf_paths(value, (*prefix, index))


def _targets() -> list[tuple[str, tuple]]:
    docs = tiny_documents()
    out = []
    for name, document in docs.items():
        if name == "outline.geojson":  # thousands of vertices: its first few paths are enough
            out += [(name, p) for p in list(leaf_paths(document))[:40]]
        else:
            out += [(name, p) for p in leaf_paths(document) if p]
    return out


TARGETS = _targets()


def _parent(document: Any, path: tuple) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


def set_at(documents: Documents, name: str, path: tuple, value: Any) -> None:
    """Put ``value`` at ``path`` of one document (the whole document when the path is empty)."""
    if not path:
        documents[name] = value
    else:
        _parent(documents[name], path)[path[-1]] = value


def delete_at(documents: Documents, name: str, path: tuple) -> None:
    """Remove the value at ``path`` (a whole file when the path is empty)."""
    if not path:
        documents[name] = None
    else:
        del _parent(documents[name], path)[path[-1]]


# ---- what a successful load must satisfy -----------------------------------------------------


def assert_in_range(region: Region) -> None:
    """Every value of an accepted region is within the promised ranges."""
    sites = region.sites
    x, y = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
    assert np.isfinite(x).all() and np.isfinite(y).all()
    assert (np.abs(x) <= 180).all() and (np.abs(y) <= 90).all()
    assert sites["site_id"].is_unique
    assert sites.geometry.apply(region.outline.covers).all()
    beds = sites["beds"].dropna().astype(float)
    assert ((beds >= BEDS[0]) & (beds <= BEDS[1]) & (beds == beds.round())).all()
    houses = sites.loc[sites["kind"] == "donation_house", "beds"].dropna().astype(float)
    assert (houses <= DONOR_BEDS).all()
    for field, (low, high) in ROAD_BOUNDS.items():
        assert low <= getattr(region.road, field) <= high, field
    assert FERRY_MIN[0] <= region.road.ferry.extra_min <= FERRY_MIN[1]
    for start, end in region.road.peak_windows_h:
        assert 0 <= start < end <= 24
    minutes = region.rail_lines["minutes"].astype(float)
    assert ((minutes > RAIL_MINUTES[0]) & (minutes <= RAIL_MINUTES[1])).all()


# ---- the fuzz tests --------------------------------------------------------------------------


@st.composite
def field_mutations(draw: st.DrawFn) -> Documents:
    """Up to three edits: replace a value (any type), delete a key or file, add a key."""
    docs = tiny_documents()
    for _ in range(draw(st.integers(1, 3))):
        name, path = draw(st.sampled_from(TARGETS))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        try:
            if action == "replace":
                set_at(docs, name, path, draw(VALUES))
            elif action == "delete":
                delete_at(docs, name, path)
            else:
                target = _parent(docs[name], (*path, None))
                if isinstance(target, dict):
                    target[draw(st.text(max_size=8))] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier edit removed or replaced this path
    return docs


def _outside(low: float, high: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.floats(max_value=low, exclude_max=True),
        st.floats(min_value=high, exclude_min=True),
        st.just(math.nan),
    )


@st.composite
def out_of_range(draw: st.DrawFn) -> tuple[Documents, str]:
    """One value just or far outside its range; returns the documents and the field to name."""
    docs = tiny_documents()
    kind = draw(st.sampled_from(["beds", "road", "ferry", "rail", "lon", "lat"]))
    if kind == "beds":
        value = draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=BEDS[1] + 1)))
        site(docs, "h_hangzhou_001")["properties"]["beds"] = value
        return docs, "beds"
    if kind == "road":
        field = draw(st.sampled_from(sorted(ROAD_BOUNDS)))
        docs["road.json"][field] = draw(_outside(*ROAD_BOUNDS[field]))
        return docs, field
    if kind == "ferry":
        docs["road.json"]["ferry"]["extra_min"] = draw(_outside(*FERRY_MIN))
        return docs, "ferry"
    if kind == "rail":
        docs["rail_lines.geojson"]["features"][0]["properties"]["minutes"] = draw(
            _outside(*RAIL_MINUTES)
        )
        return docs, "minutes"
    axis, limit = (0, 180.0) if kind == "lon" else (1, 90.0)
    site(docs, "dh_hangzhou_01")["geometry"]["coordinates"][axis] = draw(_outside(-limit, limit))
    return docs, "geometry"


@FUZZ
@given(out_of_range())
def test_out_of_range_values_are_rejected(case: tuple[Documents, str]) -> None:
    documents, field = case
    result = load(documents)
    assert isinstance(result, GeodataError), f"accepted an out-of-range {field}"
    message = str(result)
    assert f"'{field}" in message or "'<document>': finite numbers" in message, message


@st.composite
def byte_mutations(draw: st.DrawFn) -> Documents:
    """One file truncated, a byte replaced, bytes inserted, or the file replaced by noise."""
    docs = tiny_documents()
    name = draw(st.sampled_from(sorted(n for n in docs if n != "outline.geojson")))
    data = json.dumps(docs[name]).encode()
    at = draw(st.integers(0, len(data)))
    noise = draw(st.binary(min_size=1, max_size=8))
    action = draw(st.sampled_from(["truncate", "replace", "insert", "noise"]))
    docs[name] = {
        "truncate": data[:at],
        "replace": data[:at] + noise[:1] + data[at + 1 :],
        "insert": data[:at] + noise + data[at:],
        "noise": draw(st.binary(max_size=64)),
    }[action]
    return docs


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(st.one_of(field_mutations(), byte_mutations()))
def test_mutated_region_loads_or_raises_geodata_error(documents: Documents) -> None:
    result = load(documents)
    if isinstance(result, Region):
        assert_in_range(result)


@pytest.mark.parametrize("name", ["sites.geojson", "rail_lines.geojson", "no_fly.geojson"])
def test_swapping_every_coordinate_is_caught(name: str) -> None:
    """Swapped lon/lat in a whole layer: Zhejiang's latitudes of ~120 are out of range."""
    docs = tiny_documents()
    for feature in docs[name]["features"]:
        feature["geometry"]["coordinates"] = _swap(feature["geometry"]["coordinates"])
    result = load(docs)
    assert isinstance(result, GeodataError) and "swapped" in str(result)


def _swap(coordinates: Any) -> Any:
    if isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap(part) for part in coordinates]
