"""Reference ranges per region (YAML, each with its source) for ``bloodflow calibrate``."""
