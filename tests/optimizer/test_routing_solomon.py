"""Solomon reader, benchmark record and the ``bench vrptw`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from optimizer.routing import read_solomon
from optimizer.routing.solomon import SolomonFormatError, bench_instance
from sim.cli.bench import bench_app

REPO = Path(__file__).resolve().parents[2]
SOLOMON = REPO.parent / "shared" / "benchmarks" / "vrp" / "solomon"
needs_solomon = pytest.mark.skipif(not SOLOMON.is_dir(), reason=f"{SOLOMON} not present")

TINY = """TINY

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0          0          0          0       1000          0
    1      3          4          5          0        100         10
    2      1          1          5          0        100         10
"""


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")

    @app.command()
    def version() -> None:  # a second command so "bench" stays a sub-command
        """Print nothing."""

    return app


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "TINY.txt"
    path.write_text(TINY.replace("\n", "\r\n"))
    return path


def test_tiny_file_parses_with_truncated_distances(tiny: Path) -> None:
    problem = read_solomon(tiny)
    assert problem.name == "TINY" and len(problem.clients) == 2
    assert problem.vehicle_types[0].count == 2 and problem.vehicle_types[0].capacity == 10
    assert problem.distance[0, 0, 1] == 5.0
    assert problem.distance[0, 0, 2] == 1.4  # sqrt(2) = 1.414 truncated
    assert problem.depots[0].tw_late == 1000 and problem.clients[0].service_min == 10


@needs_solomon
def test_real_solomon_file_parses() -> None:
    problem = read_solomon(SOLOMON / "C101.txt")
    assert problem.name == "C101" and len(problem.clients) == 100
    assert problem.vehicle_types[0].count == 25 and problem.vehicle_types[0].capacity == 200
    assert problem.clients[0].name == "1" and problem.clients[0].tw_early == 912


@pytest.mark.parametrize(
    "text",
    [
        "",
        "C101\n\nVEHICLE\n",
        "X\nVEHICLE\n 2 10\nCUSTOMER\n",
        "X\nVEHICLE\n2 10\nCUSTOMER\n0 0 0 0 0 10 0\n1 1 1 1 9 5 0\n",
    ],
)
def test_malformed_file_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(SolomonFormatError, match="bad.txt"):
        read_solomon(path)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  2         10", "  inf       10", "line 5: VEHICLE NUMBER: expected an integer"),
        ("  2         10", "  1e12      10", "line 5: VEHICLE NUMBER"),
        ("  2         10", "  0         10", "line 5: VEHICLE NUMBER"),
        ("  2         10", "  2.5       10", "line 5: VEHICLE NUMBER"),
        ("  2         10", "  2        nan", "line 5: VEHICLE CAPACITY"),
        ("  2         10", "  2", "line 5: VEHICLE: expected one line"),
        ("    1      3 ", "  nan      3 ", "line 11: CUST NO.: expected an integer"),
        ("    1      3 ", "  abc      3 ", "line 11: CUST NO."),
        ("    2      1 ", "    1      1 ", "line 12: CUST NO.: expected a number not used before"),
        ("    1      3 ", "    1  1e300 ", "line 11: XCOORD."),
        ("4          5          0 ", "4         -5          0 ", "line 11: DEMAND"),
        ("5          0        100", "5         -1        100", "line 11: READY TIME"),
        ("5          0        100", "5        200        100", "line 11: DUE DATE"),
        ("100         10\n    2", "100        -10\n    2", "line 11: SERVICE TIME"),
        (
            "0          0          0       1000",
            "0          7          0       1000",
            "line 10: DEMAND",
        ),
        ("5          0        100         10\n", "5\n", "line 12: CUSTOMER: expected 7"),
        ("TINY", "T" * 81, "line 1: NAME"),
    ],
)
def test_bad_values_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert TINY.count(old) >= 1
    path = tmp_path / "bad.txt"
    text = TINY.replace(old, new, 1) if "\n" not in old else _replace_last(TINY, old, new)
    path.write_text(text)
    with pytest.raises(SolomonFormatError) as info:
        read_solomon(path)
    message = str(info.value)
    assert message.startswith(f"{path}, {where}") and "\n" not in message, message


def _replace_last(text: str, old: str, new: str) -> str:
    head, _, tail = text.rpartition(old)
    return head + new + tail


def test_truncated_file_names_the_missing_section(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(TINY[: TINY.index("CUSTOMER")])
    with pytest.raises(SolomonFormatError, match=r"cut.txt: CUSTOMER: expected a line"):
        read_solomon(path)


def test_bench_record(tiny: Path) -> None:
    rec = bench_instance(tiny, engine="ortools", time_limit_s=0.2)
    assert rec["instance"] == "TINY" and rec["feasible"] and rec["engine"] == "ortools"
    assert sorted(c for r in rec["routes"] for c in r) == [1, 2]
    assert rec["cost"] > 0 and 1 <= rec["vehicles"] <= 2


def test_cli_json_lines(tiny: Path) -> None:
    result = CliRunner().invoke(
        _app(),
        ["bench", "vrptw", str(tiny), "--time-limit", "0.2", "--engine", "ortools", "--json"],
    )
    assert result.exit_code == 0, result.output
    rec = json.loads(result.output.strip().splitlines()[0])
    assert {"instance", "cost", "vehicles", "feasible", "time_s", "routes", "engine"} <= set(rec)


def test_cli_table(tiny: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["bench", "vrptw", str(tiny), "--time-limit", "0.2", "--engine", "ortools"]
    )
    assert result.exit_code == 0 and "TINY" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["missing.txt"],
        ["BAD"],
        ["TINY", "--engine", "magic"],
        ["TINY", "--time-limit", "inf"],
        ["TINY", "--time-limit", "1e12"],
        ["TINY", "--time-limit", "nan"],
        ["TINY", "--time-limit", "0"],
        ["TINY", "--seed", "-1"],
        ["TINY", "--workers", "0"],
        ["TINY", "--workers", "64"],
        ["TINY", "BAD"],
    ],
)
def test_cli_user_errors_exit_2(tmp_path: Path, tiny: Path, args: list[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not a solomon file\n")
    args = [{"BAD": str(bad), "TINY": str(tiny)}.get(a, a) for a in args]
    if "--time-limit" not in args:
        args = [*args, "--time-limit", "0.2"]
    result = CliRunner().invoke(_app(), ["bench", "vrptw", *args])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
