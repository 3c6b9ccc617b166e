"""``bloodflow calibrate``: a report (exit 0 whatever the verdicts), one line for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.calibration import VERDICTS, shipped_reference
from sim.cli import app
from sim.cli.console import out

ROOT = Path(__file__).resolve().parents[2]
ZHEJIANG = ROOT / "scenarios" / "reference" / "zhejiang.yaml"
runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def calibrate(*args: str):
    # The shared console fixes its width when first created (any test may create it first),
    # so widen it for the call as well as the environment.
    wide, out.width = out.width, 200
    try:
        return runner.invoke(app, ["calibrate", *map(str, args)], env=WIDE)
    finally:
        out.width = wide


def test_a_run_folder_gets_a_table_of_every_entry(tiny_run):
    result = calibrate(tiny_run, "--reference", ZHEJIANG)
    assert result.exit_code == 0, result.output
    for entry in shipped_reference("zhejiang").entries:
        assert entry.description[:20] in result.stdout
    assert "not measured" in result.stdout and "measured days" in result.stdout


def test_the_run_region_chooses_the_reference_and_json_has_every_row(run_copy):
    result = calibrate(run_copy("hubei"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = data["rows"]
    assert [r["id"] for r in rows] == [e.id for e in shipped_reference("hubei").entries]
    assert {r["verdict"] for r in rows} <= set(VERDICTS)
    assert data["measured_days"] == 3
    assert all(r["measured"] is None for r in rows if r["verdict"] == "not measured")


def test_figures_out_of_range_still_exit_0(run_copy):
    result = calibrate(run_copy("zhejiang"), "--json")
    verdicts = {r["verdict"] for r in json.loads(result.stdout)["rows"]}
    assert result.exit_code == 0 and verdicts & {"below", "above"}


def one_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    return lines[0]


def test_a_region_without_reference_is_one_line(tiny_run):
    line = one_line(calibrate(tiny_run))
    assert line == (f"{tiny_run}: no reference figures for region 'tiny_region' "
                    "(shipped: hubei, shanghai, zhejiang; give a reference file)")  # fmt: skip


def test_a_missing_folder_is_one_line(tmp_path):
    line = one_line(calibrate(tmp_path / "nope"))
    assert line.startswith(f"{tmp_path / 'nope'}: no such folder")


@pytest.mark.parametrize("damage", ["missing", "garbage", "no_column"])
def test_a_damaged_run_folder_is_one_line_naming_the_table(run_copy, damage):
    folder = run_copy("zhejiang")
    ledger = folder / "ledger.parquet"
    if damage == "missing":
        ledger.unlink()
    elif damage == "garbage":
        ledger.write_bytes(b"not parquet")
    else:
        pd.read_parquet(ledger).drop(columns="released_at").to_parquet(ledger)
    line = one_line(calibrate(folder))
    assert line.startswith(f"{folder}: ") and "ledger.parquet" in line


@pytest.mark.parametrize(
    ("kpis", "expected"),
    [
        ("[1, 2]", "kpis.json has no provenance mapping"),
        ("{", "kpis.json is unreadable"),
        ('{"provenance": {"days": 3, "warmup_days": 3, "start": "2025-01-01"}}',
         "provenance.days and warmup_days are not a valid horizon"),
        ('{"provenance": {"days": 3, "start": "soon"}}', "provenance.start is not a date"),
    ],
)  # fmt: skip
def test_a_bad_kpis_file_is_one_line(run_copy, kpis, expected):
    folder = run_copy("zhejiang")
    (folder / "kpis.json").write_text(kpis, encoding="utf-8")
    assert expected in one_line(calibrate(folder))


def test_a_bad_reference_file_is_one_line_naming_file_and_field(tiny_run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ZHEJIANG.read_text(encoding="utf-8").replace("high: 2\n", "high: 0.01\n", 1),
                   encoding="utf-8")  # fmt: skip
    line = one_line(calibrate(tiny_run, "--reference", bad))
    assert line == f"{bad}: entries.0.high: 0.01 is below low 0.062 (high >= low)"
    assert one_line(calibrate(tiny_run, "--reference", tmp_path / "no.yaml")).startswith(
        f"{tmp_path / 'no.yaml'}: cannot read the reference file"
    )


def test_text_from_files_is_printed_as_written_not_as_markup(tiny_run, tmp_path):
    ref = tmp_path / "markup.yaml"
    text = ZHEJIANG.read_text(encoding="utf-8")
    title = text.splitlines()[8]
    assert title.startswith("title: ")
    ref.write_text(text.replace(title, "title: '[red]Z[/red] [bold]'"), encoding="utf-8")
    result = calibrate(tiny_run, "--reference", ref)
    assert result.exit_code == 0 and "[red]Z[/red] [bold]" in result.stdout


ODD_PATHS = ["", ".", "..", "/", "/dev/null", "no/such/file.yaml", "ü\u202e.yaml", "a" * 300]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ODD_PATHS + ["RUN"]), st.sampled_from([None, *ODD_PATHS, "ZHEJIANG"]))
def test_odd_paths_exit_cleanly_with_one_line_per_problem(tiny_run, folder, reference):
    args = [str(tiny_run) if folder == "RUN" else folder]
    if reference is not None:
        args += ["--reference", str(ZHEJIANG) if reference == "ZHEJIANG" else reference]
    result = calibrate(*args)
    assert "Traceback" not in result.output
    if folder == "RUN" and reference == "ZHEJIANG":
        assert result.exit_code == 0
    else:
        one_line(result)
