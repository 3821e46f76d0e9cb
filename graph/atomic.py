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


def write_bytes(path: str | Path, data: bytes, sync: bool = True) -> Path:
    """Write through a temporary file; the result gets ordinary permissions (0666 less umask).

    `sync=False` skips the flush to disk, for a cache that may be lost (an
    unreadable entry is rebuilt) but must never be read half-written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))
