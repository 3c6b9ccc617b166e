"""The ledger keeps where each bag was created, and the README documents every column."""

from __future__ import annotations

import re
from pathlib import Path

from sim.core.domain import Product, UnitState
from sim.state.ledger import Ledger

README = Path(__file__).resolve().parents[2] / "README.md"


def test_collection_site_is_where_the_bag_was_created_and_stays() -> None:
    ledger = Ledger()
    ids = ledger.add(Product.RBC, 0, 1, 1.0, [0, 1], 0.0, 100.0, 2, UnitState.COLLECTED)
    ledger.move(ids, UnitState.IN_TESTING, site=1)  # carried to the station
    frame = ledger.to_frame(["station", "other", "house"])
    assert frame.collection_site.tolist() == ["house", "house"]
    assert frame.site_id.tolist() == ["other", "other"]


def test_the_readme_documents_every_ledger_column() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("**`ledger.parquet`**", 1)[1].split("**`orders.parquet`**", 1)[0]
    named = {n.strip() for span in re.findall(r"`([^`]+)`", section) for n in span.split(",")}
    columns = [*Ledger().to_frame([]).columns, "storage_c"]  # storage_c: added by the runner
    assert [c for c in columns if c not in named] == []
