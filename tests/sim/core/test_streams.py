"""Random streams: reproducible per (seed, purpose, entity), independent across them."""

from __future__ import annotations

import pytest

from sim.core.streams import Streams


def test_same_seed_purpose_and_entity_give_the_same_draws() -> None:
    a = Streams(5).get("demand", 3).random(4)
    b = Streams(5).get("demand", 3).random(4)
    assert a.tolist() == b.tolist()


def test_another_purpose_entity_or_seed_gives_other_draws() -> None:
    base = Streams(5).get("demand", 3).random(4).tolist()
    assert Streams(5).get("donors", 3).random(4).tolist() != base
    assert Streams(5).get("demand", 4).random(4).tolist() != base
    assert Streams(6).get("demand", 3).random(4).tolist() != base


def test_drawing_from_one_stream_leaves_the_others_unchanged() -> None:
    streams = Streams(1)
    expected = Streams(1).get("lab", 0).random(3).tolist()
    streams.get("demand", 0).random(1000)
    assert streams.get("lab", 0).random(3).tolist() == expected


def test_a_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed -1 is negative"):
        Streams(-1)
