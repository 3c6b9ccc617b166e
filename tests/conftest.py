"""Fixtures shared by every test folder: the tiny fixture world (see tests/sim/conftest.py)."""

from tests.sim.conftest import tiny_dir, tiny_scenario

__all__ = ["tiny_dir", "tiny_scenario"]
