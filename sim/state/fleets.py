"""What the World knows of its vehicles: the members processes and policies use.

The vehicles themselves live one layer up (``sim.transport.vans.Vans``,
``sim.transport.drones.DroneFleet``) because they record legs and act on the World; the
World is handed a factory that builds them (``sim.build.make_world``), so both fields are
set when the World is constructed. Times are minutes since the scenario start; ``ids`` are
ledger ids of bags.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Protocol

import numpy as np
import simpy


class VanFleet(Protocol):
    """Refrigerated vans: a priority pool per station and fleet (``"delivery"``,
    ``"collection"``)."""

    pools: dict[tuple[int, str], simpy.PriorityResource]
    bases: set[int]  # site positions of the stations vans are based at

    def trip(
        self,
        base: int,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        priority: int = ...,
        order_id: int = -1,
        samples: int = 0,
        fleet: str = "delivery",
    ) -> Generator[simpy.Event, object, float]:
        """A whole van trip from ``base``; returns the arrival time."""
        ...

    def acquire(
        self, base: int, fleet: str, priority: int = ...
    ) -> Generator[simpy.Event, object, simpy.Event]:
        """Wait for a free van; returns the request to release."""
        ...

    def drive(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        order_id: int = -1,
        samples: int = 0,
    ) -> Generator[simpy.Event, object, None]:
        """One recorded road leg."""
        ...

    def carry(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        order_id: int = -1,
        samples: int = 0,
    ) -> Generator[simpy.Event, object, None]:
        """One loaded road leg (the bags are in transit until arrival)."""
        ...

    def drive_back(
        self, request: simpy.Event, at: int, base: int, fleet: str
    ) -> Generator[simpy.Event, object, None]:
        """Return empty to ``base`` and free the van."""
        ...

    def request(self, base: int, fleet: str, priority: int = ...) -> simpy.Event:
        """A request for a van of ``fleet`` at ``base``: the event granting it (for callers
        run from event callbacks)."""
        ...

    def drive_then(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        then: Callable[[simpy.Event], None],
        *,
        samples: int = 0,
        loaded: bool = False,
    ) -> None:
        """One recorded road leg (``loaded``: the bags in transit), then ``then`` called from
        the arrival event."""
        ...

    def send_back(self, request: simpy.Event, at: int, base: int) -> None:
        """Return empty to ``base`` and free the van, without a process to wait for."""
        ...

    def return_to_base(self, request: simpy.Event, at: int, base: int) -> None:
        """:meth:`send_back` run from an event callback (the van freed on arrival)."""
        ...


class DroneView(Protocol):
    """Blood drones at the region's drone ports."""

    #: Published legs of the routine routes: ``(origin, dest) -> (km, minutes)``.
    routes: dict[tuple[int, int], tuple[float, float]]

    def on_network(self, origin: int, dest: int) -> bool:
        """Whether dispatch may fly ``origin`` -> ``dest`` (``fleet.drones.network``)."""
        ...

    def grounded(self, t0: float, t1: float) -> bool:
        """True when the weather keeps drones on the ground at any time in [t0, t1]."""
        ...

    def can_fly(self, origin: int, dest: int, ids: np.ndarray, max_sorties: int) -> bool:
        """A flyable leg exists now, the weather allows it and the load needs few sorties."""
        ...

    def sorties(self, ids: np.ndarray) -> list[np.ndarray]:
        """The bags split into sorties within the payload."""
        ...

    def expected_wait(self, origin: int, dest: int, sorties: int = 1) -> float:
        """Rough minutes until the last of ``sorties`` sorties could leave ``origin``."""
        ...

    def fly(
        self, origin: int, dest: int, ids: np.ndarray, purpose: str, order: int = -1
    ) -> Generator[simpy.Event, object, float]:
        """Carry ``ids`` in sorties; returns the last landing time."""
        ...
