"""One run: the runner, KPIs computed from the result tables, the run-folder writers.

Import from the modules (``from sim.run.runner import run``): ``sim.run`` as an attribute
of the package ``sim`` is the user-facing function ``sim.workflows.run.run``.
"""
