"""The result of a comparison and its CSV folder (written completely or not at all)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.execution.output_folder import staged_output

TABLES = ("replications", "summary", "paired")


@dataclass(frozen=True)
class Comparison:
    """Tables of a policy comparison on common random numbers.

    Attributes
    ----------
    replications : DataFrame
        One row per policy and replication: ``policy, replication, seed``, then one column per
        KPI (``kpis.json`` keys joined by dots, e.g. ``emergency_lead_time_min.p90``).
    summary : DataFrame
        ``policy, kpi, mean, ci_low, ci_high``: 95 % Student-t interval over replications.
    paired : DataFrame
        ``policy, baseline, kpi, mean_diff, ci_low, ci_high``: each policy minus the first,
        paired by replication (same seed, so same demand and donors).
    policies : tuple of str
        Policy labels in the order given; the first is the baseline.
    reps : int
        Replications per policy.
    """

    replications: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame
    policies: tuple[str, ...]
    reps: int

    def write(self, out_dir: str | Path, *, overwrite: bool = False) -> Path:
        """Write ``replications.csv``, ``summary.csv`` and ``paired.csv`` as the folder ``out_dir``.

        The folder appears complete or not at all; it must be new, empty, or (with
        ``overwrite``) an earlier bloodflow comparison (:mod:`sim.execution.output_folder`).
        """
        out = Path(out_dir)
        with staged_output(out, "compare", overwrite=overwrite) as staging:
            self.write_tables(staging)
        return out

    def write_tables(self, folder: str | Path) -> None:
        """Write the three CSVs into the existing folder ``folder``."""
        for name in TABLES:
            getattr(self, name).to_csv(Path(folder) / f"{name}.csv", index=False)
