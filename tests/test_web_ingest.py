"""Ingest through the browser forms: pasted text and uploaded files, each reported on its own."""
from __future__ import annotations

from sqlalchemy import func, select

from app.storage.models import Article, Claim, Event
from tests.test_web_support import RIVER, RIVERSIDE_NEWS, VALLEY_POST, paste, soup


def _rows(response) -> list[tuple[str, str]]:
    return [(tr.select_one("td.name").get_text(strip=True), tr["data-status"])
            for tr in soup(response).select("#ingest-results tr.result")]


def test_paste_creates_article_and_claims(client, app_session):
    response = paste(client, VALLEY_POST)
    assert response.status_code == 200
    assert _rows(response) == [("Flood gates to open", "added")]
    link = soup(response).select_one("#ingest-results a.article-link")
    article = app_session.scalar(select(Article))
    assert link["href"] == f"/articles/{article.id}"
    assert article.outlet.name == "Valley Post"
    assert article.author == "Ana Brook"
    assert article.published.isoformat() == "2024-03-01"
    assert article.text == VALLEY_POST["text"]
    assert app_session.scalar(select(Claim.text)) == RIVER


def test_pasted_crlf_is_stored_as_typed(client, app_session):
    """Browsers send textarea line breaks as CRLF; the stored text must keep the pasted LF."""
    data = {**RIVERSIDE_NEWS, "text": RIVERSIDE_NEWS["text"].replace("\n", "\r\n")}
    assert paste(client, data).status_code == 200
    assert app_session.scalar(select(Article.text)) == RIVERSIDE_NEWS["text"]


def test_same_text_twice_is_already_present(client, app_session):
    paste(client, VALLEY_POST)
    response = paste(client, VALLEY_POST)
    assert _rows(response) == [("Flood gates to open", "present")]
    assert app_session.scalar(select(func.count()).select_from(Article)) == 1


def test_paste_without_outlet_reports_the_reason(client, app_session):
    response = paste(client, {**VALLEY_POST, "outlet": ""})
    assert response.status_code == 422
    row = soup(response).select_one("#ingest-results tr.result")
    assert row["data-status"] == "failed"
    assert "outlet" in row.select_one(".reason").get_text()
    # The metadata typed stays in the form so the person can fix only what was wrong.
    assert soup(response).select_one("form.ingest-text input[name=title]")["value"] == "Flood gates to open"
    assert app_session.scalar(select(func.count()).select_from(Article)) == 0


def test_upload_reports_each_file_and_a_bad_one_does_not_stop_the_rest(client, app_session):
    files = [("files", ("a.txt", VALLEY_POST["text"].encode(), "text/plain")),
             ("files", ("broken.txt", b"\x00\x01\x02", "text/plain")),
             ("files", ("b.txt", RIVERSIDE_NEWS["text"].encode(), "text/plain"))]
    response = client.post("/ingest/files", files=files,
                           data={"outlet": "Wire Service", "published": "2024-03-05"})
    assert response.status_code == 200
    assert _rows(response) == [("a.txt", "added"), ("broken.txt", "failed"), ("b.txt", "added")]
    failed = soup(response).select_one("tr.result-failed .reason").get_text()
    assert "binary" in failed
    articles = app_session.scalars(select(Article).order_by(Article.id)).all()
    assert [a.source_name for a in articles] == ["a.txt", "b.txt"]
    assert {a.outlet.name for a in articles} == {"Wire Service"}
    assert {a.published.isoformat() for a in articles} == {"2024-03-05"}


def test_upload_with_bad_date_fails_every_file_with_the_reason(client):
    files = [("files", ("a.txt", VALLEY_POST["text"].encode(), "text/plain"))]
    response = client.post("/ingest/files", files=files,
                           data={"outlet": "Wire Service", "published": "last tuesday"})
    assert response.status_code == 422
    assert "date" in soup(response).select_one("tr.result-failed .reason").get_text()


def test_htmx_ingest_returns_only_the_results_block(client):
    response = paste(client, VALLEY_POST, **{"HX-Request": "true"})
    page = soup(response)
    assert page.select_one("html") is None
    assert page.select_one("#ingest-results tr.result-added") is not None
    assert response.headers["Vary"] == "HX-Request"


def test_dashboard_offers_the_ingest_forms(client):
    page = soup(client.get("/"))
    paste_form = page.select_one("form.ingest-text")
    assert paste_form["action"] == "/ingest/text"
    assert {i["name"] for i in paste_form.select("input, textarea")} >= {
        "outlet", "published", "title", "author", "url", "text"}
    upload = page.select_one("form.ingest-files")
    assert upload["enctype"] == "multipart/form-data"
    assert upload.select_one("input[type=file]").has_attr("multiple")


