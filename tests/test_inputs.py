"""Bad input is a 4xx with a message on every surface and both engines, never a 500: text no column
can store (NUL, lone surrogates), numbers that are not ASCII digits or past the columns' range,
crafted cursors, and pasted articles larger than Starlette's default 1 MiB form field."""
from __future__ import annotations

import base64

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.domain.articles import ingest_article
from app.domain.errors import InvalidInput
from app.domain.inputs import optional_int, parse_id, parse_int, unstorable
from app.storage.engine import make_engine
from app.storage.models import Article, Claim, Event, LoginThrottle
from tests.factories import DENIAL, GAZETTE, HERALD
from tests.test_web_support import soup

NOT_ASCII_DIGITS = ["²", "𝟗", "٣", "１２", "1_000", "+5", " ", "0x10", "1e3", "٣٣"]
OUT_OF_RANGE = [str(2**31), str(2**63), "9" * 40, "-1"]
HX = {"HX-Request": "true"}


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- the parser ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS + OUT_OF_RANGE)
def test_parse_id_takes_ascii_digits_in_range_only(raw):
    with pytest.raises(InvalidInput) as refused:
        parse_id(raw, "claim")
    assert refused.value.message.startswith("claim must be")


def test_parse_int_reads_plain_numbers():
    assert parse_id(" 42 ", "claim") == 42
    assert parse_int("-3", "start", low=-5) == -3
    assert parse_int(2**31 - 1, "id") == 2**31 - 1
    assert optional_int("", "version") is None and optional_int(None, "version") is None


def test_unstorable_names_nul_and_lone_surrogates():
    assert "NUL" in unstorable("a\x00b")
    assert "surrogate" in unstorable("a\udcffb")
    assert unstorable("ﺎﻠﻋﺮﺒﻳﺓ \u202e\u200b ok") is None


# --- NUL and lone surrogates over HTTP -----------------------------------------------------------


def test_login_with_nul_in_the_name_is_a_422_before_any_login_work(anon_client, app_session):
    from tests.auth import with_csrf

    with_csrf(anon_client)
    response = anon_client.post("/login", content=b"name=x%00&password=y",
                                headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert "NUL" in soup(response).select_one(".error-page .error").get_text()
    assert app_session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


@pytest.mark.parametrize("url", ["/claims?outlet=a%00", "/outlets/a%00b", "/claims?x%00=1",
                                 "/api/v1/claims?tag=%00"])
def test_nul_in_a_query_or_path_is_a_422_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 422
    message = response.json()["message"] if url.startswith("/api/") else \
        soup(response).select_one(".error-page .error").get_text()
    assert "NUL" in message


def test_lone_surrogate_in_a_json_field_is_a_422(client):
    response = client.post("/api/v1/claims/1/tags", content='{"tag": "x\\ud800"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_audit_csv_refuses_a_nul_filter_before_streaming(client):
    response = client.get("/audit.csv?action=%00")
    assert response.status_code == 422
    assert "NUL" in soup(response).select_one(".error-page .error").get_text()


def test_nul_in_a_claim_edit_is_refused_and_nothing_changes(client, app_session):
    ingest_article(app_session, HERALD, "tester")
    app_session.commit()
    claim = app_session.scalar(select(Claim))
    response = client.post(f"/claims/{claim.id}/text", data={"text": "new\x00words"})
    assert response.status_code == 422
    app_session.expire_all()
    assert app_session.get(Claim, claim.id).text == claim.text


def test_an_upload_with_nul_past_the_first_8k_fails_alone(client, app_session):
    files = [("files", ("nul.txt", b"Title\n\n" + b"Plain words. " * 1000 + b"\x00 end\n", "text/plain")),
             ("files", ("herald.txt", HERALD.text.encode(), "text/plain"))]
    response = client.post("/ingest/files", files=files, data={"outlet": "Wire"})
    assert response.status_code == 200
    rows = {tr.select_one("td.name").get_text(strip=True): tr["data-status"]
            for tr in soup(response).select("#ingest-results tr.result")}
    assert rows == {"nul.txt": "failed", "herald.txt": "added"}
    assert "NUL byte at offset 13,007" in soup(response).select_one("#ingest-results").get_text()
    assert app_session.scalar(select(func.count()).select_from(Article)) == 1


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["𝟗", "²", "٣", str(2**31), str(2**63)])
def test_merge_target_must_be_a_plain_id(client, app_session, target):
    for article in (HERALD, GAZETTE, DENIAL):
        ingest_article(app_session, article, "tester")
    app_session.commit()
    first = app_session.scalar(select(Claim.id).order_by(Claim.id))
    response = client.post(f"/claims/{first}/merge", data={"target_id": target})
    assert response.status_code == 422
    assert "the claim to merge into must be" in soup(response).select_one(".error").get_text()
    assert app_session.scalar(select(func.count()).select_from(Event).where(
        Event.action.like("%merge%"))) == 0


@pytest.mark.parametrize("field, value", [("version", "²"), ("version", str(2**63))])
def test_a_garbled_version_is_a_422_not_a_skipped_check(client, app_session, field, value):
    ingest_article(app_session, HERALD, "tester")
    app_session.commit()
    claim = app_session.scalar(select(Claim))
    response = client.post(f"/claims/{claim.id}/status",
                           data={"status": "false", "reason": "checked", field: value})
    assert response.status_code == 422
    app_session.expire_all()
    assert app_session.get(Claim, claim.id).status != "false"


@pytest.mark.parametrize("url", ["/suggestions?claim=²", "/suggestions?accepted=²",
                                 f"/suggestions?claim={2**63}", "/articles/1?q=²"])
def test_numbers_in_queries_are_ascii_and_in_range(client, app_session, url):
    ingest_article(app_session, HERALD, "tester")
    app_session.commit()
    assert client.get(url).status_code in (200, 422)


def test_a_huge_number_searched_while_linking_finds_nothing(client, app_session):
    article = ingest_article(app_session, HERALD, "tester")
    app_session.commit()
    response = client.get(f"/articles/{article.article_id}/claim-choices?q={2**63}", headers=HX)
    assert response.status_code == 200


@pytest.mark.parametrize("ids", [["²"], ["𝟗"], [str(2**31)]])
def test_bulk_accept_ids_are_plain_ids(client, ids):
    response = client.post("/suggestions/accept", data={"ids": ids})
    assert response.status_code == 422


# --- cursors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["9" * 12 + "~" + "9" * 12, f"{2**31}~{2**31}", "9" * 12, "²~𝟗",
                                 "9999-12-31T23:59:59-23:59~1"])
