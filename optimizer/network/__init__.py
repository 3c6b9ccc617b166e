"""Transport network: travel times by mode between the region's sites (no SimPy here)."""
