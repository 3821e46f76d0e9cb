"""Inputs beyond text and HTML: PDF (with pages), Word, e-mail and .jsonl/.csv collections.

Every file here is made by the test itself (fpdf2, pypdf, python-docx, the
standard library's email package). One build of all of them is shared by
the tests that look at evidence, so spaCy is loaded once.
"""
from __future__ import annotations

import io
import json
import logging
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from graph.cli import main
from graph.exporters.ftm import ftm
from graph.exporters.popolo import popolo
from graph.load import Fields, find_files, load_file, load_paths
from graph.model import Account
from graph.payload import pack, unpack
from graph.store import open_graph
from graph.view import read_view

PAGE_ONE = ("Why I stood down\n\n"
            "I resigned as chair of the Northfield Labour Party on 3 May 2017. The decision was mine alone.")
PAGE_TWO = "Tom Smith was appointed secretary of the Northfield branch."
PAGE_THREE = "Ann Other was elected leader of the council group."


def make_pdf(pages: list[str], title: str | None = None, author: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 100, 140, style="F")  # a "scan": a picture, no text
    return bytes(pdf.output())


def encrypt(data: bytes, user: str, owner: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(author: str | None = None) -> bytes:
    doc = docx.Document()
    if author:
        doc.core_properties.author = author
    doc.add_heading("Statement from the Westfield branch", 1)
    doc.add_paragraph("Ann Other resigned as treasurer of the Westfield Labour Party.")
    table = doc.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Officer", (0, 1): "Post", (1, 0): "Bob Brown", (1, 1): "Chair"}.items():
        table.cell(r, c).text = text
    doc.add_paragraph("Bob Brown was elected chair of the branch in June 2018.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_email(body: str, html: str | None = None, sender: str = "Jane Doe <jane@example.org>") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "members@example.org"
    msg["Subject"] = "My resignation from the Eastfield branch"
    msg["Date"] = "Wed, 03 May 2017 23:30:00 -0500"
    if body:
        msg.set_content(body)
    if html:
        if body:
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
    return bytes(msg)


REPLY = ("Dear all,\n\nI have resigned as secretary of the Eastfield branch.\n\n"
         "On 1 May, Carl Quoted wrote:\n> Carl Quoted was suspended by the party.\n\nJane\n")

RECORDS = [
    {"text": "Bob Brown was elected leader of the council.", "author": "Sam Poster", "date": "2018-01-02",
     "title": "Council news"},
    {"body": "no text field in this one"},
    {"text": "  Carol White resigned from the cabinet.  ", "user": {"name": "Kim Lee"}},
]
CSV = ('text,author,date\n'
       '"Dan Green was suspended by the party.",Lee Writer,2019-03-04\n'
       '"A post over two lines:\nEve Black was appointed whip of the group.",Max Poster,\n')


def write_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "letter.pdf").write_bytes(make_pdf([PAGE_ONE, PAGE_TWO, PAGE_THREE], title="Letter", author="jsmith"))
    (folder / "statement.docx").write_bytes(make_docx(author="admin"))
    (folder / "reply.eml").write_bytes(make_email(REPLY))
    (folder / "posts.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    (folder / "rows.csv").write_text(CSV, encoding="utf-8", newline="")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = write_inputs(tmp_path_factory.mktemp("inputs") / "in")
    out = folder.parent / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--no-html",
                                       "--author-field", "user.name"])
    assert result.exit_code == 0, result.output
    return folder, out / "graph.trig"


def _accounts(folder: Path) -> dict[str, Account]:
    return {a.source: a for a in load_paths([folder], fields=Fields(author="user.name")).accounts}


# ------------------------------------------------------------------------- PDF

def test_pdf_pages_are_kept_as_offsets(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf([PAGE_ONE, PAGE_TWO, PAGE_THREE]))
    [acc] = load_file(path)
    assert len(acc.pages) == 3 and acc.pages[0] == 0
    full = acc.text
    assert acc.page(full.index("Tom Smith")) == 2
    assert acc.page(full.index("Ann Other")) == 3
    assert acc.page(full.index("I resigned")) == 1
    assert acc.title == "Why I stood down"  # from the text: the title line, not the document property
    assert acc.author is None  # the property "jsmith" is no person's name


