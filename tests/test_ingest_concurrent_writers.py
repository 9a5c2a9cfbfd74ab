"""A long ingest never keeps other writers waiting: while an article of 420 quotations is linked
(through the API, in one thread), other threads log in (a session row) and set claim statuses and
tags (claim rows, events) against the same database, and every one of those requests succeeds.

Not timing-fragile: the ingest is paused at a known point in the middle of its matching (its 50th
candidate lookup against the stored claims) until the other threads have each made their writes,
so they always write while the ingest is half-way. Linking reads with no write pending and writes
in short steps, so nothing holds the database then. Before it did, the ingest held SQLite's write
lock from its first quote to its commit: each write waited out the busy timeout (cut to 10 s here,
so the old behaviour fails in seconds, not minutes) and answered 503. The ingest then finishes
with all its quotations, and the within-article repeats join one claim.
"""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.domain import matching
from app.domain.spread_summary import check_spreads
from app.main import create_app
from app.settings import Settings
from app.storage import engine as engine_module
from app.storage.models import Article, Claim, Mention, Quote, UserSession
from tests.auth import PASSWORD, ensure_user, log_in
from tests.test_auth_login import login_form

QUOTES = 420
PAUSE_AT_LOOKUP = 50
WRITES_WHILE_PAUSED = 3
WAIT_S = 120      # only a guard against a hung test; no assertion is about time

SPEAKERS = ["Halvard Osk", "Brigit Amsel", "Teodor Vane", "Sunniva Roald", "Ilse Marrow"]
SYLLABLES = ["ba", "ko", "ri", "tu", "mel", "san", "vo", "dri", "pe", "lun", "ga", "sor", "fi",
             "nak", "te", "bru", "ol", "wen", "zi", "cap"]


