"""Account dates (#16): where a post's own date is found, and relative dates read against it.

Every account here is invented. Each test pairs what must be found with what
must not: a date is never guessed where the account gives none.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.dates import date_in_name, letter_date, normalise
from graph.errors import KgError
from graph.load import load_paths


def _dates(folder: Path, date_from: str = "filename") -> dict[str, str | None]:
    return {a.id: a.date for a in load_paths([folder], date_from=date_from).accounts}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_sidecar_dateline_posted_on_and_letter_heading(tmp_path):
    _write(tmp_path, "front.md", "---\ntitle: Why\ndate: 2014-03-02\n---\nI resigned as treasurer.\n")
    _write(tmp_path, "side.txt", "Why I left\n\nI resigned as treasurer.\n")
    _write(tmp_path, "side.json", '{"date": "9 October 2012"}')
    _write(tmp_path, "dateline.txt", "Why I left\n\nUpdated: 12 July 2016 at 10:30\n\nI resigned.\n")
    _write(tmp_path, "posted.txt", "Why I left\n\nPosted on 3rd May 2015\n\nI resigned.\n")
    _write(tmp_path, "letter.txt", "To the members\n\nNorthtown, 4th June 2013\n\nDear members,\n\nI resign.\n")
    _write(tmp_path, "address.txt", "To the members\n\n12 High Street, Northtown\n\nDear members,\n\nI resign.\n")
    assert _dates(tmp_path) == {"address": None, "dateline": "2016-07-12", "front": "2014-03-02",
                                "letter": "2013-06-04", "posted": "2015-05-03", "side": "2012-10-09"}


def test_html_time_and_meta_tags(tmp_path):
    body = "<p>I resigned as treasurer of the branch after a long and difficult year of arguments.</p>"
    _write(tmp_path, "timed.html", f"<html><head><title>T</title></head><body><article><h1>T</h1>"
                                   f"<time datetime=\"2011-02-03\">3 Feb</time>{body}</article></body></html>")
    _write(tmp_path, "meta.html", "<html><head><title>T</title><meta property=\"article:published_time\" "
                                  f"content=\"2010-09-08T10:00:00Z\"></head><body><article>{body}</article>"
                                  "</body></html>")
    _write(tmp_path, "plain.html", f"<html><head><title>T</title></head><body><article>{body}</article>"
                                   "</body></html>")
    assert _dates(tmp_path) == {"meta": "2010-09-08", "plain": None, "timed": "2011-02-03"}


def test_file_name_date_by_default_mtime_only_when_asked(tmp_path):
    named = _write(tmp_path, "2019-03-04-my-story.txt", "My story\n\nI quit the party.\n")
    plain = _write(tmp_path, "story.txt", "My story\n\nI quit the party.\n")
    own = _write(tmp_path, "2001-01-01-dated.txt", "My story\n\nPosted on 5 May 2015\n\nI quit the party.\n")
    for path in (named, plain, own):
        os.utime(path, (1_262_304_000, 1_262_304_000))  # 2010-01-01 UTC
    assert _dates(tmp_path) == {"2019-03-04-my-story": "2019-03-04", "story": None,
                                "2001-01-01-dated": "2015-05-05"}  # the text's own date wins
    assert _dates(tmp_path, "none") == {"2019-03-04-my-story": None, "story": None,
                                        "2001-01-01-dated": "2015-05-05"}
    assert _dates(tmp_path, "mtime")["story"] == "2010-01-01"
    with pytest.raises(KgError, match="unknown date source"):
        load_paths([tmp_path], date_from="ctime")


@pytest.mark.parametrize("name, iso", [
    ("2015-05-03-why-i-left", "2015-05-03"), ("20150503_statement", "2015-05-03"),
    ("minutes-2015-05", "2015-05"), ("000_30ce98ccfa66027a", None), ("report201505", None),
    ("2015-13-01", None), ("post-2015", None),
])
def test_date_in_a_file_name(name, iso):
    assert date_in_name(name) == iso


def test_letter_heading_needs_a_place_and_a_whole_day():
    assert letter_date("Northtown, 3rd May 2015") == "2015-05-03"
    assert letter_date("Northtown, May 2015") is None
    assert letter_date("12 High Street, Northtown") is None
    assert letter_date("I resigned on 3 May 2015, after the meeting") is None


@pytest.mark.parametrize("text, account_date, iso", [
    ("on Monday", "2015-05-06", "2015-05-04"),       # a Wednesday's report: the Monday before
    ("Wednesday", "2015-05-06", "2015-05-06"),       # its own weekday is that day
    ("last Wednesday", "2015-05-06", "2015-04-29"),
    ("yesterday", "2015-05-06", "2015-05-05"),
    ("last month", "2015-05-06", "2015-04"),
    ("last July", "2015-05-06", "2014-07"),
    ("in July", "2015-09-06", "2015-07"),
])
def test_relative_dates_read_against_the_account_date(text, account_date, iso):
    assert normalise(text, account_date) == iso


@pytest.mark.parametrize("text, account_date", [
    ("on Monday", None), ("last July", None), ("yesterday", None),
    ("on Monday", "2015-05"), ("on Monday", "2015"),   # a month's Monday is any of four
    ("last week", "2015-05-06"),                      # a week is no date of ours
])
def test_relative_dates_are_never_guessed(text, account_date):
    assert normalise(text, account_date) is None
