"""Typed records: one declaration of the columns, one writer per table."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from sim.state.records import (
    LEG_COLUMNS,
    ORDER_COLUMNS,
    SERVICE_COLUMNS,
    STOCKOUT_COLUMNS,
    Leg,
    Table,
)
from sim.transport.legs import record_leg

README = Path(__file__).resolve().parents[2] / "README.md"


def _leg(**change: object) -> Leg:
    values = dict(
        mode="van",
        purpose="delivery",
        from_site="bs_a",
        to_site="h_a",
        depart_at=10.0,
        arrive_at=40.0,
        units=3.0,
        bags=3,
        samples=0,
        order_id=7,
        km=12.5,
        cost_yuan=50.0,
    )
    return Leg(**{**values, **change})


def test_a_table_numbers_its_rows_and_keeps_its_columns() -> None:
    table = Table(Leg, "leg_id")
    assert table.add(_leg()) == 0
    assert table.add(_leg(mode="drone")) == 1
    frame = table.frame()
    assert tuple(frame.columns) == LEG_COLUMNS
    assert frame.leg_id.tolist() == [0, 1]
    assert frame["mode"].tolist() == ["van", "drone"]


def test_a_table_refuses_another_record_type_and_unknown_fields() -> None:
    table = Table(Leg, "leg_id")
    with pytest.raises(TypeError, match="expected a Leg"):
        table.add(("van",) * 12)
    table.add(_leg())
    with pytest.raises(KeyError, match="no field 'speed'"):
        table.update(0, speed=3.0)
    table.update(0, arrive_at=45.0)
    assert table.get(0, "arrive_at") == 45.0


def test_record_leg_takes_units_and_bags_from_the_ledger() -> None:
    ledger = SimpleNamespace(size_u=np.array([1.0, 1.5, 2.0]))
    world = SimpleNamespace(
        ledger=ledger,
        logs=SimpleNamespace(legs=Table(Leg, "leg_id")),
        site_ids=["bs_a", "h_a", "h_b"],
    )
    ids = np.array([1, 2])
    leg_id = record_leg(world, "rail", "delivery", 0, 2, 5.0, 65.0, ids, km=80.0, cost_yuan=9.0)
    row = world.logs.legs.frame().iloc[leg_id]
    assert (row.from_site, row.to_site, row.units, row.bags) == ("bs_a", "h_b", 3.5, 2)
    assert (row.order_id, row.samples) == (-1, 0)
    empty = np.empty(0, np.int64)
    record_leg(world, "external", "import", "other_province", 1, 0.0, 1.0, empty, km=np.nan,
               cost_yuan=0.0)  # fmt: skip
    last = world.logs.legs.frame().iloc[-1]
    assert (last.from_site, last.units, last.bags) == ("other_province", 0.0, 0)


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("orders", ORDER_COLUMNS),
        ("legs", LEG_COLUMNS),
        ("stockouts", STOCKOUT_COLUMNS),
        ("service", SERVICE_COLUMNS),
    ],
)
def test_the_readme_documents_every_column(table: str, columns: tuple[str, ...]) -> None:
    text = README.read_text(encoding="utf-8")
    paragraph = text.split(f"**`{table}.parquet`**", 1)[1].split("\n\n", 1)[0]
    named = {
        name.strip() for span in re.findall(r"`([^`]+)`", paragraph) for name in span.split(",")
    }
    assert [c for c in columns if c not in named] == []
