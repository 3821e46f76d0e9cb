"""Whether work can go to a forked process: it inherits what is loaded, nothing is pickled over."""
from __future__ import annotations

import multiprocessing
import sys


def can_fork() -> bool:
    # macOS lists fork, but its system libraries are not fork-safe
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
