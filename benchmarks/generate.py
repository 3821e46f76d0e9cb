"""Generate larger corpora for the benchmarks: `python benchmarks/generate.py N OUTDIR --seed S`.

Why recombine the bundled accounts rather than write lorem ipsum: the parser's
speed and the extractor's rules depend on real sentence shapes (clauses, role
titles, trigger verbs), so the sentences come from the bundled accounts. Why
replace every name: the benchmark must not lean on the bundled people and
local bodies (and must not copy them around), and entity resolution must see
names that *recur across accounts* the way real ones do. So each sentence
becomes a template once (spaCy's NER marks people, places and local bodies as
slots), and each generated account fills the slots from a small cast drawn
from invented name pools with a Zipf-like skew: a few people and places turn
up in many accounts, most in a handful.

Any sentence that still holds a capitalised word which is not general
vocabulary (a word the bundled texts also write in lower case, or a word of
the lexicon) after its slots are cut out is dropped, so a name NER missed
never leaks into a generated account. Same N, seed and options: byte-identical files.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019\-]*")
# Slot kinds: a person's full name, a surname alone, a place, a local body.
FULL, LAST, PLACE, BODY = "full", "last", "place", "body"
BODY_SUFFIXES = ("Borough Council", "CLP", "District Council", "Labour Group", "Branch Labour Party",
                 "Constituency Labour Party", "Town Council", "Momentum", "County Council")
ALWAYS_GENERAL = {"I", "Mr", "Mrs", "Ms", "Dr", "Cllr", "MP", "MPs", "OK", "TV", "UK", "EU",
                  "January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
                  "Friday", "Saturday", "Sunday", "English", "British", "Britain", "England", "London"}


@dataclass(frozen=True)
class Template:
    """A bundled sentence with its names cut out: literal strings and (kind, suffix) slots."""

    parts: tuple[str | tuple[str, str], ...]

    def slots(self) -> list[tuple[str, str]]:
        return [p for p in self.parts if isinstance(p, tuple)]


# -- the vocabulary a generated account may keep ------------------------------------

@lru_cache(maxsize=1)
def bundled_texts() -> tuple[str, ...]:
    from graph.load import load_paths
    from graph.paths import BUNDLED_ACCOUNTS

    return tuple(a.text for a in load_paths([BUNDLED_ACCOUNTS]).accounts)


@lru_cache(maxsize=1)
def general_words() -> frozenset[str]:
    """Words that are not names: the lexicon's words, and words the bundled texts write in lower case."""
    from graph.extract.lexicon import LEXICON

    words = set(ALWAYS_GENERAL)
    for path in sorted(LEXICON.glob("*.yaml")):
        if path.stem == "people":  # its "not people" list names factions after people
            continue
        words.update(w for w in WORD.findall(path.read_text(encoding="utf-8")) if w[:1].isupper())
    lower = {w for text in bundled_texts() for w in WORD.findall(text) if w.islower()}
    return frozenset(words | {w.capitalize() for w in lower} | lower)


@lru_cache(maxsize=1)
def bundled_words() -> frozenset[str]:
    """Every word of the bundled accounts, lower-cased: invented names must be none of these."""
    return frozenset(w.lower() for text in bundled_texts() for w in WORD.findall(text))


# -- templates ------------------------------------------------------------------------

def _general(text: str) -> bool:
    return all(w in general_words() for w in WORD.findall(text))


def _body_suffix(tokens: list[str]) -> str:
    """The general tail of a local body's name ("Harlow Council" -> "Council"); "" if none."""
    for i in range(len(tokens)):
        tail = tokens[i:]
        if all(t in general_words() for t in tail) and tail[0][:1].isupper():
            return " ".join(tail)
    return ""


