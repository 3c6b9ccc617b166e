"""The command functions themselves, called directly (the app wiring is in test_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from sim.cli.region import region_command
from sim.cli.run import run_command
from sim.cli.schema import schema_command
from sim.cli.validate import validate_command
from sim.scenario.model import Outputs
from sim.workflows.run import render_views
from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    write_tiny_region(tmp_path / "tiny_region")
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SCENARIO.format(days=1, seed=2), encoding="utf-8")
    return path


def test_validate_says_ok_or_exits_2_with_one_line_per_problem(tiny_file, tmp_path, capsys):
    validate_command([tiny_file])
    printed = capsys.readouterr().out.replace("\n", "")  # the console wraps long paths
    assert printed == f"{tiny_file}: ok"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nregion: tiny_region\ndays: 0\n", encoding="utf-8")
    with pytest.raises(typer.Exit) as caught:
        validate_command([bad])
    assert caught.value.exit_code == 2
    assert capsys.readouterr().err.replace("\n", "").startswith(f"{bad}: days: 0 is not valid")


def test_schema_is_the_json_schema_of_scenario_files(capsys) -> None:
    schema_command()
    schema = json.loads(capsys.readouterr().out)
    assert {"fleet", "policies", "events"} <= set(schema["properties"])


def test_region_summarises_sites_or_names_the_problem(tiny_file, capsys) -> None:
    region_command(str(tiny_file.parent / "tiny_region"))
    assert "hospitals" in capsys.readouterr().out
    with pytest.raises(typer.Exit):
        region_command(str(tiny_file.parent / "no_region"))
    expected = (
        "an embedded region (hubei, shanghai, zhejiang), regions run together (yangtze_delta)"
        " or an existing file"
    )
    assert expected in capsys.readouterr().err


def test_run_writes_the_folder_and_refuses_an_unknown_policy(tiny_file, tmp_path, capsys):
    out = tmp_path / "run"
    run_command(tiny_file, days=1, seed=None, out=out, policy=None, overwrite=False)
    assert (out / "kpis.json").is_file() and (out / "report.html").is_file()
    with pytest.raises(typer.Exit) as caught:
        run_command(tiny_file, out=tmp_path / "r2", policy=["dispatch=teleport"])
    assert caught.value.exit_code == 2
    assert "teleport" in capsys.readouterr().err


def test_render_views_writes_only_the_pages_asked_for(tiny_file, tmp_path) -> None:
    out = tmp_path / "run"
    run_command(tiny_file, days=1, out=out, policy=None)
    for page in ("map.html", "report.html"):
        (out / page).unlink()
    render_views(out, Outputs(map=False, report=True))
    assert (out / "report.html").is_file() and not (out / "map.html").exists()
