"""`kg push`: a build into any SPARQL 1.1 store, one named graph per account, only what changed.

Each named graph of the build is written as sorted N-Triples and hashed; a
manifest beside the graph file (`.kg-push/<target>.json`) remembers the hash
each graph had when it was last pushed to that store, so a push after one
new account sends that account's graph and the shared graph, not every graph
again. A graph is replaced whole: with a Graph Store (SPARQL 1.1 Graph Store
HTTP Protocol) by `PUT ?graph=IRI`, else through the Update endpoint by
`DROP SILENT GRAPH` + `INSERT DATA` in one request; a graph the build no longer
has is deleted. The manifest is updated after each graph the store accepted,
so a push that fails halfway resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import formats
from .atomic import write_bytes
from .errors import KgError
from .store import parser_message, require_file

N_TRIPLES = "application/n-triples"


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)       # graphs replaced
    deleted: list[str] = field(default_factory=list)    # graphs the build no longer has
    unchanged: int = 0


def graph_texts(path: Path) -> dict[str, bytes]:
    """Each named graph of a built graph file as sorted N-Triples (the default graph, if any, under "")."""
    require_file(path, "graph file")
    found = formats.for_path(path)
    by_graph: dict[str, list[Any]] = {}
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.from_media_type(found.media_type)):
            name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            by_graph.setdefault(name, []).append(quad.triple)
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{path}: not a readable {found.name} graph: {parser_message(exc)}") from exc
    out = {}
    for name, triples in sorted(by_graph.items()):
        text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        out[name] = "".join(f"{line}\n" for line in sorted(set(text.splitlines())) if line).encode("utf-8")
    return out


def manifest_path(graph_file: Path, target: str) -> Path:
    return graph_file.parent / ".kg-push" / f"{hashlib.sha256(target.encode()).hexdigest()[:16]}.json"


def _read_manifest(path: Path, target: str) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # never pushed there (or the manifest is damaged: everything is sent again)
    graphs = data.get("graphs") if isinstance(data, dict) and data.get("target") == target else None
    return {str(k): str(v) for k, v in graphs.items()} if isinstance(graphs, dict) else {}


def _write_manifest(path: Path, target: str, graphs: dict[str, str]) -> None:
    text = json.dumps({"target": target, "graphs": dict(sorted(graphs.items()))}, indent=1, sort_keys=True)
    write_bytes(path, text.encode("utf-8") + b"\n")


class Target:
    """Where graphs go: a Graph Store if one is given, else the Update endpoint."""

    def __init__(self, endpoint: str | None, graph_store: str | None, timeout: float = 120.0, *,
                 user: str | None = None, password: str | None = None, token: str | None = None) -> None:
        import httpx

        if not endpoint and not graph_store:
            raise KgError("give --endpoint URL (a SPARQL 1.1 Update endpoint) or --graph-store URL")
        if user is not None and token is not None:
            raise KgError("give a user and password or a token, not both")
        self.endpoint, self.graph_store = endpoint, graph_store
        auth = httpx.BasicAuth(user, password or "") if user is not None else None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, auth=auth, headers=headers)
        self.name = _shown(graph_store or endpoint or "")  # printed, and the key of its manifest

    def put(self, graph: str, ntriples: bytes) -> None:
        if self.graph_store:
            params = {"graph": graph} if graph else {"default": ""}
            self._check(self._send("PUT", self.graph_store, params=params, content=ntriples,
                                   headers={"Content-Type": N_TRIPLES}), graph)
        else:
            where = f"GRAPH <{graph}> " if graph else ""
            update = (f"DROP SILENT {'GRAPH <' + graph + '>' if graph else 'DEFAULT'} ;\n"
                      f"INSERT DATA {{ {where}{{\n").encode() + ntriples + b"} }\n"
            self._check(self._send("POST", self.endpoint or "", content=update,
                                   headers={"Content-Type": "application/sparql-update"}), graph)

    def delete(self, graph: str) -> None:
        if self.graph_store:
            response = self._send("DELETE", self.graph_store, params={"graph": graph})
            if response.status_code != 404:  # already gone is gone
                self._check(response, graph)
        else:
            self._check(self._send("POST", self.endpoint or "", content=f"DROP SILENT GRAPH <{graph}>".encode(),
                                   headers={"Content-Type": "application/sparql-update"}), graph)

    def _send(self, method: str, url: str, **kw: Any) -> Any:
        import httpx

        try:
            return self.client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise KgError(f"{_shown(url)}: cannot reach the store ({exc})") from None

    @staticmethod
    def _check(response: Any, graph: str) -> None:
        if response.status_code in (401, 403):
            asked = "the credentials given" if "authorization" in response.request.headers else "no credentials"
            raise KgError(f"{response.request.method} {_shown(response.request.url)}: the store refused "
                          f"{asked} ({response.status_code}); give --user NAME (password from "
                          f"KG_PUSH_PASSWORD or asked for) or a token in KG_PUSH_TOKEN")
        if response.status_code >= 300:
            said = " ".join(response.text.split())[:200]
            raise KgError(f"{response.request.method} {_shown(response.request.url)}: the store answered "
                          f"{response.status_code} for graph <{graph}>{': ' + said if said else ''}")

    def close(self) -> None:
        self.client.close()


def _shown(url: Any) -> str:
    """A URL as said in a message or kept in the manifest: never with the user:password@ it may carry."""
    import httpx

    return str(httpx.URL(str(url)).copy_with(username=None, password=None))


def push(graph_file: Path, target: Target, force: bool = False,
         on_graph: Callable[[str, str], None] | None = None) -> PushReport:
    """Send the graphs of `graph_file` that changed since the last push to `target` (all with `force`)."""
    texts = graph_texts(graph_file)
    manifest = manifest_path(graph_file, target.name)
    pushed = {} if force else _read_manifest(manifest, target.name)
    report = PushReport()
    try:
        for graph, body in texts.items():
            digest = hashlib.sha256(body).hexdigest()
            if pushed.get(graph) == digest:
                report.unchanged += 1
                continue
            target.put(graph, body)
            pushed[graph] = digest
            report.sent.append(graph)
            if on_graph:
                on_graph("sent", graph)
        for graph in sorted(set(pushed) - set(texts)):
            target.delete(graph)
            del pushed[graph]
            report.deleted.append(graph)
            if on_graph:
                on_graph("deleted", graph)
    finally:
        _write_manifest(manifest, target.name, pushed)
    return report