def _template(sent, person_tokens: frozenset[str]) -> Template | None:
    text = sent.text.strip()
    words = len(text.split())
    if "\n" in text or not 6 <= words <= 60 or not text[:1].isupper() or text[-1] not in ".!?":
        return None
    parts: list[str | tuple[str, str]] = []
    pos = sent.start_char
    for ent in sent.ents:
        literal = sent.doc.text[pos:ent.start_char]
        if ent.label_ == "PERSON":
            slot: tuple[str, str] | None = (FULL, "") if len(ent) > 1 else (LAST, "")
        elif ent.label_ in ("GPE", "LOC", "FAC"):
            slot = None if _general(ent.text) else (PLACE, "")
        elif ent.label_ == "ORG":
            slot = None if _general(ent.text) else (BODY, _body_suffix([t.text for t in ent]))
        elif ent.label_ in ("NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"):
            if not _general(ent.text):
                return None
            slot = None
        else:
            slot = None
        if slot is None:
            continue
        parts.append(literal)
        parts.append(slot)
        pos = ent.end_char
    parts.append(sent.doc.text[pos:sent.end_char])
    literal_text = "".join(p for p in parts if isinstance(p, str)).strip()
    if any(w not in general_words() for w in WORD.findall(literal_text) if w[:1].isupper()):
        return None  # a name NER did not mark: never let it through
    if any(p in w for w in WORD.findall(literal_text) for p in person_tokens):
        return None  # a word made from a name ("...ites", "...sceptics")
    parts[0] = parts[0].lstrip() if isinstance(parts[0], str) else parts[0]
    parts[-1] = parts[-1].rstrip() if isinstance(parts[-1], str) else parts[-1]
    return Template(tuple(p for p in parts if p != ""))


@lru_cache(maxsize=1)
def templates() -> tuple[Template, ...]:
    """Every usable bundled sentence as a template (spaCy runs once per process)."""
    from graph.extract.nlp import load_nlp

    nlp = load_nlp()
    docs = list(nlp.pipe(bundled_texts()))
    person_tokens = frozenset(t.text for doc in docs for ent in doc.ents if ent.label_ == "PERSON"
                              for t in ent if t.text[:1].isupper() and len(t.text) >= 4
                              and t.text not in general_words())
    found: list[Template] = []
    seen: set[Template] = set()
    for doc in docs:
        for sent in doc.sents:
            t = _template(sent, person_tokens)
            if t is not None and t not in seen:
                seen.add(t)
                found.append(t)
    return tuple(found)


# -- invented names ---------------------------------------------------------------------

ONSETS = ("b", "br", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "r", "s", "st", "t",
          "th", "v", "w", "z", "c", "ch", "sh", "tr", "pl", "qu")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "oa", "ou", "ei")
CODAS = ("", "n", "r", "l", "m", "s", "th", "nd", "rk", "st", "v")
FIRST_ENDS = ("a", "el", "en", "ine", "o", "ie", "an", "is", "ette", "wyn", "ric", "mond", "ara", "iel")
SURNAME_ENDS = ("by", "ton", "well", "ford", "ley", "sham", "worth", "more", "field", "stead", "ridge",
                "wood", "ock", "ett", "ins", "cott", "brook")
PLACE_ENDS = ("bury", "mouth", "wick", "thorpe", "stow", "minster", "combe", "holme", "caster", "dale",
              "hampton", "ley", "borough")
PLACE_PREFIXES = ("North", "East", "West", "South", "Upper", "Lower", "Great", "Little")


def _syllable(rng: random.Random) -> str:
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)


def _invent(rng: random.Random, ends: tuple[str, ...], count: int, taken: set[str]) -> list[str]:
    """`count` distinct invented words, none a bundled word, a general word or already taken."""
    out: list[str] = []
    while len(out) < count:
        word = (_syllable(rng) + rng.choice(ends)).capitalize()
        if word in taken or word.lower() in bundled_words() or word in general_words():
            continue
        taken.add(word)
        out.append(word)
    return out


@dataclass(frozen=True)
class Pools:
    people: tuple[tuple[str, str], ...]   # (first, surname), most frequent first
    places: tuple[str, ...]
    person_cum: tuple[float, ...]        # cumulative Zipf weights, for bisect
    place_cum: tuple[float, ...]


def _cumulative(n: int, skew: float) -> tuple[float, ...]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank ** skew
        out.append(total)
    return tuple(out)


