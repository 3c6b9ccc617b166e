"""The reference files ship in the wheel and load from an installed package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sim.calibration import load_reference
from tests.cli.test_packaging import wheel  # noqa: F401 - the wheel fixture, built once here

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_reference_files(wheel):  # noqa: F811
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(p.name for p in (ROOT / "scenarios" / "reference").glob("*.yaml"))
    assert shipped == ["hubei.yaml", "shanghai.yaml", "zhejiang.yaml"]
    assert {f"scenarios/reference/{n}" for n in shipped} <= names


def test_an_installed_package_calibrates_with_its_shipped_reference(wheel, run_copy, tmp_path):  # noqa: F811
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target"]
    subprocess.run([*install, str(target), str(wheel)], check=True, capture_output=True)
    code = (
        "import sys, sim; assert sim.__file__.startswith(sys.argv[1]), sim.__file__; "
        "from sim.calibration import calibrate; print(len(calibrate(sys.argv[2])))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(target), str(run_copy("zhejiang"))],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    entries = load_reference(ROOT / "scenarios" / "reference" / "zhejiang.yaml").entries
    assert done.stdout.strip() == str(len(entries))
