"""One process issuing every hospital's block keeps the event order of one process per
hospital (:func:`sim.processes.hospital.issue_blocks`, :class:`sim.core.scheduling.Environment`).

Stand-in hospitals log what they do; an issue may start urgent work (processes that log when
they start, may start more, and log again after a zero-delay wait), and a bystander process
logs at every block midpoint. The log of the block pass must equal the log of one process
per hospital, as :meth:`Hospital.run` was before the pass; the units each issue hands back
are recorded as transfused once, at the issue's time, before any urgent work runs.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import MINUTES_PER_DAY, UnitState
from sim.core.scheduling import Environment
from sim.processes.hospital import issue_blocks

BLOCKS, DAYS = 3, 2


class StandIn:
    """A hospital that logs its plans and issues; ``urgent[(day, block)]`` is the nesting
    depth of the urgent work its issue starts then (0: none)."""

    def __init__(self, name: int, env: Environment, log: list, urgent: dict) -> None:
        self.name, self.env, self.log, self.urgent = name, env, log, urgent

    def plan_day(self, day: int) -> list[int]:
        self.log.append(("plan", self.name, day, self.env.now))
        return list(range(BLOCKS))

    def issue_drawn(self, day: int, block: int) -> list[np.ndarray]:
        self.log.append(("issue", self.name, day, block, self.env.now))
        depth = self.urgent.get((day, block), 0)
        if depth:
            self.env.process(self._order(depth))
        unit = (self.name * DAYS + day) * BLOCKS + block  # one unit per issue
        return [np.array([unit])] if (day + block + self.name) % 3 else []  # some give none

    def _order(self, depth: int):
        self.log.append(("order starts", self.name, depth, self.env.now))
        if depth > 1:
            self.env.process(self._order(depth - 1))
        yield self.env.timeout(0)
        self.log.append(("order waited", self.name, depth, self.env.now))


class LedgerStandIn:
    """Logs each unit recorded as transfused, with the time."""

    def __init__(self, env: Environment, log: list) -> None:
        self.env, self.log = env, log

    def dispose(self, ids: np.ndarray, state: int, time: float) -> None:
        assert state == UnitState.TRANSFUSED and time == self.env.now
        self.log.extend(("transfused", int(unit), time) for unit in ids)


class WorldStandIn:
    """What :func:`issue_blocks` reads of a world."""

    scenario = SimpleNamespace(days=DAYS, demand=SimpleNamespace(blocks_per_day=BLOCKS))

    def __init__(self, env: Environment, ledger: LedgerStandIn) -> None:
        self.env, self.ledger = env, ledger

    @property
    def now(self) -> float:
        return self.env.now


def _bystander(env: Environment, log: list):
    block_min = MINUTES_PER_DAY / BLOCKS
    for k in range(DAYS * BLOCKS):
        yield env.timeout(max(0.0, (k + 0.5) * block_min - env.now))
        log.append(("bystander", env.now))


def _one_process_each(env: Environment, hospital: StandIn):
    """The reference: :meth:`Hospital.run` before the block pass."""
    block_min = MINUTES_PER_DAY / BLOCKS
    for day in range(DAYS):
        plan = hospital.plan_day(day)
        for block in range(BLOCKS):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + (block + 0.5) * block_min - env.now))
            for ids in hospital.issue_drawn(day, plan[block]):
                hospital.ledger.dispose(ids, UnitState.TRANSFUSED, env.now)


def _log(urgent: list[dict], block_pass: bool) -> list:
    env, log = Environment(), []
    env.process(_bystander(env, log))  # its timeouts are due before the hospitals'
    hospitals = [StandIn(i, env, log, u) for i, u in enumerate(urgent)]
    ledger = LedgerStandIn(env, log)
    for hospital in hospitals:
        hospital.ledger = ledger
    if block_pass:
        env.process(issue_blocks(WorldStandIn(env, ledger), hospitals))
    else:
        for hospital in hospitals:
            env.process(_one_process_each(env, hospital))
    env.run()
    return log


slots = st.tuples(st.integers(0, DAYS - 1), st.integers(0, BLOCKS - 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(slots, st.integers(0, 3), max_size=4), min_size=1, max_size=5))
def test_the_block_pass_logs_what_one_process_per_hospital_logs(urgent):
    passed, each = _log(urgent, block_pass=True), _log(urgent, block_pass=False)
    assert _without_transfusions(passed) == _without_transfusions(each)
    assert sorted(_transfusions(passed)) == sorted(_transfusions(each))  # once, same time
    pending = set()  # units issued, not yet recorded as transfused
    for entry in passed:
        if entry[0] == "issue":
            name, day, block = entry[1:4]
            unit = (name * DAYS + day) * BLOCKS + block
            pending |= {unit} if (day + block + name) % 3 else set()
        elif entry[0] == "transfused":
            pending.discard(entry[1])
        elif entry[0] in ("order starts", "order waited", "bystander"):
            assert not pending, entry  # recorded before anything else runs


def _without_transfusions(log: list) -> list:
    return [entry for entry in log if entry[0] != "transfused"]


def _transfusions(log: list) -> list:
    return [entry for entry in log if entry[0] == "transfused"]


def test_urgent_work_runs_between_hospitals():
    log = _log([{(0, 0): 2}, {}], block_pass=True)
    first = [entry[:2] for entry in log if entry[0] != "bystander"][:6]
    assert first == [
        ("plan", 0), ("plan", 1), ("issue", 0), ("order starts", 0), ("order starts", 0),
        ("issue", 1),
    ]  # fmt: skip
