"""The CSV folder is written completely, or not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.compare.result import Comparison
from sim.execution.output_folder import OutputFolderError


def test_writes_three_csvs(serial: Comparison, tmp_path: Path):
    out = serial.write(tmp_path / "cmp")
    assert sorted(p.name for p in out.iterdir()) == [
        ".bloodflow-output.json",
        "paired.csv",
        "replications.csv",
        "summary.csv",
    ]
    back = pd.read_csv(out / "replications.csv")
    pd.testing.assert_frame_equal(back, serial.replications, check_dtype=False)
    assert list(pd.read_csv(out / "paired.csv").columns) == [
        "policy", "baseline", "kpi", "mean_diff", "ci_low", "ci_high",
    ]  # fmt: skip


def test_rewrite_needs_overwrite_and_replaces_the_folder(serial: Comparison, tmp_path: Path):
    out = serial.write(tmp_path / "cmp")
    with pytest.raises(OutputFolderError, match="pass --overwrite"):
        serial.write(out)
    serial.write(out, overwrite=True)
    assert (out / "summary.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["cmp"]


def test_a_folder_of_the_users_is_never_replaced(serial: Comparison, tmp_path: Path):
    out = tmp_path / "cmp"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputFolderError, match="not a bloodflow output folder"):
        serial.write(out, overwrite=True)
    assert (out / "notes.txt").read_text() == "mine"


def test_interrupted_write_leaves_nothing(
    serial: Comparison, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    original = pd.DataFrame.to_csv

    def fail_on_paired(self, path, *args, **kwargs):
        if Path(path).name == "paired.csv":
            raise KeyboardInterrupt
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_paired)
    with pytest.raises(KeyboardInterrupt):
        serial.write(tmp_path / "cmp")
    assert list(tmp_path.iterdir()) == []
