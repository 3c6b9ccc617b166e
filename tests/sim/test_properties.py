"""Hypothesis properties over random small scenarios on the tiny world."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import run
from sim.core.compatibility import is_compatible

SCENARIO_EXTRA = """\
processing:
  cryo_share: {cryo}
testing:
  discard_rate: {discard}
"""

settings.register_profile(
    "sim",
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@settings(settings.get_profile("sim"))
@given(
    seed=st.integers(0, 10_000),
    days=st.integers(1, 3),
    cryo=st.sampled_from([0.0, 0.12, 0.5]),
    discard=st.sampled_from([0.0, 0.05, 0.3]),
)
def test_random_small_worlds_conserve_units_and_never_go_negative(
    tiny_scenario, seed, days, cryo, discard
):
    path = tiny_scenario(
        days=days, seed=seed, extra=SCENARIO_EXTRA.format(cryo=cryo, discard=discard)
    )
    result = run(path)  # the run itself raises if units are not conserved
    ledger = result.ledger
    states = ledger.state.astype(str)
    assert (ledger.size_u > 0).all()
    # stock never negative: every order filled at most what was taken from real bags
    assert (result.orders.filled_u >= 0).all()
    assert (result.stockouts.short_u > 0).all()
    assert (result.stockouts.short_u <= result.stockouts.needed_u + 1e-9).all()
    # units in testing never sit at a hospital; transfused units only at hospitals
    assert set(ledger.site_id[states == "transfused"]) <= {"h_a", "h_b"}
    assert not ledger[states == "in_testing"].site_id.isin(["h_a", "h_b"]).any()
    # no unit is transfused after it expired
    transfused = ledger[states == "transfused"]
    assert (transfused.disposed_at <= transfused.expires_at).all()


@settings(settings.get_profile("sim"))
@given(seed=st.integers(0, 10_000))
def test_urgent_deliveries_respect_compatibility(tiny_scenario, seed):
    """Units delivered for an urgent/emergency order are compatible with its patient group."""
    result = run(tiny_scenario(days=3, seed=seed))
    orders = result.orders[result.orders.group != "mixed"].set_index("order_id")
    units = result.ledger[result.ledger.order_id.isin(orders.index)]
    rules = {"RBC": "red_cell", "PLT": "platelet_fallback", "FFP": "plasma", "CRYO": "plasma"}
    abo = {"O": 0, "A": 1, "B": 2, "AB": 3}
    for row in units.itertuples():
        order = orders.loc[row.order_id]
        patient = order.group
        p_abo, p_rhd = abo[patient[:-1]], int(patient[-1] == "+")
        d_abo, d_rhd = abo[str(row.abo)], int(row.rhd == "+")
        assert is_compatible(rules[str(row.product)], d_abo, d_rhd, p_abo, p_rhd)
    assert np.isfinite(result.kpis["fill_rate"])
