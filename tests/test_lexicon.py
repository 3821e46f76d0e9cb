"""The lexicon is general knowledge of politics, not a memory of the bundled accounts.

An entry whose text occurs in exactly one bundled account is the mark of tuning
("emailed" as a Complaint because one account emails): it must go, or say in the
file's top-level `reasons:` mapping why it is general. Entries found in no
bundled account, or in several, need no reason.

`reasons:` maps an entry to its reason (`stood aside: a common British idiom for
resigning`), or a reason shared by several entries to their list
(`"procedural words of any party": [AGM, nomination, motion]`). A rule in
`patterns/` carries its reason on the rule itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pytest

from graph import yamlsafe as yaml
from graph.extract.rules import PATTERNS
from graph.paths import BUNDLED_ACCOUNTS, LEXICON

TEXT_ATTRS = {"LOWER", "ORTH", "TEXT", "LEMMA", "NORM"}
NOT_KNOWLEDGE = {"boilerplate.yaml"}  # web-page furniture (regexes), not politics


def _strings(value, top: bool = True) -> Iterator[str]:
    """Every string in a lexicon file: mapping keys below the top level and every value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "reasons" and top:
                continue
            if not top and isinstance(key, str):
                yield key
            yield from _strings(item, top=False)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, top=False)


def _pattern_strings(rules: list) -> Iterator[str]:
    """The words a rule matches: phrase strings and token attributes that compare text."""
    for rule in rules or []:
        if rule.get("matcher") == "phrase":
            yield from rule.get("pattern", [])
            continue
        for node in rule.get("pattern", []):
            attrs = node.get("RIGHT_ATTRS", node) if isinstance(node, dict) else {}
            for attr, value in attrs.items():
                if attr in TEXT_ATTRS:
                    values = value.get("IN", []) if isinstance(value, dict) else [value]
                    yield from (v for v in values if isinstance(v, str))


def lexicon_files():
    files = [p for p in sorted(LEXICON.glob("*.yaml")) if p.name not in NOT_KNOWLEDGE]
    return files + sorted(PATTERNS.glob("*.yaml"))


def entries(path) -> tuple[set[str], dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if path.parent == PATTERNS:
        reasons = {r.get("id"): r.get("reason") for r in data if r.get("reason")}
        strings = set()
        for rule in data:
            if not rule.get("reason"):
                strings.update(_pattern_strings([rule]))
        return strings, reasons
    reasons: dict[str, str] = {}
    for key, value in ((data.get("reasons") or {}) if isinstance(data, dict) else {}).items():
        if isinstance(value, list):
            reasons.update({str(entry): str(key) for entry in value})
        else:
            reasons[str(key)] = str(value)
    return set(_strings(data)), reasons


@lru_cache(maxsize=1)
def accounts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace").lower()
            for p in sorted(BUNDLED_ACCOUNTS.iterdir()) if p.is_file()]


def occurrences(entry: str) -> int:
    words = entry.lower().split()
    if not words:
        return 0
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
    return sum(1 for text in accounts() if pattern.search(text))


@pytest.mark.parametrize("path", lexicon_files(), ids=lambda p: p.relative_to(LEXICON).as_posix())
def test_no_entry_is_there_because_one_bundled_account_says_it(path):
    strings, reasons = entries(path)
    tuned = sorted(s for s in strings if s not in reasons and occurrences(s) == 1)
    assert not tuned, (f"{path.name}: entries found in only one bundled account; remove them or give "
                       f"each a reason under `reasons:`: {tuned}")


@pytest.mark.parametrize("path", lexicon_files(), ids=lambda p: p.relative_to(LEXICON).as_posix())
def test_every_reason_names_an_entry_that_exists(path):
    strings, reasons = entries(path)
    if path.parent == PATTERNS:
        return  # a rule's reason sits on the rule itself
    stale = sorted(r for r in reasons if r not in strings)
    assert not stale, f"{path.name}: reasons for entries the file no longer has: {stale}"


def test_the_check_sees_a_tuned_entry():
    """The detector itself: a phrase from exactly one bundled account is caught, a common word is not."""
    text = accounts()[0]
    rare = next(w for w in re.findall(r"[a-z]{9,}", text) if occurrences(w) == 1)
    assert occurrences(rare) == 1
    assert occurrences("the") == len(accounts())
