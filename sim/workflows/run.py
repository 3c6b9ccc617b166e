"""``sim.run``: simulate a scenario and write its run folder with the map and the report."""

from __future__ import annotations

from pathlib import Path

from sim.execution import runner
from sim.execution.output import free_table_memory
from sim.execution.runner import RunResult, WrittenRun
from sim.maps import write_map
from sim.maps.districts import has_districts, write_district_map
from sim.reports import write_run_report
from sim.scenario import LoadedScenario
from sim.scenario.model import Outputs


def render_views(folder: Path, outputs: Outputs) -> None:
    """Write ``map.html`` and ``report.html`` of the run folder ``folder``, as ``outputs`` asks.

    Each view's inputs are let go before the next one reads its own. The report comes first
    (its calibration reads the ledger, the largest input of any view, and should meet the
    smallest heap), unless it embeds the district choropleth and the site map: then it is
    written after them.
    """
    districts = outputs.map and has_districts(folder)  # a choropleth of quality indicators
    if outputs.report and not districts:
        _report(folder)
    if outputs.map:
        write_map(folder, folder / "map.html")
        free_table_memory()
        if districts:
            write_district_map(folder, indicator=outputs.district_indicator)
            free_table_memory()
    if outputs.report and districts:
        _report(folder)


def _report(folder: Path) -> None:
    write_run_report(folder, folder / "report.html")
    free_table_memory()


def run(
    scenario: str | Path | LoadedScenario,
    *,
    seed: int | None = None,
    days: int | None = None,
    policies: dict[str, str] | None = None,
    out: str | Path | None = None,
    on_day: runner.DayCallback | None = None,
    overwrite: bool = False,
) -> RunResult:
    """Simulate a scenario; with ``out``, write its run folder with the map and the report.

    The arguments are those of :func:`sim.execution.runner.run`; ``map.html`` and
    ``report.html`` are written into the staging folder, so the run folder still appears
    complete or not at all.
    """
    return runner.run(
        scenario, seed=seed, days=days, policies=policies, out=out, on_day=on_day,
        overwrite=overwrite, render=render_views,
    )  # fmt: skip


def run_to_folder(
    scenario: str | Path | LoadedScenario,
    *,
    out: str | Path,
    seed: int | None = None,
    days: int | None = None,
    policies: dict[str, str] | None = None,
    on_day: runner.DayCallback | None = None,
    overwrite: bool = False,
) -> WrittenRun:
    """:func:`run` into ``out`` with the map and the report, returning only the folder and the
    KPIs: the tables are let go before the views are drawn (what ``bloodflow run`` needs;
    see :func:`sim.execution.runner.run_to_folder`)."""
    return runner.run_to_folder(
        scenario, out=out, seed=seed, days=days, policies=policies, on_day=on_day,
        overwrite=overwrite, render=render_views,
    )  # fmt: skip
