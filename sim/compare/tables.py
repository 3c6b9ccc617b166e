"""The comparison tables: replications, summary and paired differences."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.compare.stats import Interval, paired_interval, t_interval

KEYS = ["policy", "replication", "seed"]
SUMMARY_COLUMNS = ["policy", "kpi", "mean", "ci_low", "ci_high"]
PAIRED_COLUMNS = ["policy", "baseline", "kpi", "mean_diff", "ci_low", "ci_high"]


def replications_frame(rows: Sequence[dict], labels: Sequence[str]) -> pd.DataFrame:
    """One row per policy and replication: ``policy, replication, seed`` then the KPIs.

    Parameters
    ----------
    rows : sequence of dict
        Each with ``policy`` (label), ``replication`` (int), ``seed`` and flat KPI values.
    labels : sequence of str
        Policy labels in the order given; rows are sorted by it, then by replication.
    """
    order = {label: i for i, label in enumerate(labels)}
    ordered = sorted(rows, key=lambda row: (order[row["policy"]], row["replication"]))
    frame = pd.DataFrame.from_records(ordered)  # columns in first-seen order of sorted rows
    frame["seed"] = frame["seed"].astype("int64")
    kpis = [c for c in frame.columns if c not in KEYS]
    return frame[KEYS + kpis]


def kpi_columns(replications: pd.DataFrame) -> list[str]:
    """KPI column names of a replications table, in table order."""
    return [c for c in replications.columns if c not in KEYS]


def summary_frame(replications: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % t-interval over replications, per policy and KPI."""
    records = [
        _record(policy, kpi, t_interval(group[kpi]))
        for policy, group in _by_policy(replications)
        for kpi in kpi_columns(replications)
    ]
    return pd.DataFrame.from_records(records, columns=SUMMARY_COLUMNS)


def paired_frame(replications: pd.DataFrame) -> pd.DataFrame:
    """Each policy minus the first, paired by replication, with its 95 % t-interval."""
    groups = [
        (policy, group.set_index("replication")) for policy, group in _by_policy(replications)
    ]
    if not groups:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    baseline, base = groups[0]
    records = [
        {"policy": policy, "baseline": baseline, **_diff(kpi, group, base)}
        for policy, group in groups[1:]
        for kpi in kpi_columns(replications)
    ]
    return pd.DataFrame.from_records(records, columns=PAIRED_COLUMNS)


def _by_policy(replications: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    order = list(dict.fromkeys(replications["policy"]))
    return [(p, replications[replications["policy"] == p]) for p in order]


def _record(policy: str, kpi: str, interval: Interval) -> dict:
    return {
        "policy": policy,
        "kpi": kpi,
        "mean": interval.mean,
        "ci_low": interval.low,
        "ci_high": interval.high,
    }


def _diff(kpi: str, group: pd.DataFrame, base: pd.DataFrame) -> dict:
    common = group.index.intersection(base.index)
    interval = paired_interval(group.loc[common, kpi], base.loc[common, kpi])
    return {
        "kpi": kpi,
        "mean_diff": interval.mean,
        "ci_low": interval.low,
        "ci_high": interval.high,
    }
