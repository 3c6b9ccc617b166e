"""``bloodflow schema``: the JSON Schema of scenario files."""

from __future__ import annotations

import json

from sim.cli.console import out
from sim.scenario import Scenario


def schema_command() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    out.print_json(json.dumps(Scenario.model_json_schema()))