def make_pools(n_accounts: int, rng: random.Random) -> Pools:
    """Pools that grow with the corpus (2 people and 1/3 place per account, plus a core)."""
    taken: set[str] = set()
    n_people, n_places = 40 + 2 * n_accounts, 12 + n_accounts // 3
    firsts = _invent(rng, FIRST_ENDS, max(60, n_people // 8), taken)
    surnames = _invent(rng, SURNAME_ENDS, n_people, taken)
    people = tuple((rng.choice(firsts), s) for s in surnames)
    places = []
    for stem in _invent(rng, PLACE_ENDS, n_places, taken):
        places.append(f"{rng.choice(PLACE_PREFIXES)} {stem}" if rng.random() < 0.15 else stem)
    return Pools(people, tuple(places), _cumulative(len(people), 1.05), _cumulative(len(places), 1.0))


def _draw(rng: random.Random, cum: tuple[float, ...], k: int) -> list[int]:
    """k distinct indices, Zipf-weighted (a popular name recurs across many accounts)."""
    picked: list[int] = []
    while len(picked) < min(k, len(cum)):
        i = bisect.bisect_left(cum, rng.random() * cum[-1])
        if i not in picked:
            picked.append(i)
    return picked


# -- accounts ----------------------------------------------------------------------------

TITLES = ("Why I left the {body}", "A year in the {body}", "What happened at the {body}",
          "My side of the story", "Stepping down from the {body}", "How the {body} was run",
          "Notes from {place}", "An open letter to {person}")


def account_text(rng: random.Random, pools: Pools, pool: tuple[Template, ...], sentences: tuple[int, int],
                 start: dt.date) -> str:
    """One account: front matter (title, author, date) and paragraphs of filled templates."""
    cast = [pools.people[i] for i in _draw(rng, pools.person_cum, rng.randint(3, 8))]
    places = [pools.places[i] for i in _draw(rng, pools.place_cum, rng.randint(1, 3))]
    author = cast[0]
    named: list[tuple[str, str]] = []  # people already introduced by full name

    def fill(kind: str, suffix: str) -> str:
        if kind == PLACE:
            return rng.choice(places)
        if kind == BODY:
            return f"{rng.choice(places)} {suffix or rng.choice(BODY_SUFFIXES)}"
        who = rng.choice(cast[1:])
        if kind == LAST and who in named:
            return who[1]
        if who not in named:
            named.append(who)
        return f"{who[0]} {who[1]}"

    paragraphs, current = [], []
    for _ in range(rng.randint(*sentences)):
        t = rng.choice(pool)
        current.append("".join(p if isinstance(p, str) else fill(*p) for p in t.parts))
        if len(current) >= rng.randint(3, 6):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    title = rng.choice(TITLES).format(body=f"{places[0]} {rng.choice(BODY_SUFFIXES)}", place=places[0],
                                      person=" ".join(rng.choice(cast[1:])))
    date = start + dt.timedelta(days=rng.randrange(3650))
    front = f"---\ntitle: \"{title}\"\nauthor: \"{author[0]} {author[1]}\"\ndate: {date.isoformat()}\n---\n\n"
    return front + title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _rng(n: int, seed: int) -> random.Random:
    return random.Random(f"kg-bench|{seed}|{n}")


def pools_for(n: int, seed: int = 0) -> Pools:
    """The name pools `generate(n, ..., seed)` draws from (its random stream starts with them)."""
    return make_pools(n, _rng(n, seed))


def generate(n: int, out_dir: Path, seed: int = 0, sentences: tuple[int, int] = (8, 30)) -> list[Path]:
    """Write accounts 000000.txt ... into out_dir; return their paths (deterministic in n, seed)."""
    rng = _rng(n, seed)
    pool = templates()
    pools = make_pools(n, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    width = max(6, len(str(n)))
    for i in range(n):
        path = out_dir / f"{i:0{width}d}.txt"
        path.write_text(account_text(rng, pools, pool, sentences, dt.date(2010, 1, 1)), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="how many accounts")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-sentences", type=int, default=8)
    ap.add_argument("--max-sentences", type=int, default=30)
    args = ap.parse_args(argv)
    paths = generate(args.n, args.out_dir, args.seed, (args.min_sentences, args.max_sentences))
    print(f"wrote {len(paths)} accounts to {args.out_dir} ({len(templates())} sentence templates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
