"""Offline HTML reports of runs and comparisons: tables and inline SVG charts, no network.

>>> from sim.reports import write_run_report, write_compare_report
>>> write_run_report("runs/zhejiang_baseline-seed20250101")  # doctest: +SKIP
PosixPath('runs/zhejiang_baseline-seed20250101/report.html')
>>> write_compare_report("runs/x-compare")  # doctest: +SKIP
PosixPath('runs/x-compare/report.html')

The chart functions (:mod:`sim.reports.run_charts`, :mod:`sim.reports.compare_charts`) return
``<svg>`` strings, so notebooks show the same charts with ``IPython.display.HTML``.
"""

from sim.reports.compare_charts import lead_time_policies_chart, paired_chart, site_stock_chart
from sim.reports.compare_report import load_comparison, write_compare_report
from sim.reports.errors import ReportError
from sim.reports.maps import run_map_html
from sim.reports.run_charts import lead_time_chart, legs_chart, stock_chart, stockouts_chart
from sim.reports.run_report import write_run_report

__all__ = [
    "ReportError",
    "lead_time_chart",
    "lead_time_policies_chart",
    "legs_chart",
    "load_comparison",
    "paired_chart",
    "run_map_html",
    "site_stock_chart",
    "stock_chart",
    "stockouts_chart",
    "write_compare_report",
    "write_run_report",
]
