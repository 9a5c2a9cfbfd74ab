"""Known claims as text in, records out: CSV, JSON lines and ClaimReview JSON-LD (plain, list,
@graph, inside an HTML page), with one error line per bad row and never a crash on bad input."""
from __future__ import annotations

import json
from datetime import date

import pytest

from app.pipeline.known_claims import (
    MAX_IMPORT_BYTES,
    ImportRefused,
    KnownClaim,
    detect_format,
    parse_known_claims,
    rating_status,
)

BRIDGE = "The old ferry bridge will be closed to all traffic for the next ten years"
WELLS = "Every well in the eastern district was found to be contaminated last spring"
SCHOOLS = "The county has built more new schools this year than in the previous decade"


def review(text: str = BRIDGE, **extra) -> dict:
    node = {
        "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": text,
        "url": "https://checkdesk.example/reviews/ferry-bridge", "datePublished": "2024-06-03",
        "author": {"@type": "Organization", "name": "Check Desk"},
        "itemReviewed": {"@type": "Claim", "datePublished": "2024-06-01",
                         "author": {"@type": "Person", "name": "Marta Quist"}},
        "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"},
    }
    node.update(extra)
    return node


# --- ratings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("rating, status", [
    ("False", "false"), ("pants-on-fire!", "false"), ("FAKE", "false"), ("Incorrect", "false"),
    ("Half True", "misleading"), ("Mostly False", "misleading"), ("missing_context", "misleading"),
    ("Exaggerated", "misleading"), ("True", "verified"), ("Mostly true", "verified"),
    ("accurate", "verified"), ("Unproven", "disputed"), ("unsupported", "disputed"),
    ("False: the photo was taken in another country", "false"),
    ("True, but it leaves out the cost", None), ("Satire", None), ("", None), (None, None),
])
def test_rating_words_map_to_statuses(rating, status):
    assert rating_status(rating) == status


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_with_common_column_names():
    data = ("Claim,Claimant,Verdict,Review_URL,Claim_Date,Publisher\n"
            f"{BRIDGE},Marta Quist,Pants on Fire,https://checkdesk.example/r/1,2024-06-01,Check Desk\n"
            f'"{WELLS}",,Satire,,,\n').encode()
    records, errors = parse_known_claims(data, "ratings.csv")
    assert errors == []
    assert records == [
        KnownClaim(text=BRIDGE, speaker="Marta Quist", rating="Pants on Fire", status="false",
                   url="https://checkdesk.example/r/1", date=date(2024, 6, 1),
                   reviewer="Check Desk"),
        KnownClaim(text=WELLS, rating="Satire"),
    ]
    assert records[0].where == "line 2"


def test_csv_alternative_names_semicolons_and_bom():
    data = ("\ufeffclaimReviewed;speaker;rating;url;datePublished;reviewer\n"
            f"{SCHOOLS};Ola Berg;Mostly True;https://x.example/2;June 3, 2024;Fact Team\n").encode()
    [record], errors = parse_known_claims(data, "export.txt", fmt="csv")
    assert errors == []
    assert (record.text, record.speaker, record.status, record.date, record.reviewer) == (
        SCHOOLS, "Ola Berg", "verified", date(2024, 6, 3), "Fact Team")


def test_csv_bad_rows_are_reported_by_line_and_skipped():
    data = (b"text,rating\n"
            + f"{BRIDGE},False\n".encode()
            + b",False\n"
            + b"too short,False\n"
            + b"\xff\xfe broken bytes here and more,False\n"
            + f'"{WELLS}\nover two lines",True\n'.encode()
            + ("x " * 3000 + ",False\n").encode()
            + f"{SCHOOLS},True,extra\n".encode())
    records, errors = parse_known_claims(data, "r.csv")
    assert [r.text for r in records] == [BRIDGE, f"{WELLS} over two lines", SCHOOLS]
    assert [r.where for r in records] == ["line 2", "line 6", "line 9"]
    assert errors == ["line 3: missing claim text",
                      "line 4: claim text has fewer than 3 words",
                      "line 5: not UTF-8 text (undecodable byte at column 1)",
                      "line 8: claim text is longer than 5000 characters"]


def test_csv_without_a_claim_column_is_one_error():
    records, errors = parse_known_claims(b"name,score\nsomething,3\n", "r.csv")
    assert records == []
    assert errors == ["line 1: no claim column (expected one of claim, text, claim_text, "
                      "claimReviewed)"]


def test_csv_bad_date_reports_the_row():
    data = f"claim,date\n{BRIDGE},31/31/2024\n{WELLS},2024-06-05T10:00:00Z\n".encode()
    records, errors = parse_known_claims(data, "r.csv")
    assert [r.date for r in records] == [date(2024, 6, 5)]
    assert len(errors) == 1 and errors[0].startswith("line 2: unreadable date '31/31/2024'")


# --- JSON lines --------------------------------------------------------------------------------

def test_jsonl_records_and_bad_lines():
    lines = [json.dumps({"claim": BRIDGE, "claimant": {"name": "Marta Quist"}, "rating": "Fake",
                         "url": "https://x.example/1", "publisher": "Check Desk"}),
             "",
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"rating": "False"}),
             json.dumps(review(WELLS)),
             json.dumps({"text": SCHOOLS + "\x00"}),
             json.dumps({"text": "Lone \ud800 surrogate in a claim text"})]
    records, errors = parse_known_claims("\n".join(lines), "claims.jsonl")
    assert [(r.text, r.speaker, r.status) for r in records] == [
        (BRIDGE, "Marta Quist", "false"), (WELLS, "Marta Quist", "false")]
    assert records[1].reviewer == "Check Desk"
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 5", "line 7", "line 8"]
    assert "invalid JSON" in errors[0] and "missing claim text" in errors[2]
    assert "NUL" in errors[3] and "surrogate" in errors[4]


