"""The judgements file: a person's corrections, plain YAML kept beside the accounts.

A YAML list, one entry per decision, applied in the order written (each one
against the graph the entries before it left), every entry with optional
`who`, `when` and `why`:

    - same: [Ann Other, A. Other]          # one entity
    - different: [Ann Other, Ann Others]   # never one, whatever the names say
    - split: Ann Other                     # one node per account naming it
      by: account
    - not: Testford                        # not what the extractor thought: dropped or retyped
      kind: place                          # person | body | place | group | junk
    - rename: Ann Other
      to: Dr Ann Other
    - reject: https://.../membership/3f2a9c1b0d4e     # a fact, by its IRI
    - confirm: {person: Ann Other, title: Treasurer, account: post.txt}
      who: ann
      when: 2026-12-01T13:00:00Z
      why: her own statement says so

The file may have been written by anyone: it is read through `graph.yamlsafe`,
and a malformed entry is a KgError naming the file and the entry number.
Commands append entries as text (`append`), so the entries and comments a
person wrote stay as they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from .. import yamlsafe
from ..atomic import write_bytes
from ..errors import KgError

FILE_NAME = "judgements.yaml"
NAMED = ("same", "different", "split", "not", "rename")  # entries about entities, by name
FACTS = ("reject", "confirm")                            # entries about one fact
KINDS = (*NAMED, *FACTS)
NOT_KINDS = ("person", "body", "place", "group", "junk")
DROPPED = ("place", "group", "junk")                     # `not` with these removes the entity
FACT_FIELDS = ("person", "title", "type", "account")     # a fact named by what it says
META = ("who", "when", "why")
EXTRA = {"not": ("kind",), "rename": ("to",), "split": ("by",)}
HEADER = ("# kg judgements: a person's corrections, applied at every build (README: Correcting the graph).\n"
          "# One entry per decision, in order; who/when/why are optional.\n")

FactRef = Union[str, dict[str, str]]  # an IRI, or {person, title | type, account}


@dataclass(frozen=True)
class Judgement:
    """One entry of the file, checked: `names` for NAMED kinds, `fact` for FACTS."""

    number: int                     # 1-based position in the file
    kind: str
    names: tuple[str, ...] = ()
    fact: FactRef | None = None
    is_kind: str | None = None      # `not`: what it is
    to: str | None = None           # `rename`: the new label
    who: str | None = None
    when: str | None = None         # ISO 8601
    why: str | None = None

    def describe(self) -> str:
        """One line for the terminal: the entry as a person would say it."""
        if self.kind in FACTS:
            fact = self.fact if isinstance(self.fact, str) else ", ".join(
                f"{k} {v}" for k, v in sorted(self.fact.items()))  # type: ignore[union-attr]
            return f"{self.kind} {fact}"
        text = f"{self.kind} {' / '.join(self.names)}"
        if self.is_kind:
            text += f" (is a {self.is_kind})"
        if self.to:
            text += f" -> {self.to}"
        if self.kind == "split":
            text += " by account"
        return text

    def to_yaml(self) -> dict[str, Any]:
        """The entry as the file writes it."""
        entry: dict[str, Any] = {}
        if self.kind in ("same", "different"):
            entry[self.kind] = list(self.names)
        elif self.kind in NAMED:
            entry[self.kind] = self.names[0]
        else:
            entry[self.kind] = self.fact
        if self.is_kind:
            entry["kind"] = self.is_kind
        if self.to:
            entry["to"] = self.to
        if self.kind == "split":
            entry["by"] = "account"
        for key in META:
            if getattr(self, key):
                entry[key] = getattr(self, key)
        return entry


def _problem(path: Path, number: int, message: str) -> KgError:
    return KgError(f"{path}: entry {number}: {message}")


def _text(value: Any, what: str, path: Path, number: int) -> str:
    """A name or field as text; YAML's `yes`, `no`, numbers and dates are no names unless quoted."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    raise _problem(path, number, f"{what} must be text (got {value!r}; put quotes around it)")


def _when(value: Any, path: Path, number: int) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value, "when", path, number)
    try:
        (dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if "T" in text else dt.date.fromisoformat(text))
    except ValueError:
        raise _problem(path, number, f"when {text!r} is no ISO date or date-time") from None
    return text


