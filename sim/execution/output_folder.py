"""Output folders written whole or not at all, replacing only bloodflow's own earlier output.

Every command that writes a folder (``run``, ``compare``) goes through :func:`staged_output`:

- the target is checked *before* any work starts: a new path, an empty folder, or (with
  ``overwrite``) a folder holding a marker file :data:`MARKER` of the same kind that lists
  every file in the folder is accepted; anything else is refused, whatever the flags, because
  it may hold the user's files;
- a lock file beside the target makes a second writer to the same path fail at once;
- everything is written into a hidden staging folder beside the target, the marker last, and the
  staging folder is renamed into place; on any exception (including the ``SystemExit`` the CLI
  raises for SIGTERM/SIGHUP) the staging folder is removed and an earlier output stays intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

MARKER = ".bloodflow-output.json"
KINDS = ("run", "compare")


class OutputFolderError(ValueError):
    """An output folder cannot be written; the message names it and says what to do."""


def tool_version() -> str:
    """The installed bloodflow version ("unknown" when run from a bare checkout)."""
    try:
        return version("bloodflow")
    except PackageNotFoundError:
        return "unknown"


def read_marker(folder: Path) -> dict | None:
    """The marker of a bloodflow output folder, or None if ``folder`` has none (or a bad one)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and data.get("tool") == "bloodflow" and data.get("kind") in KINDS
    return data if ok else None


def check_target(out: Path, kind: str, *, overwrite: bool) -> None:
    """Raise :class:`OutputFolderError` unless ``kind`` output may be written to ``out``.

    Accepted: a path that does not exist, an empty folder, or, with ``overwrite``, a folder
    that bloodflow wrote as output of the same ``kind``.
    """
    _check_kind(kind)
    label = f"{out}"
    if out.is_symlink():
        raise OutputFolderError(f"{label} is a symbolic link; choose a new folder path")
    if not out.exists():
        _check_parent(out)
        return
    if not out.is_dir():
        raise OutputFolderError(f"{label} exists and is not a folder; choose a new folder path")
    _check_not_cwd(out)
    if not any(out.iterdir()):
        return
    marker = read_marker(out)
    if marker is None:
        raise OutputFolderError(
            f"{label} exists and is not a bloodflow output folder (no {MARKER}); "
            "nothing was written: choose a new folder path"
        )
    if marker["kind"] != kind:
        raise OutputFolderError(
            f"{label} holds a bloodflow {marker['kind']} folder, not a {kind} folder; "
            "choose a new folder path"
        )
    if not overwrite:
        raise OutputFolderError(
            f"{label} holds an earlier bloodflow {kind}; pass --overwrite to replace it "
            "or choose a new folder path"
        )
    added = sorted(_files(out) - set(marker.get("files", [])) - {MARKER})
    if added:
        shown = ", ".join(added[:3]) + (f" and {len(added) - 3} more" if len(added) > 3 else "")
        raise OutputFolderError(
            f"{label} holds files bloodflow did not write ({shown}); move them out "
            "or choose a new folder path"
        )


def default_target(outputs_dir: str, name: str) -> Path:
    """``outputs_dir/name``, refused unless it stays inside the current folder.

    A scenario file names ``outputs.dir``; a file from someone else must not direct output
    outside the folder the user runs from (``--out`` on the command line may).
    """
    target = Path(outputs_dir) / name
    if target.is_absolute() or not target.resolve().is_relative_to(Path.cwd().resolve()):
        raise OutputFolderError(
            f"outputs.dir: {outputs_dir!r} leads outside the current folder "
            "(a relative folder inside it; give --out to write elsewhere)"
        )
    return target


@contextlib.contextmanager
def staged_output(out: str | Path, kind: str, *, overwrite: bool = False) -> Iterator[Path]:
    """Lock ``out``, yield an empty staging folder, then move it into place as ``out``.

    Parameters
    ----------
    out : str or Path
        The output folder to create (or replace, see :func:`check_target`).
    kind : str
        ``"run"`` or ``"compare"``: written into the marker, checked on replacement.
    overwrite : bool
        Replace an earlier bloodflow output of the same kind.

    Raises
    ------
    OutputFolderError
        Before anything is written, if ``out`` may not be written or is locked.
    """
    out = Path(out)
    check_target(out, kind, overwrite=overwrite)
    with _locked(out):
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; an output is an ordinary folder
            yield staging
            _write_marker(staging, kind)
            check_target(out, kind, overwrite=overwrite)  # the folder may have changed meanwhile
            _swap_into_place(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")


def _check_parent(out: Path) -> None:
    parent = out.parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise OutputFolderError(f"{out}: {folder} is not a folder; choose another path")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputFolderError(f"{out}: cannot write in {folder} (permission denied)")
            return


def _check_not_cwd(out: Path) -> None:
    here = Path.cwd().resolve()
    target = out.resolve()
    if target == here or target in here.parents:
        raise OutputFolderError(
            f"{out} is the current folder or holds it; choose a new folder path"
        )


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock_path = out.parent / f".{out.name}.lock"
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise OutputFolderError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputFolderError(
                f"{out} is being written by another bloodflow command; wait for it to finish "
                "or choose a new folder path"
            ) from None
        try:
            yield
        finally:
            lock_path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _files(folder: Path) -> set[str]:
    """Paths of everything below ``folder``, relative, with "/" (folders end in "/")."""
    found = set()
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        found.add(f"{name}/" if path.is_dir() and not path.is_symlink() else name)
    return found


def _write_marker(folder: Path, kind: str) -> None:
    marker = {
        "tool": "bloodflow",
        "kind": kind,
        "version": tool_version(),
        "files": sorted(_files(folder)),
    }
    text = json.dumps(marker, indent=1)
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
