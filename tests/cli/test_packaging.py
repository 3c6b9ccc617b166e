"""The package installed from a wheel runs the embedded scenario from an empty folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ("pyproject.toml", "setup.py", "README.md", "sim", "optimizer", "geodata", "scenarios")


def _build_wheel(folder: Path, env: dict[str, str] | None = None) -> Path:
    """A wheel built offline from a copy of this checkout (setuptools and Cython come with
    the test extras), in ``folder``; ``env``: the build's environment."""
    source = folder / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    # built files left by an editable install are not copied: the wheel compiles its own
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.so", "*.c")
    for name in PACKAGED:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": skip} if copy is shutil.copytree else {}))
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*build, "-q", "-w", str(folder), str(source)], check=True, capture_output=True, env=env
    )
    (found,) = folder.glob("bloodflow-*.whl")
    return found


def _run_installed(wheel: Path, tmp_path: Path, check: str = "") -> Path:
    """Install ``wheel`` into a folder of its own, run ``check`` (Python) and a one-day
    ``bloodflow run`` from an empty folder with it; returns that folder."""
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target"]
    subprocess.run([*install, str(target), str(wheel)], check=True, capture_output=True)
    empty = tmp_path / "empty"
    empty.mkdir(parents=True)
    code = (
        "import sys, sim; assert sim.__file__.startswith(sys.argv[1]), sim.__file__; "
        f"{check}; from sim.cli import main; sys.argv = ['bloodflow', 'run', '--days', '1']; "
        "main()"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("BLOODFLOW_PURE_PYTHON", None)
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=empty, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    return empty


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_carries_scenarios_regions_and_map_assets(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    assert shipped and {f"scenarios/{n}" for n in shipped} <= names
    for region in ("zhejiang", "hubei"):
        assert f"geodata/regions/{region}/sites.geojson" in names
    assert any(n.startswith("sim/maps/assets/") and n.endswith(".js") for n in names)


def test_the_wheel_carries_the_compiled_modules(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    compiled = ("state/fefo_core", "state/ledger_core", "processes/issue_core", "core/draws_core")
    for module in compiled:  # Cython comes with the test extras
        assert any(n.startswith(f"sim/{module}.") and n.endswith(".so") for n in names)
        assert not {f"sim/{module}.c", f"sim/{module}.pyx"} & names  # built only


def test_installed_package_runs_the_default_scenario_in_an_empty_folder(wheel, tmp_path):
    compiled = (
        "import sim.state.stock as s, sim.state.ledger as l, sim.processes.hospital as h;"
        " import sim.core.draws as d;"
        " assert s.COMPILED and l.COMPILED and h.issue_core and d.draws_core"
    )
    empty = _run_installed(wheel, tmp_path, compiled)
    assert (empty / "runs" / "zhejiang_baseline-seed20250101" / "kpis.json").is_file()


def test_without_a_c_compiler_the_package_installs_and_runs_in_pure_python(tmp_path):
    failing = {**os.environ, "CC": "/bin/false", "LDSHARED": "/bin/false"}  # every compile fails
    wheel = _build_wheel(tmp_path, failing)
    assert not any(n.endswith(".so") for n in zipfile.ZipFile(wheel).namelist())
    pure = (
        "import sim.state.stock as s, sim.state.ledger as l, sim.processes.hospital as h;"
        " import sim.core.draws as d;"
        " assert not (s.COMPILED or l.COMPILED or h.issue_core or d.draws_core)"
    )
    empty = _run_installed(wheel, tmp_path / "run", pure)
    assert (empty / "runs" / "zhejiang_baseline-seed20250101" / "kpis.json").is_file()
