"""Measures of the donor side: waiting times at donation houses (``kpis.json``).

The appointment effect is measured on the same donors: every day the direct donor engine
also serves that day's donors the other way (walk-in donors booked into hour slots, or
booked donors walking in at their wanted hour) with the same visit times, and sums both
waits in ``kpis.json`` ``counters`` (``donor_wait_paired_walk_in_min``,
``donor_wait_paired_appointment_min``, ``donors_paired``; ``donor_visit_min`` sums arrival
to leaving, rest included).
"""

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


_PAIRED = ("donor_wait_paired_walk_in_min", "donor_wait_paired_appointment_min", "donors_paired")


def paired_waits(kpis: dict) -> tuple[float, float, float] | None:
    """Mean walk-in and appointment waits (min) and the donors paired, or None."""
    counters = kpis.get("counters") or {}
    values = [counters.get(name) for name in _PAIRED]
    if not all(isinstance(v, int | float) for v in values) or not values[2]:
        return None
    walk_in, appointment, donors = values
    return walk_in / donors, appointment / donors, donors


def appointment_effect(kpis: dict) -> Measured:
    """Cut in the mean donor wait from hour-slot appointments (%), same donors both ways."""
    paired = paired_waits(kpis)
    if paired is None:
        return not_measured("kpis.json has no paired donor waits (direct donor engine only)")
    walk_in, appointment, donors = paired
    if walk_in <= 0:
        return not_measured(f"walk-in donors never waited ({donors:,.0f} donors)")
    detail = f"walk-in {walk_in:.1f} min vs appointment {appointment:.1f} min, {donors:,.0f} donors"
    return Measured(100.0 * (1.0 - appointment / walk_in), detail)


def visit_minutes(kpis: dict) -> Measured:
    """Mean donor visit, arrival to leaving with the rest after donating (min)."""
    counters = kpis.get("counters") or {}
    total, donors = counters.get("donor_visit_min"), counters.get("donors_paired")
    if not isinstance(total, int | float) or not isinstance(donors, int | float) or not donors:
        return not_measured("kpis.json has no donor_visit_min (direct donor engine only)")
    return Measured(total / donors, f"{donors:,.0f} donors, deferred donors included")
