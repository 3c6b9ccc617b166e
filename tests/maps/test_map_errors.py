"""``bloodflow map`` on damaged run folders: one clear line, exit status 2, no traceback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from sim.cli.map import map_command


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("map")(map_command)
    return app


def invoke(*args: str):
    return CliRunner().invoke(cli(), [str(a) for a in args])


def assert_one_line(result, *names: str) -> str:
    """Exit status 2, one line on stderr naming each of ``names``, no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    print(lines[0])
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


@pytest.fixture
def copy(tiny_run: Path, tmp_path: Path) -> Path:
    """A copy of the tiny run folder (without its map), free to damage."""
    folder = tmp_path / "run"
    shutil.copytree(tiny_run, folder, ignore=shutil.ignore_patterns("map.html"))
    return folder


def set_provenance(folder: Path, **values: object) -> None:
    file = folder / "kpis.json"
    kpis = json.loads(file.read_text(encoding="utf-8"))
    kpis["provenance"].update(values)
    file.write_text(json.dumps(kpis), encoding="utf-8")


PROVENANCE = [
    ({"days": "2"}, "provenance.days"),
    ({"days": 0}, "provenance.days"),
    ({"days": True}, "provenance.days"),
    ({"days": 2.5}, "provenance.days"),
    ({"days": 10**9}, "provenance.days"),
    ({"days": None}, "provenance.days"),
    ({"start": "not a date"}, "provenance.start"),
    ({"start": "9999-12-31"}, "past the year 9999"),
    ({"start": 20250303}, "provenance.start"),
    ({"region": ["a"]}, "provenance.region"),
    ({"scenario": None}, "provenance.scenario"),
]


@pytest.mark.parametrize(
    ("values", "named"), PROVENANCE, ids=[p[1] + str(p[0]) for p in PROVENANCE]
)
def test_bad_provenance_values(copy, values, named):
    set_provenance(copy, **values)
    assert_one_line(invoke(copy), "kpis.json", named)


@pytest.mark.parametrize(
    "text", ["not json", "[]", '{"provenance": []}', '{"provenance": {"days": 2}}', "{}"]
)
def test_bad_kpis_json(copy, text):
    (copy / "kpis.json").write_text(text, encoding="utf-8")
    assert_one_line(invoke(copy), "kpis.json")


def drop(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda legs: legs.drop(columns=[column])


def put(column: str, value: object, row: int = 0) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(legs: pd.DataFrame) -> pd.DataFrame:
        legs = legs.copy()
        if isinstance(value, str):
            legs[column] = legs[column].astype(str)
        legs.loc[row, column] = value
        return legs

    return change


LEGS = {
    "no depart_at": (drop("depart_at"), "missing column depart_at"),
    "no from_site": (drop("from_site"), "missing column from_site"),
    "text depart_at": (put("depart_at", "soon"), "column depart_at"),
    "NaN arrive_at": (put("arrive_at", np.nan), "column arrive_at"),
    "inf units": (put("units", np.inf), "column units"),
    "negative units": (put("units", -1.0), "column units"),
    "before the run": (put("depart_at", -5.0), "column depart_at"),
    "after the run": (put("depart_at", 2 * 1440.0), "column depart_at"),
    "arrives first": (put("arrive_at", 0.0, row=3), "column arrive_at"),
    "arrives in 3000": (put("arrive_at", 1e12), "column arrive_at"),
    "bool samples": (lambda legs: legs.assign(samples=True), "column samples"),
}


@pytest.mark.parametrize("case", LEGS)
def test_wrong_legs_table(copy, case):
    change, named = LEGS[case]
    legs = pd.read_parquet(copy / "legs.parquet")
    change(legs).to_parquet(copy / "legs.parquet")
    assert_one_line(invoke(copy), "legs.parquet", named)


@pytest.mark.parametrize("table", ["legs", "stock", "stockouts"])
@pytest.mark.parametrize("content", [b"", b"PAR1 not really parquet PAR1", b"\x00" * 100])
def test_corrupt_parquet(copy, table, content):
    (copy / f"{table}.parquet").write_bytes(content)
    assert_one_line(invoke(copy), f"{table}.parquet", "unreadable parquet")


def test_stock_without_units_column(copy):
    stock = pd.read_parquet(copy / "stock.parquet")
    stock.drop(columns=["units"]).to_parquet(copy / "stock.parquet")
    assert_one_line(invoke(copy), "stock.parquet", "missing column units")


def test_parquet_that_is_a_folder(copy):
    (copy / "legs.parquet").unlink()
    (copy / "legs.parquet").mkdir()
    assert_one_line(invoke(copy), "legs.parquet")


def scenario_of(folder: Path) -> Path:
    return Path(json.loads((folder / "kpis.json").read_text())["provenance"]["scenario"])


@pytest.mark.parametrize(
    ("event", "named"),
    [
        ("{type: mass_casualty, name: x, lat: .nan, lon: 120.3, casualties: 3}", "events[0]"),
        ("{type: mass_casualty, name: x, lat: 30.2, lon: 120.3, casualties: .inf}", "events[0]"),
        ("{type: road_closure, name: x, polygon: [[120, 30], [120.1, .nan], [120, 31]]}",
         "events[0]"),
        ("{type: road_closure, name: x, polygon: [[120, 30], [120.1, 30]]}", "events[0]"),
        ("{type: road_closure, name: x, polygon: oops}", "events[0]"),
    ],
)  # fmt: skip
def test_undrawable_event_in_the_scenario(copy, tmp_path, event, named):
    scenario = tmp_path / "changed.yaml"
    text = scenario_of(copy).read_text(encoding="utf-8")
    scenario.write_text(text.split("events:")[0] + f"events:\n  - {event}\n", encoding="utf-8")
    shutil.copytree(scenario_of(copy).parent / "tiny_region", tmp_path / "tiny_region")
    set_provenance(copy, scenario=str(scenario))
    assert_one_line(invoke(copy), "changed.yaml", named)


def test_scenario_yaml_bomb_is_refused_quickly(copy, tmp_path):
    scenario = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
              f"*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]  # fmt: skip
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    set_provenance(copy, scenario=str(scenario))
    assert_one_line(invoke(copy), "bomb.yaml")


def test_scenario_not_utf8(copy, tmp_path):
    scenario = tmp_path / "latin1.yaml"
    scenario.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    set_provenance(copy, scenario=str(scenario))
    assert_one_line(invoke(copy), "latin1.yaml", "unreadable scenario file")


@pytest.mark.parametrize("day", ["-1", "2", "1000000"])
def test_day_outside_the_run(copy, tmp_path, day):
    line = assert_one_line(invoke(copy, "--day", day, "--out", tmp_path / "m.html"), "day")
    assert "outside the run" in line
    assert not (tmp_path / "m.html").exists()


def test_out_is_a_folder(copy, tmp_path):
    assert_one_line(invoke(copy, "--out", tmp_path), str(tmp_path), "is a folder")


def test_out_below_a_file_cannot_be_written(copy, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    line = assert_one_line(invoke(copy, "--out", blocker / "map.html"), "cannot write there")
    assert str(blocker / "map.html") in line
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_run_dir_that_is_a_file(tmp_path):
    file = tmp_path / "kpis.json"
    file.write_text("{}", encoding="utf-8")
    assert_one_line(invoke(file), str(file), "not a run folder")
