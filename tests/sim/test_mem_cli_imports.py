"""``import sim`` (and the command line) does not load Folium, Matplotlib or scipy.stats: they
cost about 70 MB and 1 s and are imported by the functions that draw (issue 12)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("folium", "branca", "matplotlib", "scipy.stats")


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
