"""Build a third-person news corpus and check who kg takes for people in it.

    python scripts/corpus_check.py [CORPUS] [--graph GRAPH.trig] [--top 50]

CORPUS defaults to ../shared/corpora/bbc-politics (397 BBC News articles with no
bylines and no first-person teller); when it is absent the check is skipped
(exit 0), so `make corpus-check` works where ../shared is not. Checks:

1. no invented narrator: an account has a teller only when its text speaks in
   the first person outside quotation marks in two sentences or more (counted
   here with a plain regular expression, independently of the extractor);
2. none of the TOP most connected people (`kg stats`) is a place or a seat
   (its name, or its first word before a compass point, is in the gazetteer),
   a job description (a role title of the lexicon in its name, written in lower
   case or with no name after it) or a described holder (a node scoped to one
   account, its IRI ending in "--<account>", named by a role title: "the CLP
   chair"; a lone surname kept to its account, "Howard", is a person).

The people are printed either way, so a reader can look at them too. Exit 1
when a check fails.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.extract.lexicon import load_lexicon  # noqa: E402
from graph.extract.places import is_place  # noqa: E402

QUOTED = re.compile(r'"[^"\n]*"?|“[^”\n]*”?')
FIRST = re.compile(r"\b(?:I|me|my|myself|mine)\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
COMPASS = {"north", "south", "east", "west", "central", "north-east", "north-west", "south-east", "south-west"}
KG = [sys.executable, "-m", "graph"]


def speaks_first_person(text: str) -> bool:
    """Two sentences or more with I/me/my once quotations are cut out."""
    bare = QUOTED.sub(" ", text)
    return sum(1 for sentence in SENTENCE.split(bare) if FIRST.search(sentence)) >= 2


def not_a_person(name: str, iri: str, role_words: set[str], surnames: set[str]) -> str | None:
    """Why `name` is no individual, or None. A lone word that is the surname of someone the
    corpus names in full ("Howard" beside "Michael Howard") is a person, even if a town bears it."""
    words = name.split()
    if len(words) == 1 and name in surnames:
        return None
    scoped = "--" in iri.rsplit("/", 1)[-1]  # a node kept to one account: a lone name, a teller or a holder
    if scoped and any(w.lower() in role_words for w in words):
        return "described holder"
    if is_place(name):
        return "place"
    if len(words) > 1 and is_place(words[0]) and all(w.lower() in COMPASS for w in words[1:]):
        return "constituency"
    for i, word in enumerate(words):
        if word.lower() in role_words and (word.islower() or i == len(words) - 1):
            return "job description"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpora" / "bbc-politics"))
    ap.add_argument("--graph", help="a graph already built from CORPUS (skips the build)")
    ap.add_argument("--top", type=int, default=50)
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not args.graph and not corpus.is_dir():
        print(f"corpus-check: {corpus} is not here; skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if not graph:
            subprocess.run([*KG, "-q", "build", str(corpus), "-o", tmp, "--no-html", "--no-cache"], check=True)
            graph = str(Path(tmp) / "graph.trig")
        stats = json.loads(subprocess.run([*KG, "stats", "-g", graph, "--top", str(args.top), "--json"],
                                          check=True, capture_output=True, text=True).stdout)
        tellers = json.loads(subprocess.run(
            [*KG, "query", "-g", graph, "--format", "json",
             "SELECT ?a ?n WHERE { ?a dcterms:creator ?p . ?p foaf:name ?n }"],
            check=True, capture_output=True, text=True).stdout)
        names = json.loads(subprocess.run(
            [*KG, "query", "-g", graph, "--format", "json",
             "SELECT DISTINCT ?n WHERE { ?p a foaf:Person ; foaf:name ?n }"],
            check=True, capture_output=True, text=True).stdout)
        authors = json.loads(subprocess.run(
            [*KG, "query", "-g", graph, "--format", "json",
             'SELECT ?n WHERE { ?p a foaf:Person ; foaf:name ?n . FILTER(STRSTARTS(?n, "Author of ")) }'],
            check=True, capture_output=True, text=True).stdout)
    role_words = {t for t in load_lexicon().role_titles if " " not in t}
    surnames = {row["n"].split()[-1] for row in names if len(row["n"].split()) > 1}
    failures = 0
    print(f"accounts: {stats['totals']['accounts']}  people: {stats['totals']['people']}")
    print(f"accounts with a teller: {len(tellers)}; people named 'Author of ...': {len(authors)}")
    for row in tellers:
        path = corpus / (row["a"].rsplit("/", 1)[-1] + ".txt")
        first = path.is_file() and speaks_first_person(path.read_text(encoding="utf-8"))
        failures += not first
        print(f"    {row['n']}: " + ("speaks in the first person" if first else "INVENTED"))
    print(f"the {args.top} most connected people:")
    for rank, person in enumerate(stats["most_connected"]["people"], 1):
        why = not_a_person(person["label"], person["iri"], role_words, surnames)
        failures += why is not None
        print(f"  {rank:>3}. {person['label']}" + (f"   <- NOT A PERSON: {why}" if why else ""))
    print("corpus-check: " + ("ok" if not failures else f"{failures} problem(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
