"""Errors of the map writer."""


class MapError(ValueError):
    """A run folder cannot be mapped; the message names the folder or file and the problem."""
