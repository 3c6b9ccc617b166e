"""Domain vocabulary shared by every part of the simulation.

Products, blood groups and unit states are small integer codes so that the unit ledger can
store them in NumPy arrays; the names here are the ones written to every output table.
"""

from __future__ import annotations

from enum import IntEnum


class Product(IntEnum):
    """Blood components tracked on the ledger (China counts 1 U = 200 mL whole blood)."""

    RBC = 0  # suspended red cells, units (U)
    PLT = 1  # apheresis platelets, therapeutic doses
    FFP = 2  # fresh frozen plasma, units (U)
    CRYO = 3  # cryoprecipitate, units (U)
    FRBC = 4  # frozen (glycerolised) red cells, rare-blood bank, units (U)


class ABO(IntEnum):
    """ABO group."""

    O = 0  # noqa: E741 - the blood group is called O
    A = 1
    B = 2
    AB = 3


class RhD(IntEnum):
    """RhD type."""

    NEG = 0
    POS = 1


class UnitState(IntEnum):
    """Life cycle of one bag, "from donor vein to patient vein" (DESIGN.md, unit ledger)."""

    COLLECTED = 0  # drawn, on its way to the blood station
    IN_TESTING = 1  # processed, samples at the NAT lab
    QUARANTINED = 2  # kept apart until the lab releases it (kept for compatibility of names)
    AVAILABLE = 3  # released and in stock at a site
    RESERVED = 4  # promised to an order, not yet shipped
    IN_TRANSIT = 5  # on a leg between two sites
    TRANSFUSED = 6  # issued to a patient (terminal)
    EXPIRED = 7  # outdated in stock (terminal)
    DISCARDED = 8  # failed screening or processing (terminal)


class Priority(IntEnum):
    """Order priority; an emergency order is never dropped before a routine one."""

    ROUTINE = 0
    URGENT = 1
    EMERGENCY = 2


class Level(IntEnum):
    """Escalation level of the source that fills an order (China's four-level supply)."""

    HOSPITAL = 1  # the hospital's own blood bank (no order placed)
    OWN_STATION = 2  # the blood station that supplies the hospital
    REGION = 3  # the provincial blood center or another station of the region
    OTHER_PROVINCE = 4  # the neighbouring region run together, else other provinces


TERMINAL_STATES = frozenset({UnitState.TRANSFUSED, UnitState.EXPIRED, UnitState.DISCARDED})
IN_STOCK_STATES = frozenset(
    {
        UnitState.COLLECTED,
        UnitState.IN_TESTING,
        UnitState.QUARANTINED,
        UnitState.AVAILABLE,
        UnitState.RESERVED,
    }
)

# The four components hospitals order and transfuse (frozen red cells only via the rare bank).
PRODUCTS = (Product.RBC, Product.PLT, Product.FFP, Product.CRYO)

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0


def group_label(abo: int, rhd: int) -> str:
    """Blood group label such as ``"O+"`` or ``"AB-"``."""
    return f"{ABO(abo).name}{'+' if rhd == RhD.POS else '-'}"
