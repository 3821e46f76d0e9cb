"""kg serve's /sparql answers, in process (graph/serve/sparql.py): with no row cap Oxigraph writes the
answer itself; the rows must be the same as those read one by one under a cap, in every format."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from graph.serve.oxstore import GraphStore
from graph.serve.sparql import RESULT_TYPES, Limits, evaluate

P = "http://example.org/"
GRAPHS = {
    f"{P}g1": {(f"{P}ann", "http://xmlns.com/foaf/0.1/name", ("Ann Other", "")),
               (f"{P}ann", f"{P}age", ("41", "http://www.w3.org/2001/XMLSchema#integer")),
               (f"{P}ann", f"{P}said", ("bonjour", ""))},
    f"{P}g2": {(f"{P}bo", "http://xmlns.com/foaf/0.1/name", ('Bo "the" Roe, Jr', "")),
               (f"{P}bo", f"{P}knows", f"{P}ann")},
}
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"


@pytest.fixture(scope="module")
def store() -> GraphStore:
    s = GraphStore()
    s.replace(GRAPHS)
    return s


def _solutions(body: bytes, media: str) -> list[tuple]:
    parsed = ox.parse_query_results(io.BytesIO(body), format=RESULT_TYPES[media])
    return [tuple(str(row[v]) if row[v] is not None else None for v in parsed.variables) for row in parsed]


@pytest.mark.parametrize("media", sorted(RESULT_TYPES))
def test_an_uncapped_answer_has_the_rows_a_capped_one_has(store, media):
    whole = evaluate(store, QUERY, media, Limits(timeout=10, max_rows=0))
    capped = evaluate(store, QUERY, media, Limits(timeout=10, max_rows=100))
    assert whole.media_type == capped.media_type == media
    if media == "text/csv":  # lossy (no types), so not read back: the two must be the same bytes
        assert whole.body == capped.body and whole.body.count(b"\r\n") == 6
        return
    rows = _solutions(whole.body, media)
    assert rows == _solutions(capped.body, media) and len(rows) == 5
    assert not whole.left_out and not capped.left_out


def test_a_cap_still_cuts_and_says_so(store):
    cut = evaluate(store, QUERY, "application/sparql-results+json", Limits(timeout=10, max_rows=2))
    assert cut.left_out and len(_solutions(cut.body, "application/sparql-results+json")) == 2
    assert "Kg-Rows-Left-Out" in cut.headers
