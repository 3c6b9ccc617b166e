"""Measures of the donor side: waiting times at donation houses (``kpis.json``)."""

from __future__ import annotations

from sim.calibration.measured import Measured, not_measured


def donor_wait_mean(kpis: dict) -> Measured:
    """Mean donor wait at donation houses (min), from ``kpis.json`` ``donor_wait_min``."""
    wait = kpis.get("donor_wait_min") or {}
    mean = wait.get("mean")
    if not isinstance(mean, int | float):
        return not_measured("kpis.json has no donor_wait_min.mean (no donor queued)")
    p90 = wait.get("p90")
    tail = f", p90 {p90:.1f} min" if isinstance(p90, int | float) else ""
    return Measured(float(mean), f"{wait.get('donors', 0):,} donors{tail}")


def appointment_effect() -> Measured:
    """Cut in donor wait from hour-slot appointments (%): needs two runs, not one."""
    return not_measured(
        "needs a walk-in and an appointment run of the same seed: compare their "
        "kpis.json donor_wait_min.mean"
    )
