"""``report.html`` of a policy comparison: KPIs with intervals, paired differences, lead times,
stock at chosen sites and one map per policy side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from sim.compare import Comparison
from sim.compare.result import TABLES
from sim.execution import output_page as page_file
from sim.execution.kpis import KEY_KPIS
from sim.reports import compare_charts, frames, html
from sim.reports.errors import ReportError
from sim.reports.labels import KPIS, Kpi, difference_unit, kpi
from sim.reports.maps import map_figure

PAIRED_NOTE = (
    "Each policy minus the baseline, paired by replication (same seed, so the same demand, "
    "donors and incidents); bars are 95 % t-intervals. A bar across zero is no clear difference."
)
LEAD_NOTE = (
    "Box from the mean median (p50) to the mean 90th percentile (p90) over replications, "
    "whisker to the mean p99; dots are single replications (circle p50, square p90, "
    "triangle p99)."
)
MAP_NOTE = "Replication 0 of each policy (the same seed for all), embedded; each map opens offline."


def load_comparison(folder: str | Path) -> Comparison:
    """Read a folder written by :meth:`Comparison.write` (``replications/summary/paired.csv``).

    Raises
    ------
    ReportError
        If a CSV is missing or unreadable.
    """
    path = Path(folder)
    try:
        tables = {name: pd.read_csv(path / f"{name}.csv") for name in TABLES}
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: not a comparison folder ({exc})") from None
    replications = tables["replications"]
    policies = tuple(dict.fromkeys(replications["policy"].astype(str)))
    reps = int(replications["replication"].max()) + 1 if len(replications) else 0
    return Comparison(**tables, policies=policies, reps=reps)


def summary_table(comparison: Comparison) -> str:
    """Main KPIs per policy: mean and 95 % interval over replications."""
    summary = comparison.summary.set_index(["kpi", "policy"])
    keys = [k for k in KPIS if k.key in set(comparison.summary["kpi"])]
    rows = [
        [k.label, k.unit, *(_interval(k, summary, (k.key, p)) for p in comparison.policies)]
        for k in keys
    ]
    return html.table(["KPI", "unit", *comparison.policies], rows, numeric_from=2)


def paired_table(comparison: Comparison, keys: Sequence[str] = KEY_KPIS) -> str:
    """Paired differences of the key KPIs: mean difference and 95 % interval."""
    rows = comparison.paired[comparison.paired["kpi"].isin(keys)]
    rows = rows.sort_values("kpi", key=lambda k: k.map(list(keys).index), kind="stable")
    body = [
        [r.policy, kpi(r.kpi).label, difference_unit(kpi(r.kpi)), _diff(r)]
        for r in rows.itertuples()
    ]
    return html.table(["policy", "KPI", "unit", "mean difference [95 % CI]"], body, numeric_from=3)


def write_compare_report(
    comparison: Comparison | str | Path,
    out: str | Path | None = None,
    *,
    scenario: str | Path | None = None,
    maps: Mapping[str, str | Path | None] | None = None,
    map_problems: Mapping[str, str] | None = None,
    runs: Mapping[str, str | Path] | None = None,
    sites: Sequence[str] | None = None,
    product: str = "RBC",
    overwrite: bool = False,
) -> Path:
    """Write the report of a policy comparison as one HTML file that opens with no network.

    The file is written whole or not at all. An existing file is replaced only if it is an
    earlier bloodflow report and either it is ``report.html`` in a comparison folder (beside
    ``replications.csv``) or ``overwrite`` is set; any other existing file is refused.

    Parameters
    ----------
    comparison : Comparison, str or Path
        A comparison, or the folder its :meth:`~sim.compare.Comparison.write` wrote.
    out : str or Path, optional
        A folder (the page is ``out/report.html``) or a file ending in ``.html``; default the
        comparison folder when one is given.
    scenario : str or Path, optional
        The scenario compared (named in the title).
    maps : mapping of policy label to Path, optional
        Each policy's ``map.html`` (:func:`sim.maps.write_map`), embedded side by side.
    map_problems : mapping of policy label to str, optional
        Why a policy has no map (shown in its place).
    runs : mapping of policy label to Path, optional
        Each policy's run folder for the stock chart; default the folders holding ``maps``.
    sites : sequence of str, optional
        Site ids whose stock is charted; default the three stations holding most ``product``.
    product : str
        Product of the stock chart (``RBC``, ``PLT``, ``FFP``, ``CRYO``).
    overwrite : bool
        Replace the target if it is an earlier bloodflow report.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ReportError
        If the comparison folder, a run folder or a map is missing or unreadable, or the
        target may not or cannot be written.
    """
    loaded = comparison if isinstance(comparison, Comparison) else load_comparison(comparison)
    target = _target(comparison, out)
    may_replace = overwrite or _in_comparison_folder(target)
    page_file.check_target(target, html.KIND, may_replace=may_replace, error=ReportError)
    sections = compare_sections(loaded)
    stock = _stock_section(_runs(runs, maps), sites, product)
    sections += [stock] if stock else []
    sections += [_maps_section(maps or {}, map_problems or {})] if maps or map_problems else []
    text = html.page(_title(scenario), _meta(loaded, scenario), sections)
    return page_file.write_page(target, text, html.KIND, may_replace=may_replace, error=ReportError)


def _in_comparison_folder(target: Path) -> bool:
    """``report.html`` beside a comparison's CSVs: the report's own place."""
    return target.name == "report.html" and (target.parent / "replications.csv").is_file()


def compare_sections(comparison: Comparison) -> list[str]:
    """The KPI, paired-difference and lead-time sections of a comparison report."""
    paired = compare_charts.paired_chart(comparison.paired)
    lead = compare_charts.lead_time_policies_chart(comparison.replications)
    sections = [html.section("Key figures (mean [95 % CI])", summary_table(comparison))]
    if len(comparison.policies) > 1:
        chart = paired or html.paragraph("No finite paired difference to chart.")
        sections.append(
            html.section(
                "Paired differences to the baseline",
                chart,
                paired_table(comparison),
                note=PAIRED_NOTE,
            )  # fmt: skip
        )
    lead_body = lead or html.paragraph("No emergency order arrived in any replication.")
    return [*sections, html.section("Emergency lead times", lead_body, note=LEAD_NOTE)]


def _stock_section(runs: dict[str, Path], sites: Sequence[str] | None, product: str) -> str | None:
    if not runs:
        return None
    stocks = {policy: _stock(folder) for policy, folder in runs.items()}
    chosen = list(sites) if sites else frames.busiest_sites(next(iter(stocks.values())), product)
    chart = compare_charts.site_stock_chart(stocks, chosen, product)
    body = chart or html.paragraph(f"No {product} stock at {', '.join(chosen) or 'any site'}.")
    note = "Available units at the end of each day in replication 0 of each policy."
    return html.section(f"Stock over time at chosen sites ({product})", body, note=note)


def _maps_section(maps: Mapping[str, str | Path | None], problems: Mapping[str, str]) -> str:
    policies = list(dict.fromkeys([*maps, *problems]))
    figures = [_map_figure(p, maps.get(p), problems.get(p, "not made")) for p in policies]
    return html.section("Maps", html.side_by_side(figures), note=MAP_NOTE)


def _runs(
    runs: Mapping[str, str | Path] | None, maps: Mapping[str, str | Path] | None
) -> dict[str, Path]:
    if runs:
        return {policy: Path(folder) for policy, folder in runs.items()}
    folders = {p: Path(page).parent for p, page in (maps or {}).items() if page is not None}
    return {p: f for p, f in folders.items() if (f / "stock.parquet").is_file()}


def _stock(folder: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(folder / "stock.parquet")
    except (OSError, ValueError) as exc:
        raise ReportError(f"{folder}: no readable stock.parquet ({exc})") from None


def _map_figure(policy: str, page: str | Path | None, problem: str) -> str:
    if page is not None and not Path(page).is_file():
        raise ReportError(f"{page}: map of policy {policy!r} not found")
    return map_figure(policy, None if page is None else Path(page), problem)


def _target(source: Comparison | str | Path, out: str | Path | None) -> Path:
    if out is None:
        if isinstance(source, Comparison):
            raise ReportError("out: missing (a folder or .html file for the report)")
        out = source
    out = Path(out)
    return out if out.suffix.lower() in (".html", ".htm") else out / "report.html"


def _interval(entry: Kpi, summary: pd.DataFrame, key: tuple[str, str]) -> str:
    if key not in summary.index:
        return "–"
    row = summary.loc[key]
    return _with_ci(entry, row["mean"], row["ci_low"], row["ci_high"])


def _diff(row: object) -> str:
    return _with_ci(kpi(row.kpi), row.mean_diff, row.ci_low, row.ci_high)


def _with_ci(entry: Kpi, mean: float, low: float, high: float) -> str:
    """``"97.30 [96.10, 98.50]"``; the mean alone when there is no interval (one replication)."""
    if pd.isna(low):
        return entry.format(mean)
    return f"{entry.format(mean)} [{entry.format(low)}, {entry.format(high)}]"


def _title(scenario: str | Path | None) -> str:
    return "bloodflow comparison" + (f": {Path(scenario).name}" if scenario else "")


def _meta(comparison: Comparison, scenario: str | Path | None) -> str:
    baseline = comparison.policies[0] if comparison.policies else "?"
    where = f"scenario {scenario} · " if scenario else ""
    return (
        f"{where}{len(comparison.policies)} policies × {comparison.reps} replications on common "
        f"random numbers · baseline {baseline}"
    )