@pytest.mark.parametrize("sort", ["outlets", "newest", "changed"])
def test_a_crafted_claims_cursor_is_a_422(client, app_session, raw, sort):
    ingest_article(app_session, HERALD, "tester")
    app_session.commit()
    assert client.get(f"/claims?sort={sort}&cursor={_b64(raw)}").status_code == 422
    response = client.get(f"/api/v1/claims?sort={sort}&cursor={_b64(raw)}")
    assert response.status_code == 422 and "cursor" in response.json()["message"]


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59-23:59~1", f"2024-01-01T00:00:00+00:00~{2**31}"])
def test_a_crafted_audit_cursor_is_a_422(client, raw):
    assert client.get(f"/audit?cursor={_b64(raw)}").status_code == 422


@pytest.mark.parametrize("cursor", ["0.5_𝟗", "０.5_1", "0.5_99999999999"])
def test_a_crafted_suggestions_cursor_is_a_422(client, cursor):
    assert client.get("/suggestions", params={"cursor": cursor}).status_code == 422


# --- the paste form takes a whole article -------------------------------------------------------


def test_paste_takes_a_non_latin_article_over_one_mib(client, settings):
    """Cyrillic is two UTF-8 bytes a letter, six characters once percent-encoded: 1.2 MB of it was a
    bare 400 from Starlette's 1 MiB field cap, before the ingest could say anything."""
    text = "Пристань закрыта для грузов до весны. " * 18_000
    assert 1_048_576 < len(text.encode()) < settings.max_article_bytes
    response = client.post("/ingest/text", data={"text": text, "outlet": ""}, headers=HX)
    assert response.status_code == 422
    assert "missing outlet" in soup(response).select_one("#ingest-results").get_text()


def test_paste_over_the_article_limit_says_so(client, settings):
    text = "Пристань " * (settings.max_article_bytes // 17 + 10)
    response = client.post("/ingest/text", data={"text": text, "outlet": "Wire"}, headers=HX)
    assert response.status_code == 422
    assert "over the limit" in soup(response).select_one("#ingest-results").get_text()


def test_htmx_gets_a_generic_refusal_in_the_flash_area(client):
    response = client.post("/ingest/text", data={"text": "a\x00b", "outlet": "Wire"}, headers=HX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#flash"
    assert "NUL" in soup(response).select_one("p.flash.error").get_text()


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_batch_goes_on_past_a_file_with_nul_after_8k(empty_database_url, tmp_path):
    """On PostgreSQL the NUL reached the INSERT and the batch stopped; the files after it were lost."""
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--database-url", empty_database_url]).exit_code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_herald.txt").write_text(HERALD.text, encoding="utf-8")
    (folder / "b_nul.txt").write_bytes(b"Title\n\n" + b"Plain words. " * 1000 + b"\x00 end\n")
    (folder / "c_gazette.txt").write_text(GAZETTE.text, encoding="utf-8")
    (folder / "d_name_\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")
     ).write_text(DENIAL.text, encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(folder), "--outlet", "Wire",
                                  "--database-url", empty_database_url], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    failed = [line for line in result.stderr.splitlines() if ": failed:" in line]
    assert len(failed) == 1 and "b_nul.txt" in failed[0] and "NUL" in failed[0]
    assert "3 added, 0 already present, 1 failed" in result.stdout
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == 3
        assert "d_name_\ufffd.txt" in set(conn.scalars(select(Article.source_name)))
    engine.dispose()


def test_cli_metadata_with_a_lone_surrogate_fails_each_file_with_a_line(empty_database_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--database-url", empty_database_url]).exit_code == 0
    path = tmp_path / "herald.txt"
    path.write_text(HERALD.text, encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(path), "--outlet", "Wire \udcff",
                                  "--database-url", empty_database_url], catch_exceptions=False)
    assert result.exit_code == 1
    assert "herald.txt: failed: outlet must be valid Unicode" in result.stderr


def test_cli_argument_that_is_not_utf8_is_one_line_not_a_traceback(empty_database_url):
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--database-url", empty_database_url]).exit_code == 0
    result = runner.invoke(main, ["user", "disable", "bad\udcffname", "--database-url", empty_database_url])
    assert result.exit_code == 1, result.output
    assert "Error: an argument is not valid UTF-8 text" in result.output