def _fact(value: Any, path: Path, number: int) -> FactRef:
    if isinstance(value, str):
        return _text(value, "a fact", path, number)
    if isinstance(value, dict):
        unknown = sorted(set(map(str, value)) - set(FACT_FIELDS))
        if unknown:
            raise _problem(path, number, f"a fact has no field {unknown[0]!r} (fields: {', '.join(FACT_FIELDS)})")
        fact = {str(k): _text(v, k, path, number) for k, v in value.items()}
        if "person" not in fact or not ({"title", "type"} & set(fact)):
            raise _problem(path, number, "a fact is an IRI, or a mapping with person and title (or type)")
        return fact
    raise _problem(path, number, "a fact is an IRI, or a mapping with person and title (or type)")


def parse_entry(raw: Any, number: int, path: Path) -> Judgement:
    """One entry checked: exactly one kind, the fields that kind takes, each of the right shape."""
    if not isinstance(raw, dict):
        raise _problem(path, number, f"an entry is a mapping such as `same: [A, B]` (got {type(raw).__name__})")
    raw = {str(k): v for k, v in raw.items()}
    kinds = [k for k in raw if k in KINDS]
    if len(kinds) != 1:
        raise _problem(path, number, f"an entry has exactly one of {', '.join(KINDS)} (found {len(kinds)})")
    kind = kinds[0]
    allowed = {kind, *META, *EXTRA.get(kind, ())}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _problem(path, number, f"{kind} takes no field {unknown[0]!r}")
    meta: dict[str, Any] = {k: _text(raw[k], k, path, number) for k in ("who", "why") if raw.get(k) is not None}
    if raw.get("when") is not None:
        meta["when"] = _when(raw["when"], path, number)
    value = raw[kind]
    if kind in FACTS:
        return Judgement(number, kind, fact=_fact(value, path, number), **meta)
    if kind in ("same", "different"):
        if not isinstance(value, list) or len(value) < 2:
            raise _problem(path, number, f"{kind} takes a list of two names or more")
        names = tuple(_text(v, "a name", path, number) for v in value)
        if len({n.casefold() for n in names}) < len(names):
            raise _problem(path, number, f"{kind} names one entity twice")
        return Judgement(number, kind, names=names, **meta)
    name = (_text(value, "a name", path, number),)
    if kind == "not":
        is_kind = raw.get("kind")
        if is_kind not in NOT_KINDS:
            raise _problem(path, number, f"not takes kind: one of {', '.join(NOT_KINDS)}")
        return Judgement(number, kind, names=name, is_kind=is_kind, **meta)
    if kind == "rename":
        return Judgement(number, kind, names=name, to=_text(raw.get("to"), "to", path, number), **meta)
    if kind == "split" and raw.get("by", "account") != "account":
        raise _problem(path, number, "split takes by: account (to split by name, use different)")
    return Judgement(number, kind, names=name, **meta)


def load(path: Path) -> list[Judgement]:
    """Every entry of the file, checked; [] when the file is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such judgements file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{path}: cannot read the judgements file ({exc})") from None
    try:
        data = yamlsafe.safe_load(text)
    except yamlsafe.YAMLError as exc:
        raise KgError(f"{path}: not YAML ({' '.join(str(exc).split())[:200]})") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise KgError(f"{path}: a judgements file is a YAML list of entries (`- same: [A, B]`)")
    return [parse_entry(raw, number, path) for number, raw in enumerate(data, 1)]


class _Dumper(yaml.SafeDumper):
    """Entries as block mappings, a list of names on one line: `- same: [A, B]`."""


_Dumper.add_representer(list, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=all(isinstance(x, str) for x in data) and bool(data)))


def _dump(entries: list[Judgement]) -> str:
    return yaml.dump([e.to_yaml() for e in entries], Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000)


def append(path: Path, entries: list[Judgement]) -> None:
    """Add entries at the end of the file, atomically, leaving what is there (comments too) as it was.

    The new text is checked to read back as the old entries plus the new ones;
    a file whose layout does not allow appending (a flow list `[...]`) is
    written whole instead (its comments are then lost).
    """
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    before = load(path) if old.strip() else []
    block = _dump(entries)
    text = (old if old.endswith("\n") or not old else old + "\n") if old.strip() else HEADER
    candidate = text + block
    try:
        data = yamlsafe.safe_load(candidate)
        ok = isinstance(data, list) and len(data) == len(before) + len(entries)
    except yamlsafe.YAMLError:
        ok = False
    if not ok:
        candidate = HEADER + _dump([*before, *entries])
    write_bytes(path, candidate.encode("utf-8"))


def now() -> str:
    """The time a command records a decision at (UTC, to the second)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
