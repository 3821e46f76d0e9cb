"""YAML from untrusted files: libyaml's safe loader, bounded, and a field at a time.

Front matter is parsed once per account file (PyYAML's pure-Python parser took
most of the load stage of a cached rebuild, hence libyaml's C loader where
PyYAML has it). Account files are untrusted, so two more guards:

- aliases may not expand a document past `MAX_NODES` values nor nest it past
  `MAX_DEPTH` (a 427-byte "billion laughs" file expanded to 1.9 GB before);
- `load_fields` builds each top-level value on its own, so a value YAML
  accepts but Python cannot build (`date: 2016-02-30`, `!!int abc`, a
  5,000-digit integer) costs that field only, reported with its line.
"""
from __future__ import annotations

from typing import IO, Any, Union

import yaml

YAMLError = yaml.YAMLError
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 10_000   # values a document may hold once its aliases are expanded
MAX_DEPTH = 64       # nesting of mappings and lists


class TooLarge(yaml.YAMLError):
    """A document whose aliases expand it past the limits."""


def check_bounds(text: str) -> None:
    """Raise TooLarge if `text` expands past MAX_NODES values or nests past MAX_DEPTH.

    Reads parser events only (nothing is built): each anchored node's expanded
    size is remembered, and an alias adds that size where it is used.
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]
    total = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            grown = sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            grown = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH + 1:
                raise TooLarge(f"nested deeper than {MAX_DEPTH} levels")
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, grown = stack.pop()
            if anchor:
                sizes[anchor] = grown
            stack[-1][1] += grown
            continue
        else:
            continue
        stack[-1][1] += grown
        total += grown
        if total > MAX_NODES:
            raise TooLarge(f"aliases expand it past {MAX_NODES:,} values")


def safe_load(stream: Union[str, IO[str]]) -> Any:
    """`yaml.safe_load` within the bounds above."""
    text = stream if isinstance(stream, str) else stream.read()
    check_bounds(text)
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


FieldError = tuple[str, int, str]   # (key, line within the text, 1-based; problem)


def load_fields(text: str) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """A top-level mapping built one value at a time: (fields, the values that failed).

    None for the fields when the document is not a mapping. A key that is not
    text is skipped. Raises YAMLError when the text does not parse at all or
    passes the bounds.
    """
    check_bounds(text)
    node = yaml.compose(text, Loader=_LOADER)
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return None, []
    fields: dict[str, Any] = {}
    failed: list[FieldError] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = key_node.value
        try:
            fields[key] = yaml.SafeLoader("").construct_document(value_node)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
            problem = (getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
                       if str(exc).strip() else type(exc).__name__)
            failed.append((key, value_node.start_mark.line + 1, str(problem)))
    return fields, failed
