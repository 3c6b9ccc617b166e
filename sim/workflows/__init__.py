"""Workflows a user runs whole: a run with its map and report, a comparison folder with maps.

The top layer below the CLI: it wires the simulation (``sim.execution.runner``,
``sim.compare``) to the views of its results (``sim.maps``, ``sim.reports``), which only
read what was written.
"""

from sim.workflows.comparison import compare_report_with_maps, write_comparison_folder
from sim.workflows.run import render_views, run

__all__ = ["compare_report_with_maps", "render_views", "run", "write_comparison_folder"]
