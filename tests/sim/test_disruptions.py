"""Scheduled events change what they should and nothing else."""

from __future__ import annotations

from sim import run
from sim.core.domain import MINUTES_PER_DAY

COLLAPSE = """
events:
  - {type: collection_collapse, start: 2025-03-04T00:00, end: 2025-03-05T00:00, factor: 0.0}
"""
CAMPAIGN = """
events:
  - {type: donor_campaign, start: 2025-03-04T00:00, end: 2025-03-05T00:00, factor: 3.0,
     sites: [dh_a]}
"""
LAB_OUTAGE = """
events:
  - {type: lab_outage, start: 2025-03-03T00:00, end: 2025-03-04T12:00, site_id: lab_a}
"""


def _whole_blood_on_day(result, day):
    ledger = result.ledger
    rbc = ledger[(ledger["product"] == "RBC") & (ledger.collected_at >= 0)]
    return rbc[(rbc.collected_at // MINUTES_PER_DAY) == day].size_u.sum()


def test_collection_collapse_stops_donations_in_its_window(tiny_scenario):
    base = run(tiny_scenario(days=3, seed=4))
    collapsed = run(tiny_scenario(days=3, seed=4, extra=COLLAPSE))
    assert _whole_blood_on_day(base, 1) > 0
    assert _whole_blood_on_day(collapsed, 1) == 0
    # the other days see the same donors (common random numbers per house)
    assert _whole_blood_on_day(collapsed, 0) == _whole_blood_on_day(base, 0)


def test_donor_campaign_raises_collection(tiny_scenario):
    base = run(tiny_scenario(days=3, seed=4))
    campaign = run(tiny_scenario(days=3, seed=4, extra=CAMPAIGN))
    assert _whole_blood_on_day(campaign, 1) > 2 * _whole_blood_on_day(base, 1)
    assert _whole_blood_on_day(campaign, 0) == _whole_blood_on_day(base, 0)


def test_lab_outage_holds_units_in_quarantine(tiny_scenario):
    base = run(tiny_scenario(days=3, seed=4))
    outage = run(tiny_scenario(days=3, seed=4, extra=LAB_OUTAGE))
    end = 1.5 * MINUTES_PER_DAY
    released = outage.ledger.released_at
    assert not ((released > 0) & (released < end)).any()  # opening stock is released at 0
    assert ((base.ledger.released_at > 0) & (base.ledger.released_at < end)).any()
    assert (released >= end).any()  # testing resumes after the outage
    assert outage.kpis["counters"]["lab_shifts_lost"] == 5  # shifts at 0, 8, 16, 24, 32 h


def test_processing_capacity_defers_the_excess(tiny_scenario):
    capped = run(
        tiny_scenario(days=2, seed=4, extra="processing: {capacity_donations_per_day: 5}\n")
    )
    assert capped.kpis["counters"]["processing_deferred_u"] > 0
    ledger = capped.ledger
    whole_blood = (ledger.collected_at >= 0) & (ledger["product"] != "PLT")
    separated = ledger[whole_blood & ledger.released_at.notna()]
    assert separated.donation_id.nunique() <= 5 * 2
