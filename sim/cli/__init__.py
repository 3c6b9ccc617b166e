"""The ``bloodflow`` command line: one module per command, assembled here.

Every command reports user mistakes as one line and exit status 2 (:mod:`sim.cli.guard`);
``main`` is the console-script entry point.
"""

from __future__ import annotations

import typer

from sim.cli.bench import bench_app
from sim.cli.compare import compare_command
from sim.cli.guard import guarded, reports_user_errors
from sim.cli.map import map_command
from sim.cli.region import region_command
from sim.cli.run import demo_command, run_command
from sim.cli.schema import schema_command
from sim.cli.validate import validate_command

app = typer.Typer(
    help="bloodflow: simulate and optimise emergency blood delivery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
COMMANDS = {
    "validate": validate_command,
    "schema": schema_command,
    "region": region_command,
    "run": run_command,
    "demo": demo_command,
    "compare": compare_command,
    "map": map_command,
}
for name, command in COMMANDS.items():
    app.command(name)(reports_user_errors(command))
app.add_typer(bench_app, name="bench")


def main() -> None:
    """Entry point of the ``bloodflow`` command (see :func:`sim.cli.guard.guarded`)."""
    guarded(app)
