"""The one exception raised for bad region data."""


class GeodataError(ValueError):
    """Region data that cannot be used.

    The message names the file, the field or column, and what was expected.
    """


def fail(source: str, field: str, expected: str) -> GeodataError:
    """Build a :class:`GeodataError` with the standard message layout.

    Parameters
    ----------
    source : str
        File (or layer) the problem was found in.
    field : str
        Column or field name.
    expected : str
        What was expected, and what was found.
    """
    return GeodataError(f"{source}: field '{field}': {expected}")
