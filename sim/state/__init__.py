"""State of a run: ledger, stock, sites, typed records and the World that holds them.

Imports only ``sim.scenario`` and ``sim.core`` (and ``optimizer`` for the travel oracle).
"""
