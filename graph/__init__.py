"""kg: knowledge graphs from first-person accounts of party politics."""

__version__ = "0.1.0"
