"""bloodflow simulation: the SimPy world of donation sites, labs, stations and hospitals.

>>> from sim import run
>>> result = run("scenarios/zhejiang_baseline.yaml", seed=1, days=30)  # doctest: +SKIP
"""

from sim.execution.runner import RunResult
from sim.workflows.run import run

__all__ = ["RunResult", "run"]
