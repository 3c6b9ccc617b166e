"""Errors of the calibration report."""

from __future__ import annotations


class CalibrationError(ValueError):
    """A run folder or reference file that cannot be read; ``lines`` holds one line per problem,
    each naming the folder or file, the field and what was expected."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))
