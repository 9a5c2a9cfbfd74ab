"""Files to documents: text kept as is, HTML reduced to its article, dates and CSV read strictly."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.pipeline.context import segments, sentence_bounds
from app.pipeline.documents import (
    DocumentError,
    parse_date,
    parse_document,
    parse_published,
    parse_sources_csv,
)

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


UTC = timezone.utc


@pytest.mark.parametrize("text, day, moment", [
    # a time with its offset: the day as the source states it, the moment in UTC
    ("2024-03-01T14:05:00+08:00", date(2024, 3, 1), datetime(2024, 3, 1, 6, 5, tzinfo=UTC)),
    ("2024-03-01T01:30:00+0800", date(2024, 3, 1), datetime(2024, 2, 29, 17, 30, tzinfo=UTC)),
    ("2024-03-01T09:30Z", date(2024, 3, 1), datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    # a time without an offset is read as UTC
    ("2024-03-01 14:05", date(2024, 3, 1), datetime(2024, 3, 1, 14, 5, tzinfo=UTC)),
    # feeds write RFC 2822
    ("Fri, 01 Mar 2024 14:05:00 +0100", date(2024, 3, 1), datetime(2024, 3, 1, 13, 5, tzinfo=UTC)),
    # a day alone, or the zone-less midnight date tools print for one, has no moment
    ("2024-03-01", date(2024, 3, 1), None),
    ("2024-03-01T00:00:00", date(2024, 3, 1), None),
    ("March 1, 2024", date(2024, 3, 1), None),
    # an explicit midnight with its offset is a real time
    ("2024-03-01T00:00:00+00:00", date(2024, 3, 1), datetime(2024, 3, 1, tzinfo=UTC)),
    ("", None, None),
])
def test_published_keeps_the_time_of_day_when_the_source_gives_one(text, day, moment):
    assert parse_published(text) == (day, moment)


def test_html_metadata_time_survives_extraction():
    """trafilatura/htmldate print the page's article:published_time with its offset."""
    page = HTML.replace(b"2024-05-02T09:00:00Z", b"2024-05-02T09:15:00+02:00")
    doc = parse_document("page.html", page)
    assert parse_published(doc.published) == (date(2024, 5, 2), datetime(2024, 5, 2, 7, 15, tzinfo=UTC))
    day_only = HTML.replace(b'<meta property="article:published_time" content="2024-05-02T09:00:00Z">',
                            b'<meta name="date" content="2024-05-02">')
    assert parse_published(parse_document("page.html", day_only).published) == (date(2024, 5, 2), None)


def test_a_moment_outside_the_calendar_is_refused_not_a_crash():
    with pytest.raises(DocumentError, match="out of range"):
        parse_published("9999-12-31T23:00:00-05:00")


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
