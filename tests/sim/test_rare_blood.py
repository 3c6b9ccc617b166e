"""Rare and matched blood: antigen-negative units found across the network, HLA platelets."""

from __future__ import annotations

import pytest

from sim import run
from sim.processes import hla as hla_model
from sim.processes.rare import antigen_bits

REQUESTS = """
events:
  - {type: rare_request, start: 2025-01-01T09:00, end: 2025-01-01T17:00,
     hospital_id: h_wenzhou_001, abo: B, rhd: "+", antigens_negative: [C, e, Jkb], units: 2}
  - {type: hla_platelet_request, start: 2025-01-01T10:00, end: 2025-01-02T10:00,
     hospital_id: h_lishui_001, abo: A, rhd: "+", doses: 1}
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("rare") / "rare.yaml"
    path.write_text("name: rare\nregion: zhejiang\ndays: 3\nseed: 4\n" + REQUESTS, encoding="utf-8")
    return run(path)


def test_antigen_negative_units_are_delivered_and_match(result):
    orders = result.orders
    rare = orders[orders.group.str.contains("Jkb-")]
    assert len(rare) == 1 and rare.iloc[0].status == "filled"
    assert rare.iloc[0].filled_u >= 2 and rare.iloc[0].level == 3
    units = result.ledger[result.ledger.order_id == rare.iloc[0].order_id]
    mask = antigen_bits(["C", "e", "Jkb"])
    assert ((units.antigens & mask) == mask).all()
    assert set(units.state.astype(str)) == {"transfused"}
    assert set(units.abo.astype(str)) <= {"B", "O"}


def test_hla_platelets_come_after_the_recall(result):
    orders = result.orders
    hla = orders[orders.group.str.endswith("HLA")].iloc[0]
    assert result.kpis["hla"]["requests"] == 1
    # recalled, collected, then tested like any donation (8 h turnaround after a shift start);
    # a patient with few matched donors may still wait at the end of this 3-day run
    earliest = hla.placed_at + hla_model.RECALL_MIN + hla_model.APHERESIS_MIN + 8 * 60
    assert not hla.arrived_at < earliest
    units = result.ledger[result.ledger.order_id == hla.order_id]
    assert set(units["product"].astype(str)) <= {"PLT"}
    assert set(units.group.astype(str)) <= {"A+"}
    assert (units.released_at - units.collected_at >= 8 * 60).all()
