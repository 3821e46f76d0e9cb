"""Structural patterns as data: `graph/lexicon/patterns/<family>.yaml`, run as a spaCy component.

Each file holds a list of rules, one per structural pattern (a way a role, an
event, a body or a non-person is written), with its own id, the spaCy matcher
that finds it, what a match yields and how much a match is trusted:

```yaml
- id: roles.title-of-body
  matcher: token            # token (Matcher) | dependency (DependencyMatcher) | phrase (PhraseMatcher)
  pattern: [{LOWER: chair}, {LOWER: of}, {ENT_TYPE: ORG, OP: "+"}]
  yields: {title: chair}    # read by the family's own code (roles.py, events.py, ...)
  confidence: 0.8
  reason: why this is general knowledge   # optional
```

The `kg_rules` component (added by `load_nlp`) runs every rule on every Doc and
writes the matches onto it (`doc._.kg_matches`, plain lists so that Docs parsed
in other processes by `nlp.pipe(n_process=N)` carry them back); the family code
reads them with `rule_matches(doc, family)`. Python interprets, YAML decides.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc

from .. import yamlsafe as yaml
from ..errors import KgError
from ..paths import LEXICON

PATTERNS = LEXICON / "patterns"
MATCHERS = ("token", "dependency", "phrase")
FAMILIES = ("roles", "events", "bodies", "people")
EXTENSION = "kg_matches"

__all__ = ["PATTERNS", "Rule", "RuleMatch", "RuleSet", "load_rules", "rule_matches"]


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    matcher: str
    pattern: Any
    yields: dict = field(default_factory=dict, hash=False, compare=False)
    confidence: float = 1.0
    reason: str | None = None
    attr: str = "LOWER"            # phrase rules: the token attribute compared
    greedy: str | None = None      # token rules: "LONGEST" or "FIRST" keeps one of overlapping matches


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    start: int                      # token index of the first matched token
    end: int                        # one past the last
    tokens: dict[str, int]          # dependency rules: RIGHT_ID -> token index


def _rule(entry: Any, family: str, source: Path) -> Rule:
    where = f"{source}: rule {entry.get('id', '?') if isinstance(entry, dict) else entry!r}"
    if not isinstance(entry, dict):
        raise KgError(f"{where}: a rule is a mapping with id, matcher, pattern")
    missing = [k for k in ("id", "matcher", "pattern") if k not in entry]
    if missing:
        raise KgError(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - {"id", "matcher", "pattern", "yields", "confidence", "reason", "attr", "greedy"}
    if unknown:
        raise KgError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    rid, kind = str(entry["id"]), entry["matcher"]
    if not rid.startswith(family + "."):
        raise KgError(f"{where}: its id must start with '{family}.'")
    if kind not in MATCHERS:
        raise KgError(f"{where}: matcher must be one of {', '.join(MATCHERS)}, not {kind!r}")
    confidence = entry.get("confidence", 1.0)
    if not isinstance(confidence, (int, float)) or not 0.0 <= confidence <= 1.0:
        raise KgError(f"{where}: confidence must be a number from 0 to 1")
    yields = entry.get("yields") or {}
    if not isinstance(yields, dict):
        raise KgError(f"{where}: yields must be a mapping")
    pattern = entry["pattern"]
    if not isinstance(pattern, list) or not pattern:
        raise KgError(f"{where}: pattern must be a non-empty list")
    if kind == "phrase" and not all(isinstance(p, str) for p in pattern):
        raise KgError(f"{where}: a phrase pattern is a list of strings")
    return Rule(rid, family, kind, pattern, yields, float(confidence), entry.get("reason"),
                str(entry.get("attr", "LOWER")), entry.get("greedy"))


@lru_cache(maxsize=4)
def load_rules(directory: Path = PATTERNS) -> dict[str, list[Rule]]:
    """Every rule by family (the file's stem), in file order; ids unique across files."""
    by_family: dict[str, list[Rule]] = {}
    seen: dict[str, Path] = {}
    for source in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            entries = yaml.safe_load(source.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise KgError(f"{source}: cannot read the patterns ({exc})") from None
        if not isinstance(entries, list):
            raise KgError(f"{source}: a patterns file is a YAML list of rules")
        for entry in entries:
            rule = _rule(entry, source.stem, source)
            if rule.id in seen:
                raise KgError(f"{source}: rule {rule.id} is defined twice (also in {seen[rule.id]})")
            seen[rule.id] = source
            by_family.setdefault(rule.family, []).append(rule)
    return by_family


class RuleSet:
    """All rules compiled into spaCy's matchers; calling it on a Doc gives the matches."""

    def __init__(self, nlp: Language, rules: Iterable[Rule]):
        self.rules = {r.id: r for r in rules}
        self.token = Matcher(nlp.vocab, validate=True)
        self.dependency = DependencyMatcher(nlp.vocab, validate=True)
        self.phrase: dict[str, PhraseMatcher] = {}
        for rule in self.rules.values():
            try:
                if rule.matcher == "token":
                    self.token.add(rule.id, [rule.pattern], greedy=rule.greedy)
                elif rule.matcher == "dependency":
                    self.dependency.add(rule.id, [rule.pattern])
                else:
                    matcher = self.phrase.setdefault(rule.attr, PhraseMatcher(nlp.vocab, attr=rule.attr))
                    matcher.add(rule.id, [nlp.make_doc(p) for p in rule.pattern])
            except (ValueError, KeyError, TypeError) as exc:
                message = str(exc).strip().splitlines()[0]
                raise KgError(f"rule {rule.id}: not a valid spaCy {rule.matcher} pattern ({message})") from None

    def __call__(self, doc: Doc) -> list[list]:
        """[[rule id, start, end, {name: token index}], ...] sorted by (start, -end, id)."""
        vocab = doc.vocab.strings
        found: list[list] = []
        if len(self.token):
            found.extend([vocab[mid], s, e, {}] for mid, s, e in self.token(doc))
        for matcher in self.phrase.values():
            found.extend([vocab[mid], s, e, {}] for mid, s, e in matcher(doc))
        for mid, token_ids in self.dependency(doc) if len(self.dependency) else ():
            rule = self.rules[vocab[mid]]
            names = [node["RIGHT_ID"] for node in rule.pattern]
            found.append([rule.id, min(token_ids), max(token_ids) + 1, dict(zip(names, token_ids))])
        found.sort(key=lambda m: (m[1], -m[2], m[0]))
        return found


@Language.factory("kg_rules", default_config={"directory": None})
def make_rule_component(nlp: Language, name: str, directory: str | None):
    """The pipeline component: every rule of `directory` (default: the lexicon's patterns)."""
    rules = load_rules(Path(directory) if directory else PATTERNS)
    ruleset = RuleSet(nlp, [r for family in rules.values() for r in family])

    def component(doc: Doc) -> Doc:
        doc._.set(EXTENSION, ruleset(doc))
        return doc

    return component


if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


def rule_matches(doc: Doc, family: str, directory: Path = PATTERNS) -> list[RuleMatch]:
    """The matches the `kg_rules` component wrote for one family's rules, in order."""
    raw = doc._.get(EXTENSION)
    if raw is None:
        raise KgError("the spaCy pipeline has no kg_rules component (load it with load_nlp())")
    rules = {r.id: r for r in load_rules(directory).get(family, [])}
    return [RuleMatch(rules[rid], start, end, dict(tokens))
            for rid, start, end, tokens in raw if rid in rules]
