"""Write files so that a crash or Ctrl-C never leaves one half-written.

Everything kg writes goes to a temporary file in the same folder and is then
renamed over the target: the rename is atomic, so readers see the old file or
the new one, never a mixture.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def fill(tmp: Path, data: bytes, sync: bool = True) -> None:
    """Write `data` to a temporary file made by `_temporary`, with ordinary permissions (0666 less umask)."""
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


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
        for tmp, path in self._files:
            os.replace(tmp, path)
        written = [path for _, path in self._files]
        self._files = []
        return written

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp, _ in self._files:
            tmp.unlink(missing_ok=True)
        self._files = []
