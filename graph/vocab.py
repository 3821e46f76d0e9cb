"""Namespaces shared by every stage that reads or writes RDF.

Kept apart from `rdf` so that commands which only read a built graph
(query, show, render) import rdflib's namespaces and nothing heavier.
"""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from .paths import DEFAULT_BASE

ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
KG = Namespace("https://w3id.org/kg-politics/ns#")
TIME = Namespace("http://www.w3.org/2006/time#")  # OWL-Time: when a role held began and ended

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "foaf": FOAF, "org": ORG, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS,
    "sem": SEM, "xsd": XSD, "oa": OA, "kg": KG, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "time": TIME,
}

__all__ = ["DCTERMS", "FOAF", "KG", "OA", "ORG", "OWL", "PREFIXES", "PROV", "RDF",
           "RDFS", "SEM", "SKOS", "XSD", "DEFAULT_BASE"]
