"""Run a scenario end to end: load, simulate, check conservation, tabulate, write."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.network.osm import RoadGraphError
from sim.build import make_world, populate
from sim.core.domain import MINUTES_PER_DAY, Product
from sim.core.errors import RunError
from sim.execution.border import border_table
from sim.execution.collector import fewer_collections, give_back_memory
from sim.execution.kpis import RunFacts, compute_kpis
from sim.execution.output import free_table_memory, lean_heap, write_run_files
from sim.execution.output_folder import staged_output, tool_version
from sim.execution.qc import run_qc
from sim.policies import ROLES, known_policies
from sim.processes.blood_station import make_components
from sim.scenario import LoadedScenario, Scenario, load_scenario
from sim.scenario.checks import road_graph_path
from sim.state.ledger import Ledger
from sim.state.records import Table
from sim.state.world import World

DayCallback = Callable[[int, int], None]
# Renders extra files (map, report) into a finished run folder: (folder, outputs settings).
RenderViews = Callable[[Path, object], None]


@dataclass(frozen=True)
class RunResult:
    """Tables and KPIs of one run (the same content as the run folder's files)."""

    ledger: pd.DataFrame
    orders: pd.DataFrame
    legs: pd.DataFrame
    stockouts: pd.DataFrame
    stock: pd.DataFrame
    service: pd.DataFrame  # demand and what became of it, per day, hospital, product, priority
    kpis: dict
    facts: RunFacts | None = None  # what only the run knows (for rebuilding the KPIs)
    path: Path | None = None
    qc: pd.DataFrame | None = None  # quality indicators per hospital and period (sim/execution/qc)
    border: pd.DataFrame | None = None  # regions run together: balance and flows (.border)


def run(
    scenario: str | Path | LoadedScenario,
    *,
    seed: int | None = None,
    days: int | None = None,
    policies: dict[str, str] | None = None,
    out: str | Path | None = None,
    on_day: DayCallback | None = None,
    overwrite: bool = False,
    render: RenderViews | None = None,
) -> RunResult:
    """Simulate a scenario and return its tables and KPIs.

    Parameters
    ----------
    scenario : path or LoadedScenario
        Scenario YAML file (validated here) or an already loaded one.
    seed : int, optional
        Overrides the scenario seed.
    days : int, optional
        Overrides the horizon, days (> 0).
    policies : dict, optional
        Overrides policy names by role, e.g. ``{"dispatch": "ground_only"}``.
    out : path, optional
        Run folder to write (complete or not at all); nothing is written when omitted. It must
        be new or empty, or an earlier run folder when ``overwrite`` is set; this is checked,
        and the folder locked, before the simulation starts.
    on_day : callable, optional
        Called as ``on_day(day_done, days)`` after each simulated day (progress bars).
    overwrite : bool
        Replace ``out`` if it is an earlier bloodflow run folder.
    render : callable, optional
        Called as ``render(folder, scenario.outputs)`` once the tables and ``kpis.json`` are in
        the staging folder, to add views of them (``sim.run`` adds the map and the report).

    Raises
    ------
    ScenarioError, RunError, OutputFolderError
        For a bad scenario, bad arguments or an output folder that may not be written.
    """
    loaded, config = _load(scenario, seed, days, policies)
    if out is None:
        return _simulate_and_tabulate(config, loaded, on_day)
    out = Path(out)
    with staged_output(out, "run", overwrite=overwrite) as staging:
        result = _simulate_and_tabulate(config, loaded, on_day)
        write_run_files(staging, result)
        if render is not None:
            render(staging, config.outputs)
    return RunResult(**{**result.__dict__, "path": out})


@dataclass(frozen=True)
class WrittenRun:
    """A run written to its folder: the folder and the KPIs (the tables are in the files)."""

    path: Path
    kpis: dict


def run_to_folder(
    scenario: str | Path | LoadedScenario,
    *,
    out: str | Path,
    seed: int | None = None,
    days: int | None = None,
    policies: dict[str, str] | None = None,
    on_day: DayCallback | None = None,
    overwrite: bool = False,
    render: RenderViews | None = None,
) -> WrittenRun:
    """:func:`run` with ``out`` for callers that do not need the tables back (the CLI).

    The same files, byte for byte; but the tables are let go as soon as they are written,
    before ``render`` draws the map and the report from the files, so the process never holds
    the tables and the views' inputs at once (``bloodflow run``, a Zhejiang year with map and
    report: peak 1.85 GB before, 0.89 GB after).
    The arguments and errors are those of :func:`run`.
    """
    loaded, config = _load(scenario, seed, days, policies)
    out = Path(out)
    with staged_output(out, "run", overwrite=overwrite) as staging:
        kpis = _write_tables(staging, config, loaded, on_day)
        free_table_memory()  # before the views are drawn
        if render is not None:
            with lean_heap():
                render(staging, config.outputs)
    return WrittenRun(path=out, kpis=kpis)


def _write_tables(staging: Path, config, loaded: LoadedScenario, on_day) -> dict:
    """Simulate, write the tables and ``kpis.json`` into ``staging``; only the KPIs are kept."""
    result = _simulate_and_tabulate(config, loaded, on_day)
    with lean_heap():  # the simulation is over: from here on, freed memory goes back at once
        write_run_files(staging, result)
    return result.kpis


def _load(scenario, seed: int | None, days: int | None, policies: dict | None):
    """The loaded scenario and its effective configuration (arguments checked)."""
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    return loaded, _configure(loaded, seed, days, policies or {})


def _simulate_and_tabulate(config, loaded: LoadedScenario, on_day: DayCallback | None):
    return _finish(_simulated(config, loaded, on_day), loaded)  # _finish holds the only world


def _simulated(config, loaded: LoadedScenario, on_day: DayCallback | None) -> World:
    world = _world(config, loaded)
    populate(world)
    _simulate(world, on_day)
    return world


def _world(config, loaded: LoadedScenario) -> World:
    try:
        return make_world(
            config, loaded.region, config.seed, road_graph_path(config, loaded.path.resolve())
        )
    except RoadGraphError as exc:
        raise RunError(f"road_graph: {exc}") from None


def _configure(loaded: LoadedScenario, seed: int | None, days: int | None, policies: dict):
    scenario = loaded.scenario
    if days is not None and (not isinstance(days, int) or not 0 < days <= 3660):
        raise RunError(f"days: {days!r} is not allowed (a whole number of days, 1 to 3660)")
    if seed is not None and (not isinstance(seed, int) or not 0 <= seed < 2**63):
        raise RunError(f"seed: {seed!r} is not allowed (a whole number from 0 to 2**63-1)")
    for role, name in policies.items():
        if role not in ROLES:
            raise RunError(f"policy role {role!r} is unknown (one of: {', '.join(ROLES)})")
        if name not in known_policies(role):
            known = ", ".join(known_policies(role))
            raise RunError(f"{role} policy {name!r} is unknown (one of: {known})")
    horizon = days if days is not None else scenario.days
    if scenario.warmup_days >= horizon:
        raise RunError(
            f"days: {horizon} is not above the scenario's warmup_days "
            f"{scenario.warmup_days} (a longer horizon)"
        )
    update = {
        "days": horizon,
        "seed": scenario.seed if seed is None else seed,
        "policies": scenario.policies.model_copy(update=policies),
    }
    return scenario.model_copy(update=update)


def check_options(
    loaded: LoadedScenario,
    *,
    seed: int | None = None,
    days: int | None = None,
    policies: dict[str, str] | None = None,
) -> None:
    """Raise :class:`RunError` for options :func:`run` would refuse, without simulating.

    Lets a command say what is wrong before it shows progress (a horizon not above the
    warm-up, an unknown policy, a seed out of range).
    """
    _configure(loaded, seed, days, policies or {})


def _simulate(world: World, on_day: DayCallback | None) -> None:
    days = world.scenario.days
    with fewer_collections():
        for day in range(days):
            world.env.run(until=(day + 1) * MINUTES_PER_DAY)
            if on_day is not None:
                on_day(day + 1, days)
    flush_houses(world)
    for finish in world.finalizers:
        finish()
    world.ledger.check_conservation(world.bags_created)


def flush_houses(world: World) -> None:
    """Donations not yet picked up at the end go on the ledger, at their house."""
    for house in world.houses:
        donations = house.take_buffer()
        if donations:
            make_components(world, donations, house.site, house.rng)


def _finish(world: World, loaded: LoadedScenario) -> RunResult:
    """Tables, facts and KPIs of a finished run (the world is not used after it).

    Memory: what the tables need is taken out of the world first (ledger, logs, facts), then
    the world is let go, before any table is built; the ledger's columns and each log go as
    they become frames. So the tables are built next to the ledger and logs only, not next
    to the whole simulation."""
    remains = _Remains.of(world, loaded)
    del world  # the caller keeps no reference (see _simulate_and_tabulate)
    gc.collect()  # the world's processes hold it in reference cycles: free it now
    give_back_memory()
    tables = remains.tables()
    facts, scenario = remains.facts, remains.scenario
    kpis = compute_kpis(tables, facts, scenario, remains.provenance)
    give_back_memory()
    qc = run_qc(tables, facts.service, scenario, loaded)
    give_back_memory()
    border = border_table(tables["ledger"], tables["legs"], remains.region_of)
    return RunResult(kpis=kpis, facts=facts, service=facts.service, qc=qc, border=border, **tables)


@dataclass
class _Remains:
    """What the tables and KPIs of a finished run need from its world, without the world."""

    ledger: Ledger
    logs: dict[str, Table]  # orders, legs, stockouts: each let go once it is a frame
    site_ids: list[str]
    stock: pd.DataFrame
    facts: RunFacts
    scenario: Scenario
    region_of: pd.Series
    provenance: dict

    @classmethod
    def of(cls, world: World, loaded: LoadedScenario) -> _Remains:
        """Take the remains out of a finished ``world``; its daily stock snapshots are let go
        once they are in the stock table."""
        stock = stock_frame(world)
        world.logs.stock.clear()
        return cls(
            ledger=world.ledger,
            logs={name: getattr(world.logs, name) for name in ("orders", "legs", "stockouts")},
            site_ids=list(world.site_ids),
            stock=stock,
            facts=RunFacts.of(world),
            scenario=world.scenario,
            region_of=world.regions.by_site(world.sites.ids),
            provenance=_provenance(world, loaded),
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables; the logs are let go and the ledger is left empty.

        The logs first: a log's frame needs room for temporaries, the ledger's frame only one
        column more than its columns, so the largest table comes last."""
        tables = {}
        for name in ("orders", "legs", "stockouts"):
            tables[name] = self.logs.pop(name).frame()
            give_back_memory()
        ledger = self.ledger.pop_frame(self.site_ids)
        return {"ledger": _with_storage_band(self.scenario, ledger), **tables, "stock": self.stock}


def _with_storage_band(scenario: Scenario, ledger: pd.DataFrame) -> pd.DataFrame:
    """Add each bag's storage band (``"2..6 C"``) from its product's specification."""
    bands = {
        name: f"{spec.storage_c[0]:g}..{spec.storage_c[1]:g} C"
        for name, spec in scenario.products.items()
    }
    ledger["storage_c"] = _map_categories(ledger["product"], bands)
    return ledger


def _map_categories(column: pd.Series, mapping: dict[str, str]) -> pd.Categorical:
    """``column.astype(str).map(mapping).astype("category")`` for a categorical ``column``,
    mapping each category once instead of a text copy of every row."""
    codes = column.cat.codes.to_numpy()
    mapped = np.array([mapping.get(str(c)) for c in column.cat.categories], dtype=object)
    present = np.flatnonzero(np.bincount(codes + 1, minlength=len(mapped) + 1)[1:])
    categories = sorted({mapped[c] for c in present} - {None})
    lookup = np.array([categories.index(m) if m in categories else -1 for m in mapped] + [-1])
    categories = pd.Index(categories, dtype=str)  # str categories even when none is used
    return pd.Categorical.from_codes(lookup[codes].astype(np.int8), categories=categories)


def stock_frame(world: World) -> pd.DataFrame:
    """Daily closing stock: ``day, site_id, kind, product, units`` (AVAILABLE units)."""
    if not world.logs.stock:
        return pd.DataFrame(columns=["day", "site_id", "kind", "product", "units"])
    days, sites, products, units = (
        np.concatenate(parts)
        for parts in zip(
            *[(np.full(len(s), d), s, p, u) for d, s, p, u in world.logs.stock], strict=True
        )
    )
    names = np.array([p.name for p in Product])
    return pd.DataFrame(
        {
            "day": days.astype(np.int32),
            "site_id": pd.Categorical(world.sites.ids[sites]),
            "kind": pd.Categorical(world.sites.kinds[sites]),
            "product": pd.Categorical(names[products], categories=list(names)),
            "units": units,
        }
    )


def _provenance(world: World, loaded: LoadedScenario) -> dict:
    scenario = world.scenario
    return {
        "scenario": str(loaded.path),
        "scenario_name": scenario.name,
        "scenario_sha256": loaded.sha256,
        "effective_config_sha256": hashlib.sha256(scenario.model_dump_json().encode()).hexdigest(),
        "seed": scenario.seed,
        "days": scenario.days,
        "warmup_days": scenario.warmup_days,
        "start": scenario.start.isoformat(),
        "policies": scenario.policies.model_dump(),
        "region": loaded.region.name,
        "package_version": tool_version(),
    }
