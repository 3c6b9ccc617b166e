"""``import sim`` (and the command line) does not load Folium, Matplotlib or scipy.stats: they
cost about 70 MB and 1 s and are imported by the functions that draw (issue 12). Nor SciPy's
sparse graphs and k-d trees (~0.2 s of every process's start, a Dask worker's too): only
loading a road graph needs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("folium", "branca", "matplotlib", "scipy.stats", "scipy.sparse", "scipy.spatial")


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules loaded after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_import_sim_and_the_cli_load_no_drawing_library():
    assert loaded_after("import sim, sim.cli, sim.workflows, sim.maps, sim.reports") == []


def test_drawing_loads_them_when_needed():
    code = (
        "import pandas as pd\nfrom sim.reports import legs_chart\n"
        "legs_chart(pd.DataFrame({'legs': [1], 'units': [2], 'km': [3], 'cost_yuan': [4]},"
        " index=['van']))\nfrom sim.compare.stats import t_interval\n"
        "t_interval([1.0, 2.0, 4.0])"
    )
    assert set(loaded_after(code)) >= {"matplotlib", "scipy.stats"}


def test_a_comparison_worker_loads_no_scipy_graph_code():
    assert loaded_after("import sim.compare.tasks") == []


def test_loading_a_road_graph_loads_them():
    code = (
        "import numpy as np\nfrom optimizer.network import osm\n"
        "osm._snap(np.array([30.0]), np.array([120.0]), np.array([30.0]), np.array([120.0]), 1.0)"
    )
    assert set(loaded_after(code)) >= {"scipy.spatial"}
