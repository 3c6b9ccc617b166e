"""The result of a comparison and its CSV folder (written completely or not at all)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.compare.errors import CompareError

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

    def write(self, out_dir: str | Path) -> Path:
        """Write ``replications.csv``, ``summary.csv`` and ``paired.csv`` into ``out_dir``.

        The files are written into a hidden sibling folder renamed into place at the end, so
        an interrupted write leaves no folder; an existing ``out_dir`` is replaced.
        """
        out = Path(out_dir)
        staging = _staging(out)
        try:
            for name in TABLES:
                getattr(self, name).to_csv(staging / f"{name}.csv", index=False)
            _swap_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return out


def check_writable(out: str | Path) -> None:
    """Fail early, before any simulation, if ``out`` cannot be created.

    Raises
    ------
    CompareError
        Naming the folder and the reason.
    """
    try:
        shutil.rmtree(_staging(Path(out)))
    except OSError as exc:
        raise CompareError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None


def _staging(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the result is an ordinary folder
    return staging


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
