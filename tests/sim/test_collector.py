"""The garbage-collector settings of a simulation are restored afterwards."""

from __future__ import annotations

import gc

import pytest

from sim.execution.collector import YOUNG_THRESHOLD, fewer_collections


def test_thresholds_and_frozen_objects_are_restored():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > frozen  # what existed at the start is frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_restored_on_error():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a failing run")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_cyclic_garbage_is_still_collected():
    class Node:
        pass

    with fewer_collections():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2  # an explicit pass still frees young cycles
