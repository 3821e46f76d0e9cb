"""Load stage: files in, Accounts out, with offsets that point back into the file."""
from __future__ import annotations

import codecs
import json
import logging
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import KgError
from graph.load import LoadMemo, LoadResult, find_files, load_file, load_paths, read_source
from graph.load import files as files_module
from graph.load.text import analyse
from graph.model import Account
from graph.paths import BUNDLED_ACCOUNTS

POST = BUNDLED_ACCOUNTS / "000_30ce98ccfa66027a.txt"
NEWS = BUNDLED_ACCOUNTS / "003_72afb4e96509b98c.txt"

STATEMENT = (
    "Leaving the Testford branch\n\n"
    "By Pat Example\n\n"
    "I resigned as secretary of the branch after the café meeting; the room cost £5 "
    "and the chair said “enough”.\n\n"
    "I remain a member.\n"
)


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def _assert_offsets(path: Path, accounts: list[Account]) -> None:
    """Every non-blank character of an account sits at acc.offset + i in the file."""
    source = read_source(path)
    for acc in accounts:
        for i, ch in enumerate(acc.text):
            if not ch.isspace():
                assert source[acc.offset + i] == ch, (acc.id, i)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Account]:
    result = load_paths([BUNDLED_ACCOUNTS])
    assert result.skipped == []
    return {a.id: a for a in result.accounts}


# ------------------------------------------------------------------ bundled corpus

def test_bundled_titles_authors_dates(bundled: dict[str, Account]) -> None:
    post = bundled["000_30ce98ccfa66027a"]
    assert post.title == "Why I had to go. But don’t mess up; I’ll be watching."
    assert post.author == "Jon Clempner"
    assert post.date is None  # "Feb 01" has no year: not a date
    assert post.source == "000_30ce98ccfa66027a.txt"
    news = bundled["003_72afb4e96509b98c"]
    assert news.title == "Doorknocking and divisions: a year in the life of a constituency Labour party secretary"
    assert news.author == "James Coldwell"
    assert news.date == "2016-08-15"
    assert bundled["001_832e770bf587d685"].title == "Stepping Down but Not Quitting"
    assert bundled["004_3deae4f4f57f9920"].title == "The CLP and the Compliance Unit in Collusion"
    # a first line that is a whole paragraph gives its first sentence as the title
    assert bundled["002_207178a66fb22d44"].title == "This report covers the NEC meetings on 12 and 19 July."


def test_bundled_ids_are_stems_in_file_order(bundled: dict[str, Account]) -> None:
    posts = [a.id for a in bundled.values() if a.parent is None]
    assert posts == sorted(p.stem for p in BUNDLED_ACCOUNTS.glob("*.txt"))


def test_comment_thread_becomes_accounts_told_by_commenters(bundled: dict[str, Account]) -> None:
    comments = [a for a in bundled.values() if a.parent == "000_30ce98ccfa66027a"]
    assert [c.author for c in comments] == ["George Kieffer", "Paul McLintic", "David"]
    assert [c.id for c in comments] == [f"000_30ce98ccfa66027a#comment-{n}" for n in (1, 2, 3)]
    assert comments[0].source == "000_30ce98ccfa66027a.txt#comment-1"
    assert comments[0].title.startswith("Comment by George Kieffer on Why I had to go")
    assert comments[0].text.startswith("Dear John")
    assert "Kind regards" in comments[0].text and "Paul" not in comments[0].text
    assert comments[2].text.rstrip().endswith("still living in hope for the future of our party,")
    assert "Leave a Reply" not in comments[2].text


def test_post_text_stops_before_the_thread(bundled: dict[str, Account]) -> None:
    text = bundled["000_30ce98ccfa66027a"].text
    assert text.rstrip().endswith("Don’t mess up – I will be watching.")
    for piece in ("George Kieffer", "Genuinely sorry", "Paul McLintic", "David .", "Leave a Reply"):
        assert piece not in text


def test_boilerplate_dropped_body_kept(bundled: dict[str, Account]) -> None:
    text = bundled["003_72afb4e96509b98c"].text
    for junk in ("Support 110 years", "Spotlight on Policy", "enter your email", "Arts and Culture",
                 "Wellbeing, Community", "privacy Policy", "Content from our partners",
                 "private markets", "dementia crisis"):
        assert junk not in text, junk
    for kept in ("I’d always assumed that no one became", "Substantive discussion of Labour’s trajectory",
                 "I wouldn’t rule anything out."):
        assert kept in text, kept


