"""Errors a user can act on (bad input or usage), raised anywhere in the package.

Library code knows nothing of the command line: the CLI boundary
(`graph.cli`) turns a `KgError` into a one-line `Error: ...` on stderr and
its `exit_code`, with no traceback unless --debug.
"""
from __future__ import annotations


class KgError(Exception):
    """A problem with the input or the request, said in one line."""

    exit_code: int = 2

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code
