"""Files to documents: text kept as is, HTML reduced to its article, dates and CSV read strictly."""
from __future__ import annotations

from datetime import date

import pytest

from app.pipeline.context import segments, sentence_bounds
from app.pipeline.documents import DocumentError, parse_date, parse_document, parse_sources_csv

HTML = b"""<!doctype html><html><head><title>Dam report | Valley Post</title>
<meta name="author" content="Jo Bell"><meta property="article:published_time" content="2024-05-02T09:00:00Z">
<link rel="canonical" href="https://valley.example/dam"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Dam inspection finds cracks</h1>
<p>Inspectors published their findings on Thursday after three weeks of work at the reservoir wall.</p>
<p>\xe2\x80\x9cThe cracks are shallow and the dam is safe to operate through the winter season,\xe2\x80\x9d chief inspector Ana Pires said.</p>
<p>Residents downstream said they wanted a second opinion before the rains arrive in November.</p>
</article><footer>Footer links and copyright notice</footer></body></html>"""


def test_txt_keeps_text_exactly_and_takes_first_line_as_title():
    raw = "\n\n  Headline here  \r\nBody line one.\r\n"
    doc = parse_document("a.txt", raw.encode("utf-8"))
    assert doc.text == raw
    assert doc.title == "Headline here"


def test_html_gives_main_text_and_metadata():
    doc = parse_document("page.html", HTML)
    assert "The cracks are shallow" in doc.text
    assert "Footer links" not in doc.text and "Sport" not in doc.text
    assert doc.title == "Dam inspection finds cracks"
    assert doc.author == "Jo Bell"
    assert parse_date(doc.published) == date(2024, 5, 2)


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("na\xefve".encode("latin-1"), "not UTF-8"),
])
def test_undecodable_files_are_refused(data, reason):
    with pytest.raises(DocumentError, match=reason):
        parse_document("x.txt", data)


@pytest.mark.parametrize("text, expected", [
    ("2023-03-30", date(2023, 3, 30)),
    ("3/30/2023", date(2023, 3, 30)),
    ("2023-03-30T10:00:00Z", date(2023, 3, 30)),
    ("30 March 2023", date(2023, 3, 30)),
    ("", None),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_bad_date_names_itself():
    with pytest.raises(DocumentError, match="'yesterday'"):
        parse_date("yesterday")


def test_sources_csv_rows_by_file():
    rows = parse_sources_csv("file,outlet,published,author,title\na.txt,Valley Post,2024-05-02,,\n")
    assert rows == {"a.txt": {"outlet": "Valley Post", "published": "2024-05-02"}}
    with pytest.raises(DocumentError, match="'file' column"):
        parse_sources_csv("name,outlet\na,b\n")


def test_sentence_bounds_and_segments():
    text = "First one. He said “hello there” today. Last."
    start = text.index("hello")
    lo, hi = sentence_bounds(text, start, start + 11)
    assert text[lo:hi] == "He said “hello there” today."
    parts = segments(text, [(start, start + 11), (start + 6, start + 20)])
    assert "".join(p.text for p in parts) == text
    assert [p.marks for p in parts if p.text == "there"] == [(0, 1)]