def test_offsets_point_into_the_file(bundled: dict[str, Account]) -> None:
    for path in sorted(BUNDLED_ACCOUNTS.glob("*.txt")):
        accounts = [a for a in bundled.values() if a.source.split("#")[0] == path.name]
        assert accounts
        _assert_offsets(path, accounts)
    comment = bundled["000_30ce98ccfa66027a#comment-2"]
    assert read_source(POST)[comment.offset:].startswith("Hi Jon")


def test_load_is_deterministic() -> None:
    assert load_paths([BUNDLED_ACCOUNTS]) == load_paths([BUNDLED_ACCOUNTS])


# ------------------------------------------------------------------ finding files

def test_find_files_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "e.markdown",
                 "notes.json", "img.png", ".hidden.txt", ".git/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        _write(tmp_path, name, "x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_files([tmp_path])]
    assert found == ["a.md", "b.txt", "e.markdown", "sub/c.html", "sub/deeper/d.htm"]


def test_missing_path_raises_kg_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "gone.txt"
    with pytest.raises(KgError) as err:
        find_files([missing])
    assert str(missing) in err.value.message
    assert err.value.exit_code == 2
    with pytest.raises(KgError):
        load_paths([missing])


def test_folder_without_accounts_raises_kg_error(tmp_path: Path) -> None:
    _write(tmp_path, "data.xlsx", "a,b\n")  # .csv is a collection now
    with pytest.raises(KgError, match=str(tmp_path)):
        find_files([tmp_path])


def test_same_stem_gets_a_deterministic_suffix(tmp_path: Path) -> None:
    _write(tmp_path, "note.txt", "Note one\n\nI left.\n")
    _write(tmp_path, "note.md", "Note two\n\nI stayed.\n")
    accounts = load_paths([tmp_path]).accounts
    assert [(a.id, a.source) for a in accounts] == [("note", "note.md"), ("note-2", "note.txt")]


# ------------------------------------------------------------------ metadata

def test_title_pipe_author_byline_and_signature(tmp_path: Path) -> None:
    piped = load_file(_write(tmp_path, "a.txt", "Why I went | Sam Teller\n\nI resigned.\n"))[0]
    assert (piped.title, piped.author) == ("Why I went", "Sam Teller")
    site = load_file(_write(tmp_path, "b.txt", "Why I went | The Daily Blog\n\nI resigned.\n"))[0]
    assert (site.title, site.author) == ("Why I went", None)
    byline = load_file(_write(tmp_path, "c.txt", STATEMENT))[0]
    assert byline.author == "Pat Example"
    signed = load_file(_write(tmp_path, "d.txt", "My statement\n\nI resign today.\n\nBest wishes,\nKim Doe\n"))[0]
    assert signed.author == "Kim Doe"
    dashed = load_file(_write(tmp_path, "e.txt", "Statement\n\nI resign today.\n\n— Lee Sample\n"))[0]
    assert dashed.author == "Lee Sample"


@pytest.mark.parametrize(("line", "date"), [
    ("15 August 2016updated 09 Sep 2021 10:58am", "2016-08-15"),
    ("Posted on March 3rd, 2017", "2017-03-03"),
    ("January 2018", "2018-01"),
    ("2017", "2017"),
    ("2019-04-30", "2019-04-30"),
    ("Feb 01", None),
    ("Monday 8th of January", None),
])
def test_date_from_a_dateline(tmp_path: Path, line: str, date: str | None) -> None:
    acc = load_file(_write(tmp_path, "a.txt", f"{line}\n\nA title\n\nI resigned in May 2015 as chair.\n"))[0]
    assert acc.date == date
    assert acc.title == "A title"


def test_front_matter_overrides_and_is_not_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "fm.md", "---\ntitle: Given Title\nauthor: Robin Sample\ndate: 2019-03-04\n"
                                     "url: https://example.org/p\n---\nGuessed Title | Other Person\n\nI left.\n")
    acc = load_file(path)[0]
    assert (acc.title, acc.author, acc.date, acc.url) == (
        "Given Title", "Robin Sample", "2019-03-04", "https://example.org/p")
    assert "Robin" not in acc.text and acc.text.startswith("Guessed Title")
    _assert_offsets(path, [acc])


