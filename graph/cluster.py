"""Extraction on a dask.distributed cluster: `kg build --executor dask [--scheduler ADDRESS]`.

Only the parse goes out (graph/build.py's `parse` step): the accounts the
cache lacks are sent in chunks, each worker process loads spaCy once (a
cached loader: the first chunk a worker gets pays for it, the rest reuse
it) and sends back each account's extraction as the cache stores it
(`Extraction.to_json`). The client puts them into the same per-account cache
and merges and writes as `kg build` always does, so the files are the same
bytes. Without a scheduler, a LocalCluster of `jobs` worker processes on
this machine (loopback only) is started for the build and stopped after it.

A worker must run the same kg (extractor code, lexicon, model) as the
client, or its extractions would be cached under keys that promise
otherwise: each answer carries the worker's extractor digest and model, and a
mismatch stops the build.
"""
from __future__ import annotations

import logging

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from .errors import KgError
from .extract import Extractor, extractor_digest
from .extract.nlp import model_id
from .model import Account, Extraction

CHUNK = 8  # accounts per task: enough to amortise a round trip, few enough to spread over workers


@lru_cache(maxsize=1)
def _extractor() -> Extractor:
    """The worker process's extractor, loaded on its first chunk and kept."""
    return Extractor()


def extract_chunk(batch: list[tuple[Account, str | None]]) -> tuple[str, list[dict[str, Any]]]:
    """Run on a worker: the chunk's extractions (as JSON data) and what made them."""
    made = [extraction.to_json() for extraction in _extractor().extract_many(batch)]
    return f"{extractor_digest()}|{model_id()}", made


class DaskParse:
    """graph/build.py's `parse` step, on a cluster; a context manager that closes what it started."""

    def __init__(self, scheduler: str | None = None, workers: int = 1) -> None:
        self.scheduler, self.workers = scheduler, workers
        self.client: Any = None
        self.cluster: Any = None

    def _connect(self) -> Any:
        if self.client is None:
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError:
                raise KgError("--executor dask needs dask.distributed: pip install 'kg[dask]'") from None
            try:
                if self.scheduler:
                    self.client = Client(self.scheduler, timeout="30s")
                else:
                    self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None)
                    self.client = Client(self.cluster)
            except OSError as exc:
                raise KgError(f"cannot reach the Dask scheduler {self.scheduler}: {exc}") from None
        return self.client

    def __call__(self, batch: list[tuple[Account, str | None]], processes: int,
                 progress: Callable[[int], None] | None) -> Iterator[Extraction]:
        client = self._connect()
        expected = f"{extractor_digest()}|{model_id()}"
        chunks = [batch[i:i + CHUNK] for i in range(0, len(batch), CHUNK)]
        futures = client.map(extract_chunk, chunks, pure=False)
        for chunk, future in zip(chunks, futures):
            made_by, made = future.result()
            if made_by != expected:
                raise KgError(f"a Dask worker runs another kg (extractor and model {made_by}, this one "
                              f"{expected}): install the same kg on every worker")
            for (account, _), data in zip(chunk, made):
                if progress:
                    progress(len(account.text))
                yield Extraction.from_json(data)

    def __enter__(self) -> DaskParse:
        return self

    def __exit__(self, *exc: object) -> None:
        # The work is done (or has failed, and said so) by now. While a LocalCluster shuts
        # down, distributed can log a connection it is closing as a CommClosedError with its
        # traceback (a race in its own teardown, harmless): that noise is kept off the terminal,
        # and the loggers are given back their levels afterwards.
        quiet = [logging.getLogger(name) for name in ("distributed", "tornado")]
        levels = [log.level for log in quiet]
        for log in quiet:
            log.setLevel(logging.CRITICAL)
        try:
            if self.client is not None:
                self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            for log, level in zip(quiet, levels):
                log.setLevel(level)