def word(n: int) -> str:
    """A made-up word of its own for every n below 8,000."""
    s = SYLLABLES
    return s[n % 20] + s[(n // 20) % 20] + s[(n // 400) % 20] + "n"


def statement(n: int) -> str:
    """Five words no other statement has: no statement restates another."""
    w = [word(5 * n + k) for k in range(5)]
    return f"The {w[0]} board will rebuild the {w[1]} {w[2]} before the {w[3]} {w[4]} season"


def big_article() -> tuple[str, list[str]]:
    """QUOTES quotations: every seventh repeats an earlier one word for word, by the same speaker."""
    said: list[tuple[str, str]] = []
    paras = ["Harbour board hearing", "The board met in the old customs hall on Tuesday."]
    for i in range(QUOTES):
        if i % 7 == 6:
            text, who = said[i // 2]
        else:
            text, who = statement(i), SPEAKERS[i % len(SPEAKERS)]
        said.append((text, who))
        paras.append(f"“{text},” {who} said.")
        if i % 4 == 3:
            paras.append("Members of the public took notes in the gallery.")
    return "\n\n".join(paras) + "\n", [t for t, _ in said]


class PausedIngest:
    """Holds the ingest at its PAUSE_AT_LOOKUP-th claim lookup until the writers are done (the
    ingest is the only caller: logins, statuses and tags look up no claims by their words)."""

    def __init__(self, writers: int) -> None:
        self.lookups = 0
        self.paused = threading.Event()
        self.done = threading.Barrier(writers + 1)

    def wrap(self, real):
        def lookup(*args, **kwargs):
            self.lookups += 1
            if self.lookups == PAUSE_AT_LOOKUP:
                self.paused.set()
                self.done.wait(WAIT_S)
            return real(*args, **kwargs)
        return lookup


@pytest.fixture
def app_10s(database_url, monkeypatch):
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 10_000)
    app = create_app(Settings(database_url=database_url, actor="tester"))
    yield app
    app.state.engine.dispose()


def test_logins_and_edits_succeed_while_a_long_article_is_ingested(app_10s, monkeypatch):
    app = app_10s
    text, said = big_article()
    with TestClient(app, follow_redirects=False) as setup:
        log_in(setup, app)
        first = setup.post("/api/v1/articles", json={"text": "Quay notes\n\n“The harbour board will "
                                                     "close the north quay to lorries at night,” "
                                                     "Halvard Osk said.\n", "outlet": "Quay Post"})
        assert first.status_code == 201, first.text
    with app.state.sessionmaker() as session:
        claim_id = session.scalar(select(Claim.id))
    ensure_user(app, "dana", "analyst")

    pause = PausedIngest(writers=3)
    monkeypatch.setattr(matching, "claim_candidates_many", pause.wrap(matching.claim_candidates_many))
    ingest_over = threading.Event()
    outcome: dict[str, object] = {}
    answers: dict[str, list[int]] = {"login": [], "status": [], "tag": []}
    failures: list[BaseException] = []

    def ingest() -> None:
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, app, "ingester", "analyst")
            outcome["response"] = client.post("/api/v1/articles", json={"text": text, "outlet": "Board Wire"})

    def writer(kind: str) -> None:
        """WRITES_WHILE_PAUSED writes while the ingest is held, then on until it ends."""
        with TestClient(app, follow_redirects=False) as client:
            if kind != "login":
                log_in(client, app, "dana", "analyst")
            assert pause.paused.wait(WAIT_S), "the ingest never reached its pause"
            n = 0
            while n < WRITES_WHILE_PAUSED or not ingest_over.is_set():
                answers[kind].append(_write(client, kind, claim_id, n))
                n += 1
                if n == WRITES_WHILE_PAUSED:
                    pause.done.wait(WAIT_S)

    threads = [_thread(ingest, failures, then=ingest_over.set)]
    threads += [_thread(writer, failures, kind, failed=pause.done.abort) for kind in answers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S * 2)

    assert failures == []
    assert pause.lookups >= PAUSE_AT_LOOKUP
    expected = {"login": 303, "status": 200, "tag": 200}
    for kind, codes in answers.items():
        assert len(codes) >= WRITES_WHILE_PAUSED
        assert set(codes) == {expected[kind]}, f"{kind}: {Counter(codes)}"
    response = outcome["response"]
    assert response.status_code == 201, response.text
    assert response.json()["quotes"] == QUOTES
    assert response.json()["new_claims"] == len(set(said))
    _check_stored(app, response.json()["id"], said, claim_id, answers)


def _thread(work, failures: list, *args, then=None, failed=None) -> threading.Thread:
    """A thread running work(*args) that keeps what it raised for the assertions."""
    def run() -> None:
        try:
            work(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            failures.append(exc)
            if failed:
                failed()
        finally:
            if then:
                then()
    return threading.Thread(target=run)


def _write(client: TestClient, kind: str, claim_id: int, n: int) -> int:
    if kind == "login":
        client.cookies.clear()
        return login_form(client, "dana", PASSWORD).status_code
    if kind == "status":
        body = {"status": ("verified", "disputed")[n % 2], "reason": f"checked against the minutes ({n})"}
        return client.post(f"/api/v1/claims/{claim_id}/status", json=body).status_code
    return client.post(f"/api/v1/claims/{claim_id}/tags", json={"tag": f"hearing-{n}"}).status_code


def _check_stored(app, article_id: int, said: list[str], claim_id: int, answers: dict) -> None:
    with app.state.sessionmaker() as session:
        article = session.get(Article, article_id)
        assert article.complete
        assert session.scalar(select(func.count()).select_from(Quote).where(Quote.article_id == article_id)) == QUOTES
        # Each statement, said once or repeated, has one claim: the repeats joined it.
        rows = session.execute(select(Claim.text, func.count(func.distinct(Claim.id)))
                               .join(Mention, Mention.claim_id == Claim.id)
                               .where(Mention.article_id == article_id, Mention.quote_id.is_not(None))
                               .group_by(Claim.text)).all()
        assert [t for t, n in rows if n > 1] == []
        assert session.scalar(select(func.count(func.distinct(Claim.text)))) == session.scalar(
            select(func.count()).select_from(Claim))
        logins = session.scalar(select(func.count()).select_from(UserSession))
        assert logins >= len(answers["login"])
        assert session.get(Claim, claim_id).version >= 1 + len(answers["status"])
        assert check_spreads(session) == []         # spread summaries and matrix counts kept