def test_sidecar_overrides_front_matter_and_text(tmp_path: Path) -> None:
    _write(tmp_path, "s.txt", "---\nauthor: Robin Sample\n---\nGuessed | Other Person\n\nI left.\n")
    _write(tmp_path, "s.json", '{"title": "Side Title", "author": "Alex Person", "date": "May 2018"}')
    acc = load_paths([tmp_path]).accounts[0]
    assert (acc.title, acc.author, acc.date) == ("Side Title", "Alex Person", "2018-05")


def test_malformed_sidecar_warns_with_file_and_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "s.txt", "Text Title | Alex Person\n\nI left.\n")
    _write(tmp_path, "s.json", '{"title": "From JSON",\n "date": "May 2018",\n}')
    with caplog.at_level(logging.WARNING):
        acc = load_file(path)[0]
    assert (acc.title, acc.author, acc.date) == ("Text Title", "Alex Person", None)
    assert any("s.json:3:" in r.getMessage() for r in caplog.records), caplog.text


def test_malformed_front_matter_warns_with_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "f.md", "---\ntitle: fine\nauthor: [unclosed\nx: y\n---\nBody Title\n\nI left.\n")
    with caplog.at_level(logging.WARNING):
        acc = load_file(path)[0]
    assert acc.title == "Body Title"
    assert "unclosed" not in acc.text
    assert any(f"{path}:" in r.getMessage() and "front matter" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------ boilerplate and threads

def test_boilerplate_is_blanked_not_deleted(tmp_path: Path) -> None:
    text = ("Support 12 years of independent journalism.\n"
            "A Title Here\n\nI was elected treasurer.\n"
            "Enter your email address to sign up for our newsletter.\n"
            + "".join(f"  • Category {n}\n" for n in range(10))
            + "Visit our privacy policy for more information.\n"
            "I resigned a year later.\n\nContent from our partners\nHow to buy a sofa\n")
    path = _write(tmp_path, "b.txt", text)
    acc = load_file(path)[0]
    assert acc.text.startswith("A Title Here") and acc.text.endswith("I resigned a year later.")
    for junk in ("independent journalism", "newsletter", "Category", "privacy", "partners", "sofa"):
        assert junk not in acc.text
    assert acc.text.count("\n") == text[acc.offset:acc.offset + len(acc.text)].count("\n")
    _assert_offsets(path, [acc])


def test_says_thread_with_heading(tmp_path: Path) -> None:
    text = ("A post title\n\nI quit today. It was hard.\n\n2 thoughts on “A post title”\n\n"
            "Jo Bloggs says:\nMarch 3, 2017 at 10:02 pm\nI agree with you. I also left.\nReply\n\n"
            "sam99 says:\nMarch 4, 2017 at 9:00 am\nI stayed.\nReply\n\n"
            "Leave a Reply\nYour email address will not be published.\nName *\n")
    path = _write(tmp_path, "t.txt", text)
    post, *comments = load_file(path)
    assert post.text == "A post title\n\nI quit today. It was hard."
    assert [(c.author, c.date) for c in comments] == [("Jo Bloggs", "2017-03-03"), ("sam99", "2017-03-04")]
    assert comments[1].text.endswith("I stayed.")
    _assert_offsets(path, [post, *comments])


def test_a_thread_of_one_is_announced_in_the_singular(tmp_path: Path) -> None:
    """"One thought on “…”", "1 response to …": the heading of a thread of one comment; it is no
    part of the post (the post's title said once more would be an event told twice)."""
    text = ("My selection convention\n\nI was not selected tonight.\n\nOne thought on “My selection convention\n\n"
            "Jo Bloggs says:\nMarch 3, 2017 at 10:02 pm\nHard luck. I voted for you.\n")
    post, comment = load_file(_write(tmp_path, "t.txt", text))
    assert post.text == "My selection convention\n\nI was not selected tonight."
    assert comment.author == "Jo Bloggs" and comment.text.endswith("Hard luck. I voted for you.")
    _assert_offsets(_write(tmp_path, "t.txt", text), [post, comment])
    single = "A title\n\nI left.\n\n1 response to “A title”\n\nsam99 says:\nMarch 4, 2017 at 9:00 am\nI stayed.\n"
    post, comment = load_file(_write(tmp_path, "r.txt", single))
    assert "response" not in post.text and comment.author == "sam99"
    prose = "A title\n\nOne thought on the matter stayed with me all week.\n"
    assert "One thought on the matter" in load_file(_write(tmp_path, "p.txt", prose))[0].text


def test_said_header_without_heading_needs_a_timestamp(tmp_path: Path) -> None:
    quote = "A title\n\nWe met on Tuesday.\n\nJane Roe said:\n\n“We are not going anywhere.”\n\nI left.\n"
    assert len(load_file(_write(tmp_path, "q.txt", quote))) == 1  # a quotation, not a comment
    thread = "A title\n\nI left.\n\nJane Roe said:\n12 May 2019 at 3:10 pm\nGood luck.\n"
    post, comment = load_file(_write(tmp_path, "c.txt", thread))
    assert (comment.author, comment.date, post.text) == ("Jane Roe", "2019-05-12", "A title\n\nI left.")


def test_numbered_list_in_body_is_not_a_thread(tmp_path: Path) -> None:
    text = "A title\n\nMy reasons were:\n  1. the leadership\n  2. the rules\n\nI left.\n"
    (acc,) = load_file(_write(tmp_path, "n.txt", text))
    assert "the leadership" in acc.text


# ------------------------------------------------------------------ encodings and bad files

@pytest.mark.parametrize(("name", "encode"), [
    ("utf8.txt", lambda s: s.encode("utf-8")),
    ("utf8bom.txt", lambda s: codecs.BOM_UTF8 + s.encode("utf-8")),
    ("utf16.txt", lambda s: s.encode("utf-16")),          # with a BOM
    ("utf16be.txt", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be")),
    ("cp1252.txt", lambda s: s.encode("cp1252")),
    ("latin1.txt", lambda s: s.replace("“", '"').replace("”", '"').encode("latin-1")),
])
def test_encodings_decode_correctly(tmp_path: Path, name: str, encode) -> None:
    path = _write(tmp_path, name, encode(STATEMENT))
    acc = load_file(path)[0]
    assert "café meeting" in acc.text and "£5" in acc.text
    assert acc.title == "Leaving the Testford branch" and acc.author == "Pat Example"
    _assert_offsets(path, [acc])


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\t\r\n ", "empty"),
    ("doc.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n", "PDF"),
    ("pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    ("nul.txt", b"abc\x00\x01\x02def" * 20, "NUL"),
    ("noise.txt", bytes(range(1, 32)) * 20, "control character"),
])
def test_unusable_files_skipped_with_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                             name: str, data: bytes, reason: str) -> None:
    _write(tmp_path, "good.txt", STATEMENT)
    bad = _write(tmp_path, name, data)
    with caplog.at_level(logging.WARNING, logger="graph.load"):
        result = load_paths([tmp_path])
    assert isinstance(result, LoadResult)
    assert [a.id for a in result.accounts] == ["good"]
    assert len(result.skipped) == 1 and result.skipped[0][0] == str(bad)
    assert reason in result.skipped[0][1]
    assert any(str(bad) in r.getMessage() for r in caplog.records)
    assert load_file(bad) == []


