"""The RDF writer keeps the contract, mints stable IRIs, and writes the same bytes every time."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef

from graph.model import EVENT_TYPES, EventFact, KnowledgeGraph
from graph.paths import SCHEMA
from graph.formats import RDF_FORMATS as FORMATS
from graph.rdf import Minter, serialize, to_dataset, typed_date, union
from graph import vocab
from graph.vocab import DCTERMS, DEFAULT_BASE, FOAF, KG, OA, ORG, PROV, RDF, RDFS, SEM, SKOS

# terms, not the XSD namespace: pytest probes module attributes, and rdflib's
# closed namespace warns about every name it lacks
XSD_ = type("XSD_", (), {k: vocab.XSD[k] for k in ("date", "gYearMonth", "gYear", "string", "decimal")})

MINT = Minter()
ACC_A, ACC_B = MINT.account("a"), MINT.account("b")
SAM, ANN, AUTHOR = (MINT("person", k) for k in ("sam-teller", "ann-other", "author-of-a-letter"))
COUNCIL, GROUP, NEC = (MINT("body", k) for k in ("testford-council", "labour-group",
                                                  "national-executive-committee"))
QUAD_FORMATS = ("trig", "nquads", "jsonld")


@pytest.fixture
def ds(tiny_kg: KnowledgeGraph) -> Dataset:
    return to_dataset(tiny_kg)


@pytest.fixture
def g(ds: Dataset) -> Graph:
    return union(ds)


def _one(g: Graph, subject, predicate):
    values = list(g.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


# --- the contract, statement by statement ------------------------------------

def test_account(ds: Dataset, g: Graph) -> None:
    account = ds.graph(ACC_A)
    assert (ACC_A, RDF.type, PROV.Entity) in account
    assert (ACC_A, DCTERMS.source, Literal("a.txt")) in account
    assert (ACC_A, DCTERMS.title, Literal("Why I went")) in account
    assert (ACC_A, DCTERMS.creator, SAM) in account
    assert _one(g, ACC_A, DCTERMS.date) == Literal("2018-02-01", datatype=XSD_.date)
    assert (ACC_B, DCTERMS.source, Literal("b.txt")) in g
    assert not list(g.objects(ACC_B, DCTERMS.date))


def test_person_named_once_and_traced_to_every_account(g: Graph) -> None:
    assert (ANN, RDF.type, FOAF.Person) in g
    assert _one(g, ANN, FOAF.name) == Literal("Ann Other")
    assert set(g.objects(ANN, PROV.wasDerivedFrom)) == {ACC_A, ACC_B}


def test_narrator_is_a_person_even_unnamed(g: Graph) -> None:
    assert (ACC_B, DCTERMS.creator, AUTHOR) in g
    assert (AUTHOR, RDF.type, FOAF.Person) in g
    assert _one(g, AUTHOR, FOAF.name) == Literal("Author of A letter")
    assert (AUTHOR, PROV.wasDerivedFrom, ACC_B) in g


def test_narrator_traced_even_without_a_mention(tiny_kg: KnowledgeGraph) -> None:
    tiny_kg.nodes["author-of-a-letter"].names_in.clear()
    g = union(to_dataset(tiny_kg))
    assert (AUTHOR, PROV.wasDerivedFrom, ACC_B) in g


def test_body_labels_and_parts(g: Graph) -> None:
    assert (NEC, RDF.type, ORG.Organization) in g
    assert _one(g, NEC, SKOS.prefLabel) == Literal("National Executive Committee")
    assert (NEC, SKOS.altLabel, Literal("NEC")) in g
    assert (NEC, PROV.wasDerivedFrom, ACC_B) in g
    assert (GROUP, ORG.subOrganizationOf, COUNCIL) in g


def test_membership(ds: Dataset, g: Graph) -> None:
    memberships = set(g.subjects(RDF.type, ORG.Membership))
    assert len(memberships) == 2
    (leader,) = [m for m in memberships if (m, ORG.member, SAM) in g]
    role = _one(g, leader, ORG.role)
    assert (role, RDF.type, ORG.Role) in g
    assert _one(g, role, SKOS.prefLabel) == Literal("Leader")
    assert _one(g, leader, ORG.organization) == COUNCIL
    assert (leader, PROV.wasDerivedFrom, ACC_A) in ds.graph(ACC_A)
    assert (leader, KG.evidence, None) in g
    (chair,) = [m for m in memberships if (m, ORG.member, ANN) in g]
    assert float(_one(g, chair, KG.confidence)) == pytest.approx(0.8)


def test_events(ds: Dataset, g: Graph) -> None:
    events = set(g.subjects(RDF.type, SEM.Event))
    assert len(events) == 3
    types = {str(_one(g, _one(g, e, SEM.eventType), SKOS.prefLabel)) for e in events}
    assert types == {"Resignation", "Meeting", "Complaint"}
    (complaint,) = [e for e in events if (e, SEM.eventType, KG.Complaint) in g]
    assert set(g.objects(complaint, SEM.hasActor)) == {ANN, NEC}
    assert _one(g, complaint, SEM.hasTimeStamp) == Literal("2016-05", datatype=XSD_.gYearMonth)
    assert (complaint, KG.trigger, Literal("wrote")) in ds.graph(ACC_B)
    assert (complaint, PROV.wasDerivedFrom, ACC_B) in g


def test_event_type_scheme(g: Graph) -> None:
    concepts = set(g.subjects(SKOS.inScheme, KG.EventTypes))
    assert {str(_one(g, c, SKOS.prefLabel)) for c in concepts} == set(EVENT_TYPES)


def test_evidence_quotes_the_account(tiny_kg: KnowledgeGraph, g: Graph) -> None:
    texts = {MINT.account(a.id): a.text for a in tiny_kg.accounts}
    pieces = set(g.objects(None, KG.evidence)) | set(g.objects(None, KG.mentionedIn))
    assert pieces
    for ev in pieces:
        selectors = set(g.objects(ev, OA.hasSelector))
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
        (pos,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
        start, end = _one(g, pos, OA.start).toPython(), _one(g, pos, OA.end).toPython()
        assert isinstance(start, int) and start <= end
        assert texts[_one(g, ev, OA.hasSource)][start:end] == str(_one(g, quote, OA.exact))


def test_every_node_carries_its_type(g: Graph) -> None:
    typed = set(g.subjects(RDF.type, None))
    for predicate in (ORG.member, ORG.role, ORG.organization, SEM.hasActor, DCTERMS.creator, KG.evidence):
        for node in g.objects(None, predicate):
            assert node in typed, f"{node} (object of {predicate}) has no rdf:type"


# --- IRIs -------------------------------------------------------------------

def test_custom_base(tiny_kg: KnowledgeGraph) -> None:
    base = "http://example.org/kg"  # no trailing slash: one is added
    ds = to_dataset(tiny_kg, base=base)
    nodes = {t for q in ds.quads() for t in (q[0], q[2], q[3]) if isinstance(t, URIRef)}
    assert not [n for n in nodes if str(n).startswith(DEFAULT_BASE)]
    assert URIRef(base + "/person/ann-other") in nodes
    assert URIRef(base + "/account/a") in {c.identifier for c in ds.graphs()}


def test_iris_are_stable_across_builds(tiny_kg: KnowledgeGraph) -> None:
    first = {q for q in to_dataset(tiny_kg).quads()}
    assert first == {q for q in to_dataset(tiny_kg).quads()}


@pytest.mark.parametrize(("value", "datatype", "lexical"), [
    ("2016", XSD_.gYear, "2016"),
    ("2016-05", XSD_.gYearMonth, "2016-05"),
    ("2016-05-03", XSD_.date, "2016-05-03"),
    ("2016-05-03T10:00:00", XSD_.date, "2016-05-03"),
    ("May 2016", XSD_.string, "May 2016"),
])
def test_typed_date(value: str, datatype: URIRef, lexical: str) -> None:
    assert typed_date(value) == Literal(lexical, datatype=datatype)


def test_unreadable_event_date_is_left_out(tiny_kg: KnowledgeGraph) -> None:
    old = tiny_kg.events[0]
    tiny_kg.events[0] = EventFact(old.type, old.actors, old.trigger, old.evidence, date="spring")
    g = union(to_dataset(tiny_kg))
    assert len(list(g.objects(None, SEM.hasTimeStamp))) == 1  # only the Complaint's


# --- serialization ------------------------------------------------------------

_SERIALIZE_SCRIPT = """
import json, pickle, sys
from graph.formats import RDF_FORMATS as FORMATS
from graph.rdf import serialize, to_dataset
kg = pickle.load(open(sys.argv[1], "rb"))
ds = to_dataset(kg)
print(json.dumps({fmt: serialize(ds, fmt) for fmt in FORMATS}))
"""


def _serialize_elsewhere(path: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", _SERIALIZE_SCRIPT, str(path)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_byte_identical_across_processes(tiny_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """Set-ordered serializers would differ between hash seeds; ours must not."""
    path = tmp_path / "kg.pickle"
    path.write_bytes(pickle.dumps(tiny_kg))
    one, two = _serialize_elsewhere(path, "1"), _serialize_elsewhere(path, "2024")
    here = {fmt: serialize(to_dataset(tiny_kg), fmt) for fmt in FORMATS}
    for fmt in FORMATS:
        assert one[fmt] == two[fmt] == here[fmt], fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_serialize_round_trips(ds: Dataset, g: Graph, fmt: str) -> None:
    text = serialize(ds, fmt)
    parse_as = {"ntriples": "nt", "jsonld": "json-ld"}.get(fmt, fmt)
    if fmt in QUAD_FORMATS:  # the named graphs survive
        back = Dataset()
        back.parse(data=text, format=parse_as)
        assert set(back.quads()) == set(ds.quads())
    else:  # the union
        back_g = Graph().parse(data=text, format=parse_as)
        assert set(back_g) == set(g)


def test_serialize_plain_graph_and_aliases(g: Graph) -> None:
    assert serialize(g, "ttl") == serialize(g, "turtle")
    assert serialize(g, "nt") == serialize(g, "ntriples")
    back = Dataset()
    back.parse(data=serialize(g, "trig"), format="trig")
    assert len(back) == len(g)


def test_serialize_unknown_format(ds: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        serialize(ds, "csv")


def test_trig_names_each_account_graph(ds: Dataset) -> None:
    text = serialize(ds, "trig")
    heads = [line for line in text.splitlines() if line.endswith("{")]
    assert heads == sorted(heads) and len(heads) == 3
    assert f"<{ACC_A}> {{" in heads


def test_json_ld_speaks_the_friendly_context(ds: Dataset) -> None:
    doc = json.loads(serialize(ds, "json-ld"))
    assert doc["@context"]["actors"]["@id"] == "sem:hasActor"
    text = json.dumps(doc)
    assert '"eventType": "Complaint"' in text and '"type": "Event"' in text


# --- the schema files ---------------------------------------------------------------

def test_context_expands_to_contract_terms() -> None:
    context = json.loads((SCHEMA / "context.jsonld").read_text())["@context"]
    doc = {"@context": context, "id": "http://ex.org/e", "type": "Event", "eventType": "Threat",
           "actors": ["http://ex.org/p"], "derivedFrom": ["http://ex.org/a"], "confidence": "0.5",
           "timestamp": {"@value": "2016", "@type": "xsd:gYear"}}
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    e = URIRef("http://ex.org/e")
    assert (e, RDF.type, SEM.Event) in g
    assert (e, SEM.eventType, KG.Threat) in g
    assert (e, SEM.hasActor, URIRef("http://ex.org/p")) in g
    assert (e, PROV.wasDerivedFrom, URIRef("http://ex.org/a")) in g
    assert (e, KG.confidence, Literal("0.5", datatype=XSD_.decimal)) in g
    assert (e, SEM.hasTimeStamp, Literal("2016", datatype=XSD_.gYear)) in g


def test_ontology_defines_every_kg_term_written(g: Graph) -> None:
    onto = Graph().parse(SCHEMA / "ontology.ttl")
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(KG))}
    undefined = [t for t in used if (t, RDF.type, None) not in onto]
    assert not undefined
    for name in EVENT_TYPES:
        assert (KG[name], SKOS.inScheme, KG.EventTypes) in onto
        assert (KG[name], SKOS.prefLabel, Literal(name)) in onto
        assert (KG[name], SKOS.definition, None) in onto
    assert (KG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=4))
def test_minted_iris_percent_encode_every_segment_as_quote_does(parts: list[str]) -> None:
    from urllib.parse import quote

    assert str(MINT(*parts)) == MINT.base + "/".join(quote(p, safe="-._~") for p in parts)
