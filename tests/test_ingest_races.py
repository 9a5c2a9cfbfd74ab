"""Two ingests of one text at the same moment, and a database busy with another writer.

Both ingests check that the text is not stored yet, and one commits first: the other's insert then
breaks the unique content hash. It must answer "already present" (the paste form, the API, a CLI
batch that goes on with its next file), never a 500 or a crash. A write that still gives up waiting
for the lock is a 503 with Retry-After and a message, on pages and the API alike."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.domain import articles as articles_module
from app.domain.articles import ArticleInput, ingest_and_commit
from app.domain.ingest import ingest_bytes, ingest_files
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Event
from tests.test_web_support import paste, soup

TEXT = ("Harbour works\n\n“The north pier will close for repairs before the winter storms arrive,” "
        "harbour master Ines Falk said on Monday.\n")


@pytest.fixture
def lost_race(monkeypatch):
    """The moment two ingests race: each looked for the text before the other's commit, so the
    look finds nothing once, though the first ingest has stored it by the time ours inserts."""
    real = articles_module._by_hash
    missed = []

    def first_look_misses(session, digest):
        if not missed:
            missed.append(digest)
            return None
        return real(session, digest)

    monkeypatch.setattr(articles_module, "_by_hash", first_look_misses)
    return missed


def _store_first(session) -> int:
    return ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Port Post"), "first").article_id


def test_losing_ingest_of_the_same_text_is_already_present(session, lost_race):
    first = _store_first(session)
    lost_race.clear()
    result = ingest_bytes(session, "again.txt", TEXT.encode(), {"outlet": "Port Post"}, "second", 2**21)
    assert lost_race, "the race was not arranged"
    assert (result.status, result.article_id) == ("present", first)
    assert session.scalar(select(func.count()).select_from(Article)) == 1
    assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "article.ingest")) == 1


def test_cli_batch_goes_on_after_losing_a_race(session, lost_race, tmp_path):
    first = _store_first(session)
    lost_race.clear()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("north pier", "south pier"), encoding="utf-8")
    results = ingest_files(session, sorted(tmp_path.glob("*.txt")), {"outlet": "Port Post"}, {}, "cli", 2**21)
    assert [(r.status, r.article_id == first) for r in results] == [("present", True), ("added", False)]


def test_paste_form_loser_sees_already_present(client, app, lost_race):
    with app.state.sessionmaker() as session:
        _store_first(session)
    lost_race.clear()
    response = paste(client, {"text": TEXT, "outlet": "Port Post", "title": "Harbour works"})
    assert response.status_code == 200
    assert soup(response).select_one("#ingest-results tr.result")["data-status"] == "present"


def test_api_loser_answers_200_not_created(client, app, lost_race):
    with app.state.sessionmaker() as session:
        first = _store_first(session)
    lost_race.clear()
    response = client.post("/api/v1/articles", json={"text": TEXT, "outlet": "Port Post"})
    assert response.status_code == 200
    assert response.json()["id"] == first and response.json()["created"] is False


def test_simultaneous_identical_ingests_store_one_article(database_url):
    """Real threads released together (on PostgreSQL each insert waits for the first commit on the
    unique index, on SQLite for the write lock): one is added, the others are already present."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def work() -> None:
        try:
            with factory() as session:
                barrier.wait(timeout=10)
                results.append(ingest_bytes(session, "same.txt", TEXT.encode(), {"outlet": "Port Post"},
                                            "t", 2**21).status)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(results) == ["added"] + ["present"] * 5
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
    engine.dispose()


def _locked() -> OperationalError:
    return OperationalError("INSERT INTO sessions ...", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("path,data", [("/ingest/text", {"text": TEXT, "outlet": "Port Post"}),
                                       ("/api/v1/articles", None)])
def test_busy_database_is_a_503_with_retry_after(client, monkeypatch, path, data):
    from app.domain import ingest as ingest_module
    from app.api import article_routes

    def busy(*_args, **_kwargs):
        raise _locked()

    monkeypatch.setattr(ingest_module, "ingest_and_commit", busy)
    monkeypatch.setattr(article_routes, "ingest_and_commit", busy)
    if data is None:
        response = client.post(path, json={"text": TEXT, "outlet": "Port Post"})
        assert "busy" in response.json()["message"]
    else:
        response = client.post(path, data=data)
        assert "busy" in soup(response).get_text()
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


def test_busy_database_at_login_is_a_503(anon_client, monkeypatch):
    from app.domain import users

    def busy(*_args, **_kwargs):
        raise _locked()

    monkeypatch.setattr(users, "start_session", busy)
    from tests.auth import ensure_user, PASSWORD

    ensure_user(anon_client.app, "ana", "analyst")
    page = soup(anon_client.get("/login"))
    token = page.select_one("form.login-form input[name=csrf_token]")["value"]
    response = anon_client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 503
    assert response.headers["Retry-After"]


def test_other_database_errors_stay_errors(client, monkeypatch):
    """Only a wait given up is a 503: a broken query is a fault, and must not be hidden as busy."""
    from app.domain import ingest as ingest_module

    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT nothing", {}, sqlite3.OperationalError("no such column: nothing"))

    monkeypatch.setattr(ingest_module, "ingest_and_commit", broken)
    with pytest.raises(OperationalError):
        client.post("/ingest/text", data={"text": TEXT, "outlet": "Port Post"})


def test_busy_errors_of_both_engines_are_recognised():
    import psycopg

    from app.storage.engine import is_busy_error

    assert is_busy_error(_locked())
    assert is_busy_error(OperationalError("UPDATE", {}, psycopg.errors.LockNotAvailable("lock timeout")))
    assert is_busy_error(OperationalError("UPDATE", {}, psycopg.errors.QueryCanceled("statement timeout")))
    assert not is_busy_error(OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x")))