def test_pdf_document_properties_are_a_fallback(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    path.write_bytes(make_pdf(["", "Tom Smith was appointed secretary."], title="Branch memo",
                              author="Pat Example"))
    [acc] = load_file(path)
    assert acc.author == "Pat Example"  # person-shaped, and the text names no teller
    assert acc.page(acc.text.index("Tom Smith")) == 2  # page 1 (an image) holds no text


def test_pdf_evidence_names_its_page_and_offsets_hold(built: tuple[Path, Path]) -> None:
    folder, graph = built
    letter = _accounts(folder)["letter.pdf"]
    facts = [f for node in read_view(open_graph(graph)).nodes.values() for f in node.facts
             if f.source.account == "letter.pdf"]
    assert facts
    for f in facts:
        assert letter.text[f.source.start:f.source.end] == f.source.sentence
        assert f.source.page == letter.page(f.source.start)
    pages = {f.source.sentence.split()[0]: f.source.page for f in facts}
    assert pages.get("Tom") == 2 and pages.get("Ann") == 3
    assert 1 in pages.values()


def test_show_prints_the_page(built: tuple[Path, Path]) -> None:
    _, graph = built
    shown = CliRunner().invoke(main, ["show", "Tom Smith", "-g", str(graph)])
    assert shown.exit_code == 0, shown.output
    assert "letter.pdf, p. 2 @" in shown.output
    assert "p. 1" not in shown.output and "p. 3" not in shown.output
    as_json = json.loads(CliRunner().invoke(main, ["show", "Tom Smith", "-g", str(graph), "--json"]).output)
    assert {f["page"] for r in as_json["roles"] for f in r["facts"]} == {2}


def test_only_pdf_evidence_has_pages_and_the_graph_validates(built: tuple[Path, Path]) -> None:
    _, graph = built
    facts = [f for node in read_view(open_graph(graph)).nodes.values() for f in node.facts]
    assert {f.source.account for f in facts if f.source.page} == {"letter.pdf"}
    checked = CliRunner().invoke(main, ["validate", "-g", str(graph)])
    assert checked.exit_code == 0, checked.output
    assert "conforms" in checked.output


def test_the_page_reaches_the_explorer_and_the_exports(built: tuple[Path, Path]) -> None:
    _, graph = built
    ds = open_graph(graph)
    view = read_view(ds)
    rows = unpack(pack(view, {}))["facts"]
    paged = {r["sentence"].split()[0]: r["page"] for r in rows if r["account"] == "letter.pdf"}
    assert paged.get("Tom") == 2 and paged.get("Ann") == 3
    assert {r["page"] for r in rows if r["account"] != "letter.pdf"} == {0}  # not paged: no page
    records = [f.record() for n in view.nodes.values() for f in n.facts]
    assert {r["page"] for r in records if r["account"] == "letter.pdf"} >= {2, 3}
    assert {r["page"] for r in records if r["account"] == "reply.eml"} == {0}
    summaries = [v for line in ftm(ds)[""].splitlines()
                 for v in json.loads(line)["properties"].get("summary", [])]
    assert any(v.startswith("letter.pdf, p. 2: Tom Smith") for v in summaries)
    assert not any(v.startswith("letter.pdf, p. 3: Tom Smith") for v in summaries)
    assert not any(", p. " in v for v in summaries if not v.startswith("letter.pdf"))
    notes = [s["note"] for rows in json.loads(popolo(ds)[""]).values() for r in rows for s in r.get("sources", [])]
    assert any(n.startswith("letter.pdf, p. 2, characters ") and "Tom Smith" in n for n in notes)
    assert not any(", p. " in n for n in notes if not n.startswith("letter.pdf"))


@pytest.mark.parametrize("make, reason", [
    (lambda: encrypt(make_pdf([PAGE_TWO]), "secret", "owner", "RC4-128"), "encrypted PDF that needs a password"),
    (lambda: make_pdf(["", ""]), "PDF with no text layer (2 page(s), a scan?)"),
    (lambda: make_pdf([PAGE_TWO])[:400], "not a readable PDF"),
])
def test_unusable_pdfs_are_skipped_with_the_reason_and_the_build_goes_on(
        tmp_path: Path, make, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "bad.pdf").write_bytes(make())
    (tmp_path / "good.txt").write_text("A note\n\nTom Smith was appointed secretary.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="graph.load"):
        result = load_paths([tmp_path])
    assert [a.source for a in result.accounts] == ["good.txt"]
    [(where, why)] = result.skipped
    assert where.endswith("bad.pdf") and why.startswith(reason)
    [line] = [r.getMessage() for r in caplog.records if "bad.pdf" in r.getMessage()]
    assert "\n" not in line and reason in line


def test_pdf_that_needs_no_password_to_read_opens(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypt(make_pdf([PAGE_TWO]), "", "owner", "AES-256"))
    [acc] = load_file(path)
    assert "Tom Smith was appointed secretary" in acc.text


# ------------------------------------------------------------------------ Word

def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "statement.docx"
    path.write_bytes(make_docx(author="Pat Example"))
    [acc] = load_file(path)
    assert acc.title == "Statement from the Westfield branch"
    text = acc.text
    assert text.index("Ann Other resigned") < text.index("Officer | Post") < text.index("Bob Brown | Chair") \
        < text.index("Bob Brown was elected")
    assert acc.author == "Pat Example" and acc.pages == ()


def test_docx_login_is_no_author(tmp_path: Path) -> None:
    path = tmp_path / "statement.docx"
    path.write_bytes(make_docx(author="admin"))
    assert load_file(path)[0].author is None


def test_broken_docx_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "not a word document")
    (tmp_path / "zip.docx").write_bytes(zipped.getvalue())
    result = load_paths([tmp_path / "old.docx", tmp_path / "zip.docx"])
    reasons = dict(result.skipped)
    assert reasons[str(tmp_path / "old.docx")].startswith("not a Word .docx file")
    assert reasons[str(tmp_path / "zip.docx")].startswith("not a readable Word document")


# ---------------------------------------------------------------------- e-mail

def test_eml_headers_are_author_date_and_title(tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_bytes(make_email(REPLY))
    [acc] = load_file(path)
    assert (acc.author, acc.date, acc.title) == ("Jane Doe", "2017-05-03",
                                                "My resignation from the Eastfield branch")
    assert "I have resigned as secretary" in acc.text
    assert "Carl Quoted" not in acc.text  # the quote and its "... wrote:" line are someone else's words


def test_eml_without_display_name_uses_the_address(tmp_path: Path) -> None:
    path = tmp_path / "a.eml"
    path.write_bytes(make_email("I resigned as treasurer.\n", sender="jane@example.org"))
    assert load_file(path)[0].author == "jane@example.org"


def test_html_only_eml_goes_through_the_html_reader(tmp_path: Path) -> None:
    path = tmp_path / "html.eml"
    html = ("<html><body><p>I resigned as treasurer of the branch.</p>"
            "<script>Hidden Script-Name</script></body></html>")
    path.write_bytes(make_email("", html=html))
    [acc] = load_file(path)
    assert "I resigned as treasurer" in acc.text
    assert "<p>" not in acc.text and "Hidden" not in acc.text


def test_a_file_that_is_no_email_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "x.eml").write_text("just some words, no headers\n", encoding="utf-8")
    [(_, why)] = load_paths([tmp_path / "x.eml"]).skipped
    assert why.startswith("not an e-mail message")


# ------------------------------------------------------------------ collections

def test_jsonl_one_account_per_record_pointing_at_its_line(tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="graph.load"):
        accounts = load_file(path, Fields(author="user.name"))
    assert [(a.id, a.source) for a in accounts] == [("posts#L1", "posts.jsonl#L1"), ("posts#L3", "posts.jsonl#L3")]
    first, third = accounts
    assert (first.title, first.author, first.date) == ("Council news", None, "2018-01-02")  # author: user.name
    assert third.author == "Kim Lee" and third.text == "Carol White resigned from the cabinet."
    assert third.title == third.text  # no title field: the text's first words
    assert any("1 record(s) without text in 'text'" in r.getMessage() and "line 2" in r.getMessage()
               for r in caplog.records)


def test_jsonl_bad_lines_are_warned_about_and_a_file_of_none_is_skipped(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text('{"text": "Tom Smith resigned."}\nnot json\n[1, 2]\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="graph.load"):
        assert [a.source for a in load_file(mixed)] == ["mixed.jsonl#L1"]
    assert any("2 line(s) that are not JSON objects" in r.getMessage() for r in caplog.records)
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"body": "Tom Smith resigned.", "who": "x"}\n', encoding="utf-8")
    [(_, why)] = load_paths([wrong]).skipped
    assert "no record has text in a 'text' field (the fields found: body, who)" in why
    assert "--text-field" in why
    assert load_file(wrong, Fields(text="body"))[0].text == "Tom Smith resigned."


def test_csv_rows_are_numbered_as_a_spreadsheet_does(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(CSV + '"Fay Gray resigned.",,\n', encoding="utf-8", newline="")
    accounts = load_file(path)
    assert [a.source for a in accounts] == ["rows.csv#row=2", "rows.csv#row=3", "rows.csv#row=4"]
    assert accounts[1].text.startswith("A post over two lines:\nEve Black")  # one row, two lines
    assert (accounts[0].author, accounts[0].date) == ("Lee Writer", "2019-03-04")


def test_same_stem_collections_get_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for sub in ("a", "b"):
        (tmp_path / sub / "posts.jsonl").write_text('{"text": "Tom Smith resigned."}\n', encoding="utf-8")
    ids = [a.id for a in load_paths([tmp_path]).accounts]
    assert ids == ["posts#L1", "posts-2#L1"]


def test_folder_scan_finds_every_format(tmp_path: Path) -> None:
    folder = write_inputs(tmp_path / "in")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # a sidecar or data: not an account
    assert sorted(p.name for p in find_files([folder])) == [
        "letter.pdf", "posts.jsonl", "reply.eml", "rows.csv", "statement.docx"]


def test_every_fact_sentence_is_its_account_text_at_its_offsets(built: tuple[Path, Path]) -> None:
    folder, graph = built
    accounts = _accounts(folder)
    facts = [f for node in read_view(open_graph(graph)).nodes.values() for f in node.facts]
    seen = {f.source.account for f in facts}
    assert {"letter.pdf", "statement.docx", "reply.eml", "posts.jsonl#L1", "posts.jsonl#L3",
            "rows.csv#row=2", "rows.csv#row=3"} <= seen
    for f in facts:
        acc = accounts[f.source.account]
        assert acc.text[f.source.start:f.source.end] == f.source.sentence, f


def test_record_accounts_are_told_by_their_authors(built: tuple[Path, Path]) -> None:
    _, graph = built
    shown = CliRunner().invoke(main, ["show", "Kim Lee", "-g", str(graph), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["narrator_of"] == ["posts.jsonl#L3"]
    assert CliRunner().invoke(main, ["show", "Carl Quoted", "-g", str(graph)]).exit_code == 2


@pytest.mark.parametrize("name, make", [("x.pdf", lambda: make_pdf([PAGE_ONE, PAGE_TWO])),
                                        ("x.docx", lambda: make_docx()), ("x.eml", lambda: make_email(REPLY))])
def test_a_damaged_file_is_a_skip_or_an_account_never_a_crash(tmp_path: Path, name: str, make) -> None:
    whole = make()
    for cut in (len(whole) // 7, len(whole) // 3, len(whole) // 2, len(whole) - 9):
        damaged = whole[:cut] + b"\x00garbage\xff" + whole[cut + 11:]
        path = tmp_path / name
        path.write_bytes(damaged)
        result = load_paths([path])
        assert len(result.accounts) + len(result.skipped) >= 1
        for _, why in result.skipped:
            assert "\n" not in why and why


def test_a_judgement_rebuild_reads_collections_with_the_same_fields(tmp_path: Path) -> None:
    (tmp_path / "posts.jsonl").write_text(json.dumps({"body": "Tom Smith resigned from the cabinet.",
                                                      "who": "Kim Lee"}) + "\n", encoding="utf-8")
    runner, out = CliRunner(), tmp_path / "out"
    built = runner.invoke(main, ["build", str(tmp_path / "posts.jsonl"), "-o", str(out), "--no-html",
                                 "--text-field", "body", "--author-field", "who"])
    assert built.exit_code == 0, built.output
    again = runner.invoke(main, ["rename", "Kim Lee", "Kim A. Lee", "-g", str(out / "graph.trig")])
    assert again.exit_code == 0, again.output
    names = {n.label for n in read_view(open_graph(out / "graph.trig")).nodes.values()}
    assert {"Kim A. Lee", "Tom Smith"} <= names and "Kim Lee" not in names