def test_crlf_offsets_hold(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.txt", STATEMENT.replace("\n", "\r\n"))
    acc = load_file(path)[0]
    assert acc.author == "Pat Example"
    _assert_offsets(path, [acc])


# ------------------------------------------------------------------ HTML

def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = ("<html><head><title>Why I left | Dana Writer</title>"
            '<meta property="article:published_time" content="2018-02-03"></head><body>'
            "<nav><ul><li>Home</li><li>Archive</li></ul></nav><article><h1>Why I left</h1>"
            "<p>I resigned from the committee in January after three years as treasurer. The meetings "
            "had become hostile and nobody listened to members any more, so I decided to go.</p>"
            "<p>I am still a member and will keep campaigning locally.</p></article>"
            "<footer>Privacy policy</footer></body></html>")
    acc = load_file(_write(tmp_path, "page.html", html))[0]
    assert (acc.title, acc.author, acc.date) == ("Why I left", "Dana Writer", "2018-02-03")
    assert "I resigned from the committee" in acc.text and "keep campaigning" in acc.text
    assert "Archive" not in acc.text and "Privacy" not in acc.text


def test_html_fallback_for_a_tiny_page(tmp_path: Path) -> None:
    acc = load_file(_write(tmp_path, "tiny.htm", "<html><head><title>Short</title></head>"
                                                 "<body><p>I quit.</p></body></html>"))[0]
    assert acc.title == "Short" and "I quit." in acc.text


# ------------------------------------------------------------------ scale and property

def test_ten_megabyte_file_loads(tmp_path: Path) -> None:
    para = "I resigned as Chair of the branch on 3 March 2017. The secretary said nothing.\n\n"
    text = "A very long account\n\n" + para * (10_000_000 // len(para)) + "  1. Jo Bloggs /\n    Well said.\n"
    path = _write(tmp_path, "big.txt", text)
    start = time.perf_counter()
    post, comment = load_file(path)
    assert time.perf_counter() - start < 60
    assert len(post.text) > 9_900_000 and comment.author == "Jo Bloggs"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("ab Z1.:/•-|\n\r\t") + [
    "says:", "1. Jo Doe /", "Comments", "Leave a Reply", "By Al Bo", "é", "’", "---\n", "March 2017"]),
    max_size=120).map("".join) | st.text(max_size=300))
