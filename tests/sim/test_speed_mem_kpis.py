"""The lean KPI paths (fewer copied columns, donations counted on a bitmap) give what the
plain pandas expressions they replace give."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.execution.kpis import _collection, _transport, distinct_ids

SETTINGS = settings(max_examples=80, deadline=None)
PRODUCTS = ["RBC", "PLT", "FFP", "CRYO", "FRBC"]


@SETTINGS
@given(ids=st.lists(st.one_of(st.integers(-3, 60), st.integers(0, 2**62)), max_size=50))
def test_distinct_ids_counts_like_nunique(ids):
    values = np.array(ids, dtype=np.int64)
    assert distinct_ids(values) == pd.Series(values).nunique()


ROWS = st.lists(
    st.tuples(
        st.integers(-1, 30), st.integers(0, 4), st.sampled_from([0.5, 1.0, 0.1]), st.booleans()
    ),
    max_size=40,
)


@SETTINGS
@given(rows=ROWS)
def test_collection_equals_the_plain_expressions(rows):
    ids, product, size, late = ([row[k] for row in rows] for k in range(4))
    ledger = pd.DataFrame(
        {
            "donation_id": np.array(ids, dtype=np.int64),
            "product": pd.Categorical.from_codes(np.array(product, int), categories=PRODUCTS),
            "size_u": np.array(size, dtype=np.float32),
        }
    )
    collected = pd.Series(np.array(late, dtype=bool))
    plain = ledger.loc[collected, ["donation_id", "product", "size_u"]]
    expected = {
        "donations": int(plain.donation_id[plain["product"] != "PLT"].nunique()),
        "whole_blood_u": round(float(plain[plain["product"] == "RBC"].size_u.sum()), 1),
        "apheresis_doses": round(float(plain.size_u[plain["product"] == "PLT"].sum()), 1),
    }
    assert _collection(ledger, collected) == expected


def test_transport_reads_only_the_legs_after_warm_up():
    legs = pd.DataFrame(
        {
            "leg_id": [0, 1, 2, 3],
            "mode": pd.array(["van", "drone", "drone", "van"], dtype=str),
            "purpose": pd.array(["delivery", "delivery", "return", "transfer"], dtype=str),
            "from_site": pd.array(["a", "a", "b", "b"], dtype=str),
            "depart_at": [10.0, 200.0, 250.0, 300.0],
            "units": [4.0, 2.0, 0.0, 3.0],
            "km": [10.0, 5.0, 5.0, 20.0],
            "cost_yuan": [100.0, 50.0, 50.0, 200.0],
        }
    )
    got = _transport(legs, warm=100.0)
    assert got["legs_by_mode"]["van"] == {
        "legs": 1, "loaded_legs": 1, "units": 3.0, "km": 20.0, "cost_yuan": 200.0,
        "units_per_loaded_leg": 3.0,
    }  # fmt: skip
    assert got["drone_sorties"] == 1 and got["units_by_drone"] == 2.0
    assert got["legs_by_mode"]["drone"]["legs"] == 2
