"""graph.dates: the one reader of dates, for account metadata, event expressions and RDF types."""
from __future__ import annotations

import datetime as dt

import pytest

from graph.dates import find_date, is_dateline, iso_precision, normalise, normalize_date


@pytest.mark.parametrize("text, iso", [
    ("Posted on 3rd May 2016", "2016-05-03"),
    ("May 3, 2016", "2016-05-03"),
    ("03/05/2016", "2016-05-03"),          # UK order: day first
    ("2016-05", "2016-05"),
    ("September 2015", "2015-09"),
])
def test_find_date_reads_the_precision_the_text_gives(text, iso):
    assert find_date(text) == iso


def test_find_date_takes_a_bare_year_only_when_asked_and_refuses_impossible_days():
    assert find_date("in 2015 we lost") is None
    assert find_date("2015", year_only=True) == "2015"
    assert find_date("31 February 2016") is None


def test_dateline_is_a_line_that_only_says_when():
    assert is_dateline("Updated: 12 July 2016 at 10:30")
    assert not is_dateline("I resigned on 12 July 2016")
    assert not is_dateline("Updated")


def test_metadata_dates_from_yaml_values_and_free_text():
    assert normalize_date(dt.date(2017, 2, 3)) == "2017-02-03"
    assert normalize_date(dt.datetime(2017, 2, 3, 9, 30)) == "2017-02-03"
    assert normalize_date(2015) == "2015"
    assert normalize_date("Friday, 3 February 2017") == "2017-02-03"
    assert normalize_date("Feb 01") is None        # no year: not guessed
    assert normalize_date("") is None and normalize_date(None) is None


@pytest.mark.parametrize("text, anchor, iso", [
    ("in May 2015", None, "2015-05"),
    ("12 July 2016", None, "2016-07-12"),
    ("1983", None, "1983"),
    ("last July", "2016-08-01", "2015-07"),
    ("in October", "2016-08", "2015-10"),    # a later month than the account's: the year before
    ("last year", "2016-08", "2015"),
])
def test_event_date_expressions_relative_to_the_account(text, anchor, iso):
    assert normalise(text, anchor) == iso


def test_event_date_without_a_year_to_stand_on_is_left_out():
    assert normalise("last July") is None
    assert normalise("on Tuesday") is None
    assert normalise("on Tuesday", "2016-08") is None  # which Tuesday of August? (a dated day reads it: #16)


def test_iso_precision_types_each_form_and_nothing_else():
    assert iso_precision("2016-07-12") == ("2016-07-12", "date")
    assert iso_precision("2016-07-12T10:00:00") == ("2016-07-12", "date")
    assert iso_precision(" 2016-07 ") == ("2016-07", "gYearMonth")
    assert iso_precision("2016") == ("2016", "gYear")
    assert iso_precision("July 2016") is None
