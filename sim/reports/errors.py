"""Errors of the report writers."""


class ReportError(ValueError):
    """A report cannot be written; the message names the folder or file and the problem."""
