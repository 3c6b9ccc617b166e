"""Compare scenario FILES on common random numbers: "what if hospital X had its own bank?"

Each file is one arm of the comparison (labelled by its file name); replication i runs every
file on the same seed, derived from the first file's seed (or ``seed``): give
:func:`sim.compare.compare` a list of files. Random streams are
keyed by purpose and site position (:mod:`sim.core.streams`), so two files over the same
region sites see the same demand, donors and weather at every site: edits such as a
``supplied_via`` line, a stock level or a policy keep the random futures paired exactly. When
the files' site tables differ (another region, a site added), the streams of the sites at the
same position still pair, but those of shifted sites do not: :func:`crn_note` says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.compare.errors import CompareError
from sim.compare.policies import PolicySpec
from sim.scenario import LoadedScenario


@dataclass(frozen=True)
class Arm:
    """One arm of a comparison: a label, its scenario file and policy overrides by role."""

    label: str
    scenario: str
    overrides: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, str]:
        """The overrides as ``{role: name}`` (see :meth:`PolicySpec.as_dict`)."""
        return dict(self.overrides)


def scenario_arms(paths: Sequence[str | Path], policy: PolicySpec | None = None) -> list[Arm]:
    """One arm per scenario file, labelled by file name (by the path as given where two
    names clash), with the same ``policy`` overrides for all (none: each file's own).

    Raises
    ------
    CompareError
        Fewer than two files, or the same file twice.
    """
    if len(paths) < 2:
        raise CompareError(f"{len(paths)} scenario file(s) (two or more to compare files)")
    resolved = [str(Path(p).resolve()) for p in paths]
    if len(set(resolved)) < len(resolved):
        raise CompareError("a scenario file is given twice (each file once)")
    names = [Path(p).name for p in paths]
    labels = [n if names.count(n) == 1 else str(p) for n, p in zip(names, paths, strict=True)]
    overrides = policy.overrides if policy else ()
    return [Arm(label, path, overrides) for label, path in zip(labels, resolved, strict=True)]


def crn_note(loaded: Sequence[LoadedScenario]) -> str:
    """How the random streams of the files pair: "" when every file has the same sites in
    the same order (exact common random numbers), else a one-line note of the sites whose
    streams differ from the first file's."""
    first = loaded[0].region.sites["site_id"].to_numpy(dtype=str)
    shifted = 0
    for other in loaded[1:]:
        ids = other.region.sites["site_id"].to_numpy(dtype=str)
        n = min(len(ids), len(first))
        shifted = max(shifted, int((ids[:n] != first[:n]).sum()) + abs(len(ids) - len(first)))
    if not shifted:
        return ""
    return (
        f"common random numbers: the files' sites differ ({shifted} site position(s) hold "
        "another site), so those sites' demand and donors are not paired; the rest are"
    )
