"""The runner lets the simulated world go before it builds the tables, and empties the ledger
into its frame, so a year's tables are not built next to the whole simulation."""

from __future__ import annotations

import gc
import weakref

from sim.execution.runner import run
from sim.state.ledger import Ledger
from sim.state.world import World


def _worlds() -> list[World]:
    return [o for o in gc.get_objects() if isinstance(o, World)]


def _worlds_alive(earlier: weakref.WeakSet) -> int:
    """Worlds alive now that were not alive before the run (other tests may keep theirs)."""
    return sum(world not in earlier for world in _worlds())


def test_no_world_is_alive_while_the_ledger_frame_is_built(tiny_scenario, monkeypatch) -> None:
    seen: list[tuple[int, int]] = []  # (worlds alive, ledger rows left) at the frame
    plain = Ledger.pop_frame
    earlier = weakref.WeakSet(_worlds())

    def watched(ledger: Ledger, site_ids):
        frame = plain(ledger, site_ids)
        seen.append((_worlds_alive(earlier), len(ledger)))
        return frame

    monkeypatch.setattr(Ledger, "pop_frame", watched)
    result = run(tiny_scenario(days=3, seed=5))
    assert seen == [(0, 0)]
    assert len(result.ledger) > 0 and result.kpis["simulation"]["ledger_rows"] == len(result.ledger)
