"""Write files so that a crash or Ctrl-C never leaves one half-written.

Everything kg writes goes to a temporary file in the same folder and is then
renamed over the target: the rename is atomic, so readers see the old file or
the new one, never a mixture.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import KgError


def write_error(path: Path, exc: OSError) -> KgError:
    """One line naming the file: "disk full writing PATH", "cannot write PATH (reason)"."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return KgError(f"disk full writing {path}")
    return KgError(f"cannot write {path} ({exc.strerror or exc})")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    os.close(fd)
    return Path(tmp)


def remove_stale(folder: Path, names: list[str]) -> list[Path]:
    """Delete the temporary files an earlier, killed run left for these file names.

    Only safe while no other run writes to `folder` (a build holds its lock).
    """
    stale = [p for name in names for p in folder.glob(f".{name}.*.tmp")]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def fill(tmp: Path, data: bytes, sync: bool = True) -> None:
    """Write `data` to a temporary file made by `_temporary`, with ordinary permissions (0666 less umask)."""
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(target_of(tmp), exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def target_of(tmp: Path) -> Path:
    """The file a temporary name made by `_temporary` stands for (".graph.trig.x1y2.tmp")."""
    return tmp.with_name(tmp.name[1:].rsplit(".", 2)[0])


def write_bytes(path: str | Path, data: bytes, sync: bool = True) -> Path:
    """Write through a temporary file.

    `sync=False` skips the flush to disk, for a cache that may be lost (an
    unreadable entry is rebuilt) but must never be read half-written.
    """
    path = Path(path)
    tmp = _temporary(path)
    fill(tmp, data, sync)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def _keep_aside(path: Path) -> Path | None:
    """A second name for the file at `path` (None if there is none), until a commit is done."""
    if not path.is_file():
        return None
    aside = _temporary(path)
    aside.unlink()
    try:
        os.link(path, aside)
    except OSError:
        os.replace(path, aside)
    return aside


class Staging:
    """Files written under temporary names as they are ready, renamed over their targets together.

    A build writes each file while other work is still going on (the page,
    drawn in another process, writes its own) and renames them all once every
    one is written; on any failure the temporary files are removed and the
    previous build's files stay as they were.
    """

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []  # (temporary, target)

    def reserve(self, path: str | Path) -> Path:
        """A temporary file for `path`, to be filled (`fill`, here or in another process) before `commit`."""
        tmp = _temporary(Path(path))
        self._files.append((tmp, Path(path)))
        return tmp

    def commit(self) -> list[Path]:
        """Rename every file over its target: all of them, or (on any failure) none.

        Each previous file is first kept under a second name (a hard link, so
        nothing is copied, or moved aside where links are not supported); if
        a rename fails midway the ones already done are put back, and the
        error names the file that could not be written.
        """
        kept: list[tuple[Path, Path | None]] = []   # (target renamed, its previous file kept aside)
        path, aside = Path(), None
        try:
            for tmp, path in self._files:
                aside = None
                aside = _keep_aside(path)
                os.replace(tmp, path)
                kept.append((path, aside))
        except OSError as exc:
            if aside is not None:
                aside.unlink(missing_ok=True)
            for target, previous in reversed(kept):
                if previous is not None:
                    os.replace(previous, target)
                else:
                    target.unlink(missing_ok=True)
            raise write_error(path, exc) from None
        for _target, previous in kept:
            if previous is not None:
                previous.unlink(missing_ok=True)
        written = [target for _, target in self._files]
        self._files = []
        return written

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp, _ in self._files:
            tmp.unlink(missing_ok=True)
        self._files = []
