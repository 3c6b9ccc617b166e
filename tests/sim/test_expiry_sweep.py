"""Units that expire while still in testing are swept at midnight and counted as expired."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.core.domain import Product, UnitState
from sim.processes.expiry import sweep_testing
from sim.state.ledger import Ledger


def _world() -> SimpleNamespace:
    ledger = Ledger()
    # two platelet doses in testing at site 1, one expiring before midnight, one after
    ledger.add(Product.PLT, 0, 1, 1.0, [0, 1], 0.0, [1000.0, 2000.0], 1, UnitState.IN_TESTING)
    ledger.add(Product.RBC, 0, 1, 1.0, 2, 0.0, 500.0, 1, UnitState.AVAILABLE)  # the shelf's job
    plt_testing = np.zeros((2, 8))
    plt_testing[1, 1] = 2.0  # O+ doses in testing at site 1
    return SimpleNamespace(ledger=ledger, plt_testing=plt_testing)


def test_expired_units_in_testing_are_disposed_at_their_expiry() -> None:
    world = _world()
    swept = sweep_testing(world, 1440.0)
    assert swept.tolist() == [0]
    assert world.ledger.state[0] == UnitState.EXPIRED and world.ledger.disposed_at[0] == 1000.0
    assert world.ledger.state[1] == UnitState.IN_TESTING  # not yet expired
    assert world.ledger.state[2] == UnitState.AVAILABLE  # shelves are swept elsewhere
    assert world.plt_testing[1, 1] == 1.0  # the station no longer counts it in testing
    world.ledger.check_conservation()


def test_nothing_to_sweep_changes_nothing() -> None:
    world = _world()
    assert not len(sweep_testing(world, 900.0))
    assert world.plt_testing[1, 1] == 2.0
