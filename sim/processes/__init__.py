"""SimPy processes that carry plans out: donors, processing, testing, hospital demand,
orders and escalation, deliveries, rare blood, incidents, disruptions, expiry.
"""
