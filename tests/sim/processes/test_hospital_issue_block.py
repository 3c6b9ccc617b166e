"""A hospital's block issue, vectorised over products and groups, equals the plain loop.

The reference below is the per product x group loop the hospital used before (demand booked
product by product and priority by priority, groups to issue found product by product, each
group's shortfall shared out on NumPy arrays). Both hospitals see the same stock and the
same random blocks of demand; after every block their worlds must agree exactly.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sim.core.domain import PRODUCTS, Priority, Product, UnitState
from sim.processes.hospital import ROUTINE_INDEX, Hospital
from sim.state.demand_outcomes import URGENCY

BLOCK_MIN = 360.0  # minutes between blocks: routine demand waits, stock expires


class ReferenceHospital(Hospital):
    """The hospital's issue path as a plain loop (the pre-vectorised code)."""

    def _issue_block(self, day: int, cells: np.ndarray) -> None:
        world, taken = self.world, []
        for p_index, product in enumerate(PRODUCTS):
            need = cells[p_index].sum(axis=1)
            world.demand_u[day, product] += need.sum()
            for u, units in enumerate(cells[p_index].sum(axis=0)):
                self.book.demanded(day, int(product), URGENCY[u], float(units))
            for group in np.flatnonzero(need + self.backorders[product]):
                taken.append(self._issue(day, int(product), int(group), cells[p_index, group]))
        if taken:
            world.ledger.dispose(np.concatenate(taken), UnitState.TRANSFUSED, world.now)

    def _issue(self, day: int, product: int, group: int, by_urgency: np.ndarray) -> np.ndarray:
        world = self.world
        abo, rhd = world.groups.codes[group]
        need = float(by_urgency.sum()) + self.backorders[product, group]
        credit = min(self.credit[product, group], need)
        self.credit[product, group] -= credit
        ids, got = self._take(product, (abo, rhd), float(by_urgency[0]), need - credit)
        got += credit
        self.credit[product, group] += max(0.0, got - need)
        world.met_u[day, product] += min(got, need)
        self._share_out(day, product, group, by_urgency, min(got, need))
        return ids

    def _share_out(self, day, product, group, by_urgency, met) -> None:
        short = np.asarray(by_urgency).astype(float)
        for u in range(len(URGENCY)):
            if URGENCY[u] == Priority.ROUTINE:
                met = self._serve_waiting(product, group, met)
            served = min(met, short[u])
            met -= served
            short[u] -= served
            self.book.resolved(day, product, URGENCY[u], "on_time", served)
        self._drop_overdue(product, group)
        self._short(day, product, group, by_urgency, short)


def _stock(world, site: int, rng: np.random.Generator, n: int) -> None:
    """``n`` random bags (product, group, size, expiry within 2 days) on the shelf."""
    codes = np.array(world.groups.codes)
    groups = codes[rng.choice(len(codes), n, p=world.groups.shares)]
    ids = world.add_units(
        product=rng.choice([int(p) for p in PRODUCTS], n), abo=groups[:, 0], rhd=groups[:, 1],
        size_u=rng.choice([1.0, 1.5, 2.0], n), donation_id=np.arange(n), collected_at=0.0,
        expires_at=rng.uniform(60.0, 2 * 1440.0, n).round(), site=site,
        state=UnitState.IN_TESTING,
    )  # fmt: skip
    world.ledger.release(ids, 0.0)
    world.stock[site].add(ids)


def _state(world, hospital: Hospital) -> list:
    lg = world.ledger
    stockouts = world.logs.stockouts.frame()
    return [
        world.demand_u.tobytes(),
        world.met_u.tobytes(),
        hospital.book.units.tobytes(),
        hospital.backorders.tobytes(),
        hospital.credit.tobytes(),
        lg.state[: len(lg)].tobytes(),
        lg.disposed_at[: len(lg)].tobytes(),
        stockouts.to_json(),
        world.events_processed(),
        {key: [(w.since, w.day, w.units, w.row) for w in q] for key, q in hospital.waiting.items()},
    ]


@settings(
    max_examples=4,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # each example builds two worlds
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), bags=st.integers(0, 60))
def test_vectorised_block_issue_equals_the_plain_loop(tiny_world, seed, bags) -> None:
    worlds = [tiny_world(days=3, extra="inventory: {patient_orders: true}") for _ in range(2)]
    site = worlds[0].sites.position("h_b")
    hospitals = [Hospital(worlds[0], site), ReferenceHospital(worlds[1], site)]
    for world, hospital in zip(worlds, hospitals, strict=True):
        world.hospitals[site] = hospital  # deliveries for its patients are booked here
    for world in worlds:
        _stock(world, site, np.random.default_rng(seed), bags)
    rng = np.random.default_rng(seed + 1)
    for block in range(10):
        cells = rng.poisson(rng.choice([0.05, 0.3, 1.0]), (len(PRODUCTS), 8, 3))
        cells[:, :, ROUTINE_INDEX] *= rng.integers(0, 3)
        for world, hospital in zip(worlds, hospitals, strict=True):
            world.env.run(until=block * BLOCK_MIN + 1.0)
            if block % 4 == 3:  # an incident: extra emergency red cells by group
                hospital.inject(Product.RBC, cells[0, :, 0] * 2.0, Priority.EMERGENCY)
            else:
                hospital._issue_block(block // 4, cells)
        assert _state(worlds[0], hospitals[0]) == _state(worlds[1], hospitals[1])
