"""Only a share of donations is antigen-typed; rare requests screen untyped units, which takes
time (Wuhan: 120 group-B units screened to find 1, seeds.md)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.core.streams import Streams
from sim.processes import rare
from sim.scenario.rare import RareBlood


def _world() -> SimpleNamespace:
    return SimpleNamespace(
        scenario=SimpleNamespace(rare_blood=RareBlood()), streams=Streams(3), next_donation_id=7
    )


def test_only_the_typed_share_of_donations_carries_antigens() -> None:
    masks = rare.draw_antigens(_world(), np.random.default_rng(1), 20_000)
    typed = (masks & rare.TYPED) != 0
    assert abs(typed.mean() - rare.TYPED_SHARE) < 0.01
    assert (masks[~typed] == 0).all()  # untyped: nothing known


def test_the_frozen_bank_is_all_typed() -> None:
    masks = rare.draw_antigens(_world(), np.random.default_rng(1), 300, rare=True)
    assert ((masks & rare.TYPED) != 0).all()


def test_an_anti_ce_jkb_patient_matches_about_one_unit_in_a_hundred() -> None:
    chance = rare.match_chance(_world(), rare.antigen_bits(["C", "e", "Jkb"]))
    assert 1 / 200 < chance < 1 / 60  # Wuhan: 1 of 120 group-B units screened


def test_screening_wuhan_s_120_units_takes_hours() -> None:
    assert rare._screen_min(120) == 5 * 60.0
    assert rare._screen_min(0) == 0.0