def test_random_text_never_raises_and_offsets_hold(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode("utf-8"))
    accounts = load_file(path)
    if accounts:
        _assert_offsets(path, accounts)
    layout = analyse(text)
    assert len(layout.blanked) == len(text)


def test_rules_around_plain_text_are_not_front_matter(tmp_path: Path) -> None:
    acc = load_file(_write(tmp_path, "r.txt", "---\nA plain opening line\n---\nI left the party.\n"))[0]
    assert "A plain opening line" in acc.text and acc.title == "A plain opening line"


def test_prose_about_responses_is_not_a_thread_heading(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "A title\n\nWe consulted members.\nTwo responses to the consultation were received.\nI left.\n"
    with caplog.at_level(logging.WARNING):
        (acc,) = load_file(_write(tmp_path, "p.txt", text))
    assert acc.text.endswith("I left.") and not caplog.records


def test_thread_without_headers_is_left_out_with_warning(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    text = "A title\n\nI left.\n\n3 comments\n\ngreat post, well done\nagree with all of this\n"
    path = _write(tmp_path, "u.txt", text)
    with caplog.at_level(logging.WARNING):
        (acc,) = load_file(path)
    assert acc.text == "A title\n\nI left."
    assert any(f"{path}:5:" in r.getMessage() for r in caplog.records)


def test_a_memo_reloads_only_the_files_that_changed(tmp_path, monkeypatch):
    """kg serve's rebuild re-reads a changed file (or one whose sidecar changed), not the others."""
    (tmp_path / "a.txt").write_text("A title\n\nAnn Smith resigned as Chair of the Testford Labour Party.\n")
    (tmp_path / "b.txt").write_text("B title\n\nBob Jones was elected Leader of Testford Council.\n")
    read: list[str] = []
    real = files_module._load
    monkeypatch.setattr(files_module, "_load", lambda path, *a: read.append(path.name) or real(path, *a))
    memo = LoadMemo()
    first = load_paths([tmp_path], memo=memo)
    assert sorted(read) == ["a.txt", "b.txt"]
    read.clear()
    again = load_paths([tmp_path], memo=memo)
    assert read == [] and again.accounts == first.accounts  # nothing changed: nothing read
    b = tmp_path / "b.txt"
    b.write_text("B title\n\nBob Jones was elected Mayor of Testford Council.\n")
    os.utime(b, ns=(b.stat().st_atime_ns, b.stat().st_mtime_ns + 1_000_000))
    changed = load_paths([tmp_path], memo=memo)
    assert read == ["b.txt"] and any("Mayor" in acc.text for acc in changed.accounts)
    read.clear()
    (tmp_path / "a.json").write_text(json.dumps({"author": "Ann Smith"}))  # a new sidecar: a.txt again
    with_sidecar = load_paths([tmp_path], memo=memo)
    assert read == ["a.txt"]
    assert next(acc for acc in with_sidecar.accounts if acc.id == "a").author == "Ann Smith"
    read.clear()
    (tmp_path / "b.txt").unlink()
    assert [acc.id for acc in load_paths([tmp_path], memo=memo).accounts] == ["a"] and read == []
