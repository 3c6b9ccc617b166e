"""The comparison report: intervals per policy, paired chart, lead times, maps side by side."""

from __future__ import annotations

import pytest

from sim.reports.compare_report import write_compare_report
from sim.reports.errors import ReportError
from sim.workflows import compare_report_with_maps
from sim.workflows.comparison import replication_seed
from tests.reports.conftest import POLICIES, REPS, off_machine, parse


@pytest.fixture(scope="module")
def folder_report(tiny_comparison, tmp_path_factory):
    folder = tiny_comparison.write(tmp_path_factory.mktemp("cmp") / "compare")
    return write_compare_report(folder, scenario="tiny_mci.yaml")


@pytest.fixture(scope="module")
def with_maps(tiny_scenario_file, tiny_comparison, tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp_maps") / "compare"
    return compare_report_with_maps(
        tiny_scenario_file, POLICIES, out, reps=REPS, comparison=tiny_comparison, sites=["h_a"]
    )


def test_report_from_a_folder_lands_in_it(folder_report):
    assert folder_report.name == "report.html"
    assert (folder_report.parent / "summary.csv").is_file()


def test_kpi_table_has_intervals_per_policy(folder_report):
    text = folder_report.read_text(encoding="utf-8")
    assert "Fill rate" in text and "Emergency lead time, 90th percentile" in text
    for policy in POLICIES:
        assert f"<th class=num>{policy}</th>" in text
    assert text.count(" [") > 10  # "mean [low, high]"


def test_paired_and_lead_time_charts(folder_report):
    text = folder_report.read_text(encoding="utf-8")
    assert "<h2>Paired differences to the baseline</h2>" in text
    assert "<h2>Emergency lead times</h2>" in text
    assert text.count("<svg") == 2
    assert off_machine(folder_report) == []


def test_maps_are_embedded_side_by_side_and_offline(with_maps):
    parsed = parse(with_maps)
    assert parsed.tags.count("iframe") == len(POLICIES)
    assert off_machine(with_maps) == []
    text = with_maps.read_text(encoding="utf-8")
    assert text.count("<svg") == 3  # paired, lead times, stock at chosen sites
    assert "Stock over time at chosen sites (RBC)" in text


def test_map_runs_use_replication_zero_seed(with_maps, tiny_comparison):
    import json

    for policy in POLICIES:
        folder = with_maps.parent / "runs" / policy
        assert (folder / "map.html").is_file()
        kpis = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
        assert kpis["provenance"]["seed"] == replication_seed(tiny_comparison, policy)
        assert kpis["provenance"]["policies"]["dispatch"] == policy


def test_report_to_an_html_path(tiny_comparison, tmp_path):
    target = write_compare_report(tiny_comparison, tmp_path / "x.html")
    assert target == tmp_path / "x.html" and target.is_file()


def test_comparison_without_out_is_refused(tiny_comparison):
    with pytest.raises(ReportError, match="out: missing"):
        write_compare_report(tiny_comparison)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(ReportError, match="not a comparison folder"):
        write_compare_report(tmp_path / "nowhere")


def test_unknown_replication_is_named(tiny_comparison):
    with pytest.raises(ReportError, match="no replication 9"):
        replication_seed(tiny_comparison, POLICIES[0], 9)


def test_a_policy_without_map_says_why(tiny_comparison, tmp_path):
    target = write_compare_report(
        tiny_comparison, tmp_path, map_problems={"drone_first": "site 'x' is not in the region"}
    )
    text = target.read_text(encoding="utf-8")
    assert "No map: site &#x27;x&#x27; is not in the region" in text
    assert "<iframe" not in text
