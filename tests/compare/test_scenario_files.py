"""Comparing two scenario files: "what if h_b had its own transfusion service?" on common
random numbers, deterministic for a seed, from Python and from the command line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.compare import CompareError, PolicySpec, compare
from sim.compare.scenarios import crn_note, scenario_arms
from sim.compare.tasks import load_cached
from tests.compare.test_cli import app
from tests.sim.conftest import TINY_SCENARIO, TINY_SITES, merged_yaml, write_tiny_region

HOSTED = "sites:\n  overrides:\n    h_b: {supplied_via: h_a}\n"
runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """own.yaml (h_b has its own bank) and hosted.yaml (the same, plus one supplied_via line)."""
    root = tmp_path_factory.mktemp("files")
    write_tiny_region(root / "tiny_region")
    base = TINY_SCENARIO.format(days=2, seed=11)
    own, hosted = root / "own.yaml", root / "hosted.yaml"
    own.write_text(base, encoding="utf-8")
    hosted.write_text(merged_yaml(base, HOSTED), encoding="utf-8")
    return own, hosted


@pytest.fixture(scope="module")
def result(files):
    return compare(list(files), [], reps=2)


def test_each_file_is_an_arm_on_the_same_seeds(result):
    table = result.replications
    assert result.policies == ("own.yaml", "hosted.yaml")
    seeds = table.pivot(index="replication", columns="policy", values="seed")
    assert (seeds["own.yaml"] == seeds["hosted.yaml"]).all()
    assert seeds["own.yaml"].nunique() == 2
    # the same patients in both files (common random numbers): demand is paired exactly
    demand = table.pivot(index="replication", columns="policy", values="units_demanded.RBC")
    assert (demand["own.yaml"] == demand["hosted.yaml"]).all()
    paired = result.paired
    assert set(paired.policy) == {"hosted.yaml"} and set(paired.baseline) == {"own.yaml"}


def test_the_comparison_is_deterministic_for_a_seed(files, result):
    again = compare(list(files), [], reps=2)
    pd.testing.assert_frame_equal(result.replications, again.replications)
    pd.testing.assert_frame_equal(result.paired, again.paired)
    other = compare(list(files), [], reps=2, seed=5)
    assert not other.replications["seed"].equals(result.replications["seed"])


def test_arms_are_labelled_by_file_and_checked(files, tmp_path):
    arms = scenario_arms(files, PolicySpec.parse("drone_first"))
    assert [a.label for a in arms] == ["own.yaml", "hosted.yaml"]
    assert all(a.overrides == (("dispatch", "drone_first"),) for a in arms)
    with pytest.raises(CompareError, match="given twice"):
        scenario_arms([files[0], files[0]])
    with pytest.raises(CompareError, match="two or more"):
        scenario_arms([files[0]])
    twin = tmp_path / "own.yaml"
    assert [a.label for a in scenario_arms([files[0], twin])] == [str(files[0]), str(twin)]


def _with_region(files, tmp_path: Path, name: str, where: int) -> Path:
    """own.yaml over a copy of the tiny region with one more hospital at row ``where``."""
    sites = gpd.read_file(write_tiny_region(tmp_path / "base") / "sites.geojson")
    row = sites[sites.site_id == "h_b"].assign(site_id="h_new", name="New")
    sites = pd.concat([sites.iloc[:where], row, sites.iloc[where:]], ignore_index=True)
    (tmp_path / name).mkdir()
    sites.to_file(tmp_path / name / "sites.geojson", driver="GeoJSON")
    path = tmp_path / f"{name}.yaml"
    text = files[0].read_text("utf-8").replace("region: tiny_region", f"region: {name}")
    path.write_text(text, "utf-8")
    return path


def test_crn_note_counts_sites_that_lose_their_pairing(files, tmp_path):
    assert crn_note([load_cached(f) for f in files]) == ""
    appended = load_cached(_with_region(files, tmp_path, "appended", len(TINY_SITES)))
    first = load_cached(_with_region(files, tmp_path, "first", 0))
    own = load_cached(files[0])
    assert "1 site position(s)" in crn_note([own, appended])
    assert f"{len(TINY_SITES) + 1} site position(s)" in crn_note([own, first])


def test_cli_compares_two_files(files, tmp_path):
    out = tmp_path / "cmp"
    args = ["compare", str(files[0]), str(files[1]), "--reps", "1", "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert {"paired.csv", "report.html", "runs"} <= {p.name for p in out.iterdir()}
    assert sorted(p.name for p in (out / "runs").iterdir()) == ["hosted.yaml", "own.yaml"]
    assert "− own.yaml" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "--policy: missing (a policy NAME, or a second scenario file)"),
        (["SECOND", "--policy", "ground_only", "--policy", "drone_first"], "more than once"),
        (["FIRST"], "given twice"),
    ],
)
def test_cli_mistakes_are_one_line(files, extra, message):
    swap = {"SECOND": str(files[1]), "FIRST": str(files[0])}
    args = ["compare", str(files[0]), *[swap.get(a, a) for a in extra], "--reps", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output
