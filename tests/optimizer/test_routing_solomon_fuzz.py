"""Fuzzing the Solomon reader: a mutated file parses or raises one SolomonFormatError line."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from optimizer.routing import read_solomon, solve
from optimizer.routing.solomon import MAX_COORDINATE, SolomonFormatError

BASE = """C101

VEHICLE
NUMBER     CAPACITY
  3         200

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      40         50          0          0       1236          0
    1      45         68         10        912        967         90
    2      45         70         30        825        870         90
    3      42         66         10         65        146         90
    4      42         68         10        727        782         90
    5      42         65         10         15         67         90
    6      40         69         20        621        702         90
"""

ODD_TOKENS = [
    "nan", "NaN", "inf", "-inf", "1e12", "1e300", "-1", "0", "2.5", "-0", "abc", "1e-300",
    "9" * 40, "0x10", "1_000", "CUSTOMER", "VEHICLE", "\x00", "\u00e9", "",
]  # fmt: skip


@st.composite
def mutated_files(draw) -> str:
    """BASE with 1-3 edits: a token replaced, a line dropped/doubled/moved, a cut, junk."""
    lines = BASE.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["token", "drop", "double", "move", "cut", "junk"]))
        if edit == "token" and lines[k].split():
            tokens = lines[k].split()
            tokens[draw(st.integers(0, len(tokens) - 1))] = draw(st.sampled_from(ODD_TOKENS))
            lines[k] = "  ".join(tokens)
        elif edit == "drop":
            del lines[k]
        elif edit == "double":
            lines.insert(k, lines[k])
        elif edit == "move":
            lines.insert(draw(st.integers(0, len(lines))), lines.pop(k))
        elif edit == "cut":
            text = "\n".join(lines)
            return text[: draw(st.integers(0, len(text)))]
        else:
            lines.insert(k, draw(st.text(max_size=30)))
        if not lines:
            return ""
    return "\n".join(lines) + "\n"


def _read(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return read_solomon(path), ""
        except SolomonFormatError as exc:
            return None, str(exc)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files())
def test_mutated_file_parses_or_fails_with_one_clear_line(text: str) -> None:
    problem, message = _read(text)
    event("parsed" if problem is not None else message.split(": expected")[0].split(": ")[-1])
    if problem is None:
        assert "fuzz.txt" in message and ": expected " in message
        assert "\n" not in message and "Traceback" not in message
        return
    vt = problem.vehicle_types[0]
    assert 1 <= vt.count <= 1000 and math.isfinite(vt.capacity) and vt.capacity >= 0
    assert problem.distance.max() <= 3 * MAX_COORDINATE
    assert len({c.name for c in problem.clients}) == len(problem.clients)
    for c in problem.clients:
        assert 0 <= c.tw_early <= c.tw_late and c.delivery >= 0 and c.service_min >= 0


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files())
def test_whatever_parses_can_be_solved(text: str) -> None:
    problem, _ = _read(text)
    event(f"parsed={problem is not None}")
    if problem is not None:
        plan = solve(problem, max_iterations=20, time_limit_s=2)
        assert plan.feasible or plan.violations


@settings(max_examples=100, deadline=2000)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes_the_reader(text: str) -> None:
    problem, message = _read(text)
    assert problem is not None or ": expected " in message