def test_jsonl_detected_from_content_without_a_name():
    data = "\n".join(json.dumps({"text": t}) for t in (BRIDGE, WELLS)).encode()
    assert detect_format(data.decode(), None) == "jsonl"
    records, errors = parse_known_claims(data)
    assert [r.text for r in records] == [BRIDGE, WELLS] and errors == []


# --- ClaimReview -------------------------------------------------------------------------------

def test_claimreview_single_object():
    [record], errors = parse_known_claims(json.dumps(review()), "review.json")
    assert errors == []
    assert record == KnownClaim(text=BRIDGE, speaker="Marta Quist", rating="Pants on Fire",
                                status="false", url="https://checkdesk.example/reviews/ferry-bridge",
                                date=date(2024, 6, 1), reviewer="Check Desk")


def test_claimreview_graph_skips_other_nodes_and_reads_numeric_ratings():
    doc = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "A page"},
        review(WELLS, reviewRating={"@type": "Rating", "ratingValue": "2", "bestRating": "5",
                                    "worstRating": "1"}, itemReviewed={"author": "Dana Holm"}),
        review(SCHOOLS, reviewRating={"ratingValue": 5}),
        {"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}},
    ]}
    records, errors = parse_known_claims(json.dumps(doc).encode())
    assert [(r.text, r.rating, r.status, r.speaker) for r in records] == [
        (WELLS, "2/5", "misleading", "Dana Holm"), (SCHOOLS, "5/5", "verified", "Marta Quist")]
    assert records[0].date == date(2024, 6, 3)   # no claim date: the review's
    assert errors == ["item 4: missing claim text"]


def test_claimreview_list_and_unknown_rating_kept_as_text():
    doc = [review(), review(WELLS, reviewRating={"alternateName": "Four out of ten monkeys"})]
    records, _ = parse_known_claims(json.dumps(doc))
    assert [(r.rating, r.status) for r in records] == [
        ("Pants on Fire", "false"), ("Four out of ten monkeys", None)]


def test_claimreview_in_html_script_blocks():
    page = ("<!doctype html><html><head><title>Check</title>\n"
            f"<script type=\"application/ld+json\">{json.dumps(review())}</script>\n"
            "<script type='application/ld+json'>\n{\"broken\": </script>\n"
            "<script>var notJson = 1;</script></head><body>A page</body></html>")
    records, errors = parse_known_claims(page.encode(), "page.html")
    assert [r.text for r in records] == [BRIDGE]
    assert len(errors) == 1 and errors[0].startswith("line 4: script 2 invalid JSON")
    assert detect_format(page, None) == "claimreview"


def test_html_without_json_ld_says_so():
    records, errors = parse_known_claims(b"<html><body>No data</body></html>")
    assert records == [] and "ld+json" in errors[0]


def test_broken_json_document_reports_its_line():
    records, errors = parse_known_claims('[\n{"claimReviewed": "x"},\n{oops}\n]', "a.json")
    assert records == [] and errors[0].startswith("line 3: invalid JSON")


# --- limits and detection ----------------------------------------------------------------------

def test_too_large_input_is_refused():
    with pytest.raises(ImportRefused) as exc:
        parse_known_claims(b"x" * (MAX_IMPORT_BYTES + 1), "big.csv")
    assert exc.value.too_large and "over the limit" in exc.value.message


def test_binary_input_and_unknown_format_are_refused():
    with pytest.raises(ImportRefused) as exc:
        parse_known_claims("a,b".encode("utf-16-le") * 20, "x.csv")
    assert not exc.value.too_large and "binary" in exc.value.message
    with pytest.raises(ImportRefused):
        parse_known_claims(b"claim\nx y z\n", fmt="xml")


def test_deeply_nested_json_is_an_error_not_a_crash():
    records, errors = parse_known_claims("[" * 100_000 + "]" * 100_000, "deep.json")
    assert records == [] and len(errors) == 1


@pytest.mark.parametrize("name, text, fmt", [
    ("a.csv", "{}", "csv"), ("a.tsv", "", "csv"), ("a.ndjson", "", "jsonl"),
    ("a.jsonld", "", "claimreview"), ("a.htm", "", "claimreview"),
    (None, "claim,rating\n", "csv"), (None, '{"a": 1}', "claimreview"),
    (None, '{"a": 1}\n{"b": 2}\n', "jsonl"), ("x.json", "[]", "claimreview"),
])
def test_detect_format(name, text, fmt):
    assert detect_format(text, name) == fmt


def test_empty_input_gives_nothing():
    assert parse_known_claims(b"") == ([], [])
    assert parse_known_claims(" \n\n", fmt="csv") == ([], [])


def test_a_rating_explanation_becomes_the_reason():
    from app.domain.known_claims import status_reason

    review = ('{"@type": "ClaimReview", "claimReviewed": "The harbour ferry will stop running every winter", '
              '"author": {"name": "Check Desk"}, "reviewRating": {"alternateName": "False", '
              '"ratingExplanation": "The timetable runs all year"}}')
    [record], errors = parse_known_claims(review.encode(), "review.json", "auto")
    assert errors == [] and record.explanation == "The timetable runs all year"
    assert status_reason(record) == "The timetable runs all year"
    plain = review.replace(', "ratingExplanation": "The timetable runs all year"', "")
    [record], _ = parse_known_claims(plain.encode(), "review.json", "auto")
    assert status_reason(record) == "False (Check Desk)"
