"""JSON Schemas for the Popolo records kg exports, written here from the Popolo specification.

No package on PyPI or npm ships the Popolo project's own schema files, and nothing can be
fetched at test time, so these encode the specification (popoloproject.com/specs: the
Person, Organization, Membership, Post and Event classes, their properties and the
"YYYY, YYYY-MM, YYYY-MM-DD" dates) for `jsonschema`. They are stricter than the
specification in one way, on purpose: a property the specification does not define is
refused (`additionalProperties: false`), so an exporter that invents a field fails; the one
exception is named below.
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

# Popolo's dates: a year, a month or a day, optionally a time (ISO 8601 subset).
DATE = {"type": "string",
        "pattern": r"^[0-9]{4}((-[0-9]{2}){0,2}|-[0-9]{2}-[0-9]{2}T[0-9]{2}(:[0-9]{2}){0,2}(Z|[+-][0-9]{2}(:[0-9]{2})?))$"}
TEXT = {"type": "string"}
ID = {"type": "string", "minLength": 1}
TIMESTAMP = {"type": "string", "format": "date-time"}


def _record(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


LINK = _record(["url"], url={"type": "string", "format": "uri"}, note=TEXT)
IDENTIFIER = _record(["identifier"], identifier=TEXT, scheme=TEXT)
CONTACT = _record(["type", "value"], label=TEXT, type=TEXT, value=TEXT, note=TEXT, valid_from=DATE,
                  valid_until=DATE, sources=_list(LINK))
OTHER_NAME = _record(["name"], name=TEXT, family_name=TEXT, given_name=TEXT, additional_name=TEXT,
                     honorific_prefix=TEXT, honorific_suffix=TEXT, patronymic_name=TEXT, start_date=DATE,
                     end_date=DATE, note=TEXT)
_common = {"sources": _list(LINK), "links": _list(LINK), "contact_details": _list(CONTACT),
           "created_at": TIMESTAMP, "updated_at": TIMESTAMP}

PERSON = _record(["name"], id=ID, name=TEXT, other_names=_list(OTHER_NAME), identifiers=_list(IDENTIFIER),
                 family_name=TEXT, given_name=TEXT, additional_name=TEXT, honorific_prefix=TEXT,
                 honorific_suffix=TEXT, patronymic_name=TEXT, sort_name=TEXT, email={"type": "string", "format": "email"},
                 gender=TEXT, birth_date=DATE, death_date=DATE, image={"type": "string", "format": "uri"},
                 summary=TEXT, biography=TEXT, national_identity=TEXT, **_common)
ORGANIZATION = _record(["name"], id=ID, name=TEXT, other_names=_list(OTHER_NAME), identifiers=_list(IDENTIFIER),
                       classification=TEXT, parent_id=ID, area_id=ID, abstract=TEXT, description=TEXT,
                       founding_date=DATE, dissolution_date=DATE, image={"type": "string", "format": "uri"},
                       **_common)
# Popolo's Membership defines no `identifiers`; kg keeps the membership's graph IRI there, the one
# property added to a class (the specification lets implementations add properties), and allowed here.
MEMBERSHIP = _record([], id=ID, label=TEXT, role=TEXT, person_id=ID, organization_id=ID, post_id=ID,
                     on_behalf_of_id=ID, area_id=ID, start_date=DATE, end_date=DATE,
                     identifiers=_list(IDENTIFIER), **_common)
POST = _record([], id=ID, label=TEXT, other_label=_list(TEXT), role=TEXT, organization_id=ID, area_id=ID,
               start_date=DATE, end_date=DATE, **_common)
ATTENDEE = _record(["name"], id=ID, name=TEXT)  # an event's attendees are people, named
EVENT = _record(["name"], id=ID, name=TEXT, description=TEXT, start_date=DATE, end_date=DATE, location=TEXT,
                status=TEXT, identifiers=_list(IDENTIFIER), classification=TEXT, organization_id=ID,
                attendees=_list(ATTENDEE), parent_id=ID, sources=_list(LINK), created_at=TIMESTAMP,
                updated_at=TIMESTAMP)

SCHEMAS = {"persons": PERSON, "organizations": ORGANIZATION, "memberships": MEMBERSHIP, "posts": POST,
           "events": EVENT}


def validators() -> dict[str, Draft202012Validator]:
    """One validator per collection of a Popolo document, formats (uri, date-time) checked."""
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)
    return {c: Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)
            for c, s in SCHEMAS.items()}
