"""Policy comparison on common random numbers, serially or on a Dask cluster.

>>> from sim.compare import compare
>>> result = compare("scenarios/x.yaml", ["ground_only", "multimodal"], reps=10)
>>> result.summary, result.paired                      # pandas DataFrames
>>> result.write("runs/x-compare")                     # replications/summary/paired.csv
"""

from sim.compare.api import compare
from sim.compare.errors import CompareError, PolicySpecError
from sim.compare.policies import PolicySpec, resolve_policies
from sim.compare.result import Comparison
from sim.compare.seeds import replication_seeds
from sim.compare.stats import Interval, paired_interval, t_interval

__all__ = [
    "CompareError",
    "Comparison",
    "Interval",
    "PolicySpec",
    "PolicySpecError",
    "compare",
    "paired_interval",
    "replication_seeds",
    "resolve_policies",
    "t_interval",
]
