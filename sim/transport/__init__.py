"""Movements: vans, drones, multimodal (van, drone, rail) routes; every leg recorded once.

``sim.transport.legs.record_leg`` is the only writer of the legs table.
"""
