"""HLA-matched platelets from the provincial gene bank: how long a patient waits.

The wait is not an input: it follows from whether a matched dose is already in the centre's
platelet stock, how many bank donors match the patient, whether one of them can come in on a
given day, the station's apheresis hours, and testing (the recalled donation is screened like
any other and may be discarded). Whether a patient is
served the same day then emerges (about 62 % in Zhejiang, seeds.md "Platelet matching").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, MINUTES_PER_HOUR

# Genotyped donors in the Zhejiang platelet gene bank, end 2024 (seeds.md, "Platelet matching").
GENE_BANK_DONORS = 80_826
# Share of bank donors matching a patient: Netherlands, 19,478 HLA-typed donors gave a median of
# 83 matched donors per patient (IQR 18-266), Kreuger et al., Transfusion 2020;60(5):940-6,
# https://repub.eur.nl/pub/127278 -> median 83 / 19,478 = 0.43 %; log-normal spread with
# sigma = ln(266 / 18) / 1.349 = 2.0 (the IQR of a normal is 1.349 sigma).
MATCH_SHARE_MEDIAN = 83 / 19_478
MATCH_SHARE_SIGMA = math.log(266 / 18) / 1.349
# Chance that one matched donor can donate on a given day (assumed): the 14-day apheresis
# interval (facts 1.1) caps a donor at 1 day in 14 (7 %); reachable and free the same day
# about 1 in 3 of those -> 2 %. With hundreds of matched donors this rarely binds, but for
# patients with uncommon HLA types (a few matched donors) it delays collection by days.
DONOR_DAY_SHARE = 0.02
# Phone recall and travel to the station (assumed: a city trip, 2 h) and the apheresis session
# (assumed 90 min: machine collections of a therapeutic dose take about 1-2 h).
RECALL_MIN = 120.0
APHERESIS_MIN = 90.0


@dataclass(frozen=True)
class Testing:
    """The testing a recalled donation goes through (the scenario's ``testing`` section).

    Attributes
    ----------
    shift_min : float
        Length of a lab shift, minutes; results start with the next shift.
    turnaround_min : float
        From the start of the shift to release, minutes.
    discard_rate : float
        Share of donations screened reactive (discarded), 0..1.
    """

    shift_min: float
    turnaround_min: float
    discard_rate: float


def match_share(rng: np.random.Generator) -> float:
    """Share of bank donors HLA-matched to one patient (0..1, drawn per patient)."""
    return min(1.0, MATCH_SHARE_MEDIAN * math.exp(MATCH_SHARE_SIGMA * rng.standard_normal()))


def matched_donors(rng: np.random.Generator, share: float) -> int:
    """Bank donors matched to a patient whose match share is ``share`` (0..1)."""
    return int(rng.poisson(GENE_BANK_DONORS * share))


def matched_in_stock(rng: np.random.Generator, doses: int, share: float) -> np.ndarray:
    """Which of ``doses`` platelet doses in stock come from matched donors (bool per dose).

    Apheresis donors are the bank's genotyped donors, so a dose in stock matches the
    patient with the patient's match ``share``: the "served from stock" path of repeat
    matches (seeds.md: about 60 % of repeat matches served from stock the same day).
    """
    return rng.random(doses) < share


def donation_time(
    rng: np.random.Generator,
    now: float,
    matched: int,
    opening_h: tuple[float, float],
    last: float,
) -> float | None:
    """Minute a recalled matched donor starts donating, or None if none can by ``last``.

    Parameters
    ----------
    now : float
        Request time, minutes since the start.
    matched : int
        Matched donors in the bank.
    opening_h : (float, float)
        Apheresis opening hours of the station, hours of the day.
    last : float
        Latest minute to search to.
    """
    p_day = 1.0 - (1.0 - DONOR_DAY_SHARE) ** matched
    day = int(now // MINUTES_PER_DAY)
    while day * MINUTES_PER_DAY <= last:
        opens = day * MINUTES_PER_DAY + opening_h[0] * MINUTES_PER_HOUR
        closes = day * MINUTES_PER_DAY + opening_h[1] * MINUTES_PER_HOUR
        start = max(now + RECALL_MIN, opens)
        if start + APHERESIS_MIN <= closes and start <= last and rng.random() < p_day:
            return start
        day += 1
    return None


def release_time(collected: float, testing: Testing) -> float:
    """Minute the results release a donation finished at ``collected`` (minutes): the next
    lab shift start plus the turnaround."""
    next_shift = math.ceil(collected / testing.shift_min) * testing.shift_min
    return next_shift + testing.turnaround_min