def test_an_untitled_paste_has_one_name_everywhere(client, app_session):
    """Without a title the article is named by its first line: the results row, the article page
    and the audit log all say that, not "pasted text" in one place and the line in another."""
    untitled = {**VALLEY_POST, "title": "", "text": "  Gates open at dawn\n\n" + VALLEY_POST["text"]}
    response = paste(client, untitled)
    article = app_session.scalar(select(Article))
    assert article.title == "Gates open at dawn"
    assert _rows(response) == [("Gates open at dawn", "added")]
    assert _rows(paste(client, untitled)) == [("Gates open at dawn", "present")]
    page = soup(client.get(f"/articles/{article.id}"))
    assert page.select_one(".article-head h1").get_text(strip=True) == "Gates open at dawn"
    event = app_session.scalar(select(Event).where(Event.action == "article.ingest"))
    assert event.after["title"] == "Gates open at dawn"


def test_several_files_with_a_sources_csv_each_get_their_own_outlet_and_date(client, app_session):
    sources = ("file,outlet,published,author,title\n"
               "a.txt,Valley Post,2024-03-01T09:30+01:00,Ana Brook,Gates open\n"
               "b.txt,Riverside News,2024-03-02,,\n").encode()
    files = [("files", ("sources.csv", sources, "text/csv")),
             ("files", ("a.txt", VALLEY_POST["text"].encode(), "text/plain")),
             ("files", ("b.txt", RIVERSIDE_NEWS["text"].encode(), "text/plain")),
             ("files", ("c.txt", b"Unlisted\n\nA file the table does not name.", "text/plain"))]
    response = client.post("/ingest/files", files=files, data={"outlet": "", "published": ""})
    assert response.status_code == 200
    assert _rows(response) == [("a.txt", "added"), ("b.txt", "added"), ("c.txt", "failed")]
    assert "outlet" in soup(response).select_one("tr.result-failed .reason").get_text()
    note = soup(response).select_one("#ingest-results .batch-note").get_text(strip=True)
    assert note == "sources.csv gave the outlet and date of 2 of 3 files."
    a, b = app_session.scalars(select(Article).order_by(Article.id)).all()
    assert (a.outlet.name, a.published.isoformat(), a.author, a.title) == (
        "Valley Post", "2024-03-01", "Ana Brook", "Gates open")
    assert a.published_at.strftime("%H:%M") == "08:30"
    assert (b.outlet.name, b.published.isoformat()) == ("Riverside News", "2024-03-02")


def test_form_outlet_fills_what_the_sources_csv_leaves_out(client, app_session):
    sources = b"file,outlet\na.txt,Valley Post\n"
    files = [("files", ("a.txt", VALLEY_POST["text"].encode(), "text/plain")),
             ("files", ("b.txt", RIVERSIDE_NEWS["text"].encode(), "text/plain")),
             ("files", ("sources.csv", sources, "text/csv"))]
    response = client.post("/ingest/files", files=files, data={"outlet": "Wire", "published": "2024-04-04"})
    assert _rows(response) == [("a.txt", "added"), ("b.txt", "added")]
    outlets = [a.outlet.name for a in app_session.scalars(select(Article).order_by(Article.id))]
    assert outlets == ["Valley Post", "Wire"]


def test_upload_of_json_lines_ingests_each_record(client, app_session):
    import json

    lines = "\n".join([json.dumps({"text": VALLEY_POST["text"], "outlet": "Valley Post"}),
                       "not json",
                       json.dumps({"text": RIVERSIDE_NEWS["text"]})]).encode()
    response = client.post("/ingest/files", files=[("files", ("batch.jsonl", lines, "application/x-ndjson"))],
                           data={"outlet": "Wire"})
    assert _rows(response) == [("batch.jsonl:1", "added"), ("batch.jsonl:2", "failed"),
                               ("batch.jsonl:3", "added")]
    outlets = [a.outlet.name for a in app_session.scalars(select(Article).order_by(Article.id))]
    assert outlets == ["Valley Post", "Wire"]


def test_only_a_sources_csv_asks_for_the_files(client):
    files = [("files", ("sources.csv", b"file,outlet\na.txt,Valley Post\n", "text/csv"))]
    response = client.post("/ingest/files", files=files, data={"outlet": ""})
    assert response.status_code == 422
    assert "names files: choose them too" in soup(response).select_one("tr.result-failed .reason").get_text()
