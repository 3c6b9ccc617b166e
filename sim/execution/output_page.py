"""Write an HTML page (a map or a report) whole or not at all, never over a user's file.

A page carries ``<meta name="generator" content="bloodflow KIND VERSION">`` right after
``<head>``, so an earlier page of the same kind is recognised from the file's first bytes.
The rules for the target file:

- a new path is written (missing parent folders are created);
- an existing file is replaced only if it is a bloodflow page of the same kind **and** the
  caller may replace it (the default place in an output folder, or an explicit overwrite);
- anything else (a user's file, a folder, a symbolic link) is refused, whatever the flags.

The text goes to a temporary file in the target's folder, which is renamed over the target
(``os.replace``); the temporary file is removed on any exception, so the target is either the
old file or the complete new one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from sim.execution.output_folder import tool_version

HEAD_BYTES = 4096  # the generator tag is looked for in the first bytes only
GENERATOR = re.compile(r'<meta name="generator" content="bloodflow (?P<kind>[a-z]+)[ "]')
FILE_MODE = 0o644  # a page is an ordinary readable file (mkstemp would make it private)


def generator_tag(kind: str) -> str:
    """The ``<meta name="generator">`` element of a bloodflow page of ``kind``."""
    return f'<meta name="generator" content="bloodflow {kind} {tool_version()}">'


def with_generator(page: str, kind: str) -> str:
    """``page`` with the generator tag inserted right after its ``<head>``."""
    if "<head>" not in page:
        raise ValueError("the page has no <head> for the generator tag")
    return page.replace("<head>", "<head>\n" + generator_tag(kind), 1)


def page_kind(path: Path) -> str | None:
    """The kind of bloodflow page ``path`` is (``"map"``, ``"report"``), or None."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = GENERATOR.search(head)
    return match["kind"] if match else None


def check_target(
    target: Path, kind: str, *, may_replace: bool, error: type[ValueError] = ValueError
) -> None:
    """Raise ``error`` unless a page of ``kind`` may be written to ``target``.

    Parameters
    ----------
    target : Path
        The file to write.
    kind : str
        ``"map"`` or ``"report"``.
    may_replace : bool
        Whether an earlier bloodflow page of the same kind at ``target`` may be replaced.
    error : type
        The exception to raise (the caller's own ``MapError``, ``ReportError``).
    """
    if target.is_symlink():
        raise error(f"{target} is a symbolic link; choose a new path")
    if target.is_dir():
        raise error(f"{target} is a folder; give the path of an .html file to write")
    if not target.exists():
        _check_folder(target, error)
        return
    if not target.is_file() or page_kind(target) != kind:
        raise error(f"{target} exists and is not a bloodflow {kind}; choose a new path")
    if not may_replace:
        raise error(
            f"{target} exists (an earlier bloodflow {kind}); "
            "pass --overwrite (overwrite=True) to replace it, or choose a new path"
        )


def _check_folder(target: Path, error: type[ValueError]) -> None:
    """The nearest existing folder above ``target`` is a folder (it or its subfolders will
    hold the page)."""
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise error(f"{target}: cannot write there ({parent} is a file, not a folder)")


def write_page(
    target: Path,
    text: str,
    kind: str,
    *,
    may_replace: bool,
    error: type[ValueError] = ValueError,
) -> Path:
    """Write ``text`` (a page carrying the generator tag) to ``target``, whole or not at all.

    Raises
    ------
    error
        If :func:`check_target` refuses ``target`` or the file cannot be written (the message
        names the file and the reason).
    """
    check_target(target, kind, may_replace=may_replace, error=error)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)  # fmt: skip
    except OSError as exc:
        raise error(f"{target}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise error(f"{target}: cannot write there ({exc.strerror or exc})") from None
        raise
    return target


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (after resolving ``..`` and links of folders)."""
    return a.resolve() == b.resolve()
