"""One run: the runner, KPIs computed from the result tables, the run-folder writers.

(Not named ``run``: ``sim.run`` is the user-facing function ``sim.workflows.run.run``, and a
package of the same name would shadow it or be shadowed by it.)
"""
