"""One long ingest never blocks the team.

The work an ingest does on one article is bounded (max_article_quotes quotations, max_quote_statements
statements of one quotation): past a bound the article is stored whole, the rest is left unlinked,
and every channel says so. And a large ingest running while others log in and write fails none
of them: on SQLite the ingest holds the one write lock only while it links its bounded work, and
the others wait for it (busy_timeout) instead of failing."""
from __future__ import annotations

import random
import threading

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.domain.articles import ArticleInput, ingest_article, plan_article
from app.domain.matching import MatchConfig
from app.main import create_app
from app.settings import Settings
from app.storage.models import Article, Event, Quote
from tests.auth import PASSWORD, ensure_user, log_in
from tests.test_web_support import paste, soup

NAMES = ["Ines Falk", "Bruno Ake", "Carla Moen", "Dario Pell"]
PLACES = ["north pier", "ferry ramp", "grain silo", "east lock", "fish market", "dry dock"]
ACTS = ["repaint", "close", "rebuild", "inspect", "widen", "sell"]


def long_article(quotes: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    paras = [f"Harbour board, {quotes} remarks", "The board met in the old customs hall."]
    for i in range(quotes):
        paras.append(f"“The board will {rng.choice(ACTS)} the {rng.choice(PLACES)} at berth {i} "
                     f"this year,” {rng.choice(NAMES)} said.")
    return "\n\n".join(paras) + "\n"


def test_quotes_past_the_bound_are_left_out_and_said(session):
    text = long_article(12)
    result = ingest_article(session, ArticleInput(text=text, outlet="Port Post"), "t",
                            matching=MatchConfig(max_quotes=5))
    session.commit()
    assert session.scalar(select(Article.text)) == text          # stored whole
    assert session.scalar(select(func.count()).select_from(Quote)) == result.quotes == 5
    assert result.notes and "first 5 of its 12 quotations" in result.notes[0]
    event = session.scalar(select(Event).where(Event.action == "article.ingest"))
    assert event.after["quotes_not_linked"] == 7


def test_statements_past_the_bound_are_left_out_and_said():
    text = ("Port\n\n“The board will close the north pier this year. The board will widen the ferry "
            "ramp next year. The board will sell the grain silo in spring,” Ines Falk said.\n")
    assert len(plan_article(text, MatchConfig()).units[0].statements) == 3
    plan = plan_article(text, MatchConfig(max_statements=2))
    assert len(plan.units[0].statements) == 2
    assert plan.left_out["statements_not_linked"] == 1 and "1 statements" in plan.notes[0]


def test_an_article_within_the_bounds_has_no_note(session):
    result = ingest_article(session, ArticleInput(text=long_article(3), outlet="Port Post"), "t")
    assert result.quotes == 3 and result.notes == ()


@pytest.fixture
def small_bound(database_url):
    settings = Settings(database_url=database_url, actor="tester", max_article_quotes=4)
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


def test_every_channel_says_what_the_bound_left_out(small_bound, tmp_path, database_url, monkeypatch):
    with TestClient(small_bound, follow_redirects=False) as client:
        log_in(client, small_bound)
        page = paste(client, {"text": long_article(6, seed=1), "outlet": "Port Post", "title": "Board"})
        assert "first 4 of its 6 quotations" in soup(page).select_one("#ingest-results .note").get_text()
        api = client.post("/api/v1/articles", json={"text": long_article(6, seed=2), "outlet": "Port Post"})
        assert api.status_code == 201 and api.json()["quotes"] == 4
        assert "MAX_ARTICLE_QUOTES" in api.json()["notes"][0]
    from app.cli import main

    (tmp_path / "board.txt").write_text(long_article(6, seed=3), encoding="utf-8")
    monkeypatch.setenv("CLAIMTRACKER_MAX_ARTICLE_QUOTES", "4")
    out = CliRunner().invoke(main, ["ingest", str(tmp_path / "board.txt"), "--outlet", "Port Post",
                                    "--database-url", database_url])
    assert "note: only the first 4 of its 6 quotations" in out.output


@pytest.mark.slow
def test_a_large_ingest_fails_no_login_and_no_write_beside_it(app):
    """A 3,000-quotation article (the default bound links 500 of them) through the API, while
    four others log in through the form and paste small articles, again and again until it is done
    (and at least three rounds each): every answer is below 500."""
    big = long_article(3000)
    for i in range(4):
        ensure_user(app, f"analyst{i}", "analyst")
    done = threading.Event()
    answers: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            client = log_in(TestClient(app, follow_redirects=False), app)
            r = client.post("/api/v1/articles", json={"text": big, "outlet": "Hearing Wire"})
            answers.append(("large ingest", r.status_code))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)
        finally:
            done.set()

    def colleague(i: int) -> None:
        try:
            rounds = 0
            while not done.is_set() or rounds < 3:
                client = TestClient(app, follow_redirects=False)
                token = soup(client.get("/login")).select_one("form.login-form input[name=csrf_token]")["value"]
                r = client.post("/login", data={"name": f"analyst{i}", "password": PASSWORD, "csrf_token": token})
                answers.append(("login", r.status_code))
                log_in(client, app, f"analyst{i}", "analyst")
                text = long_article(2, seed=1000 * i + rounds).replace("Harbour board", f"Note {i}-{rounds}")
                answers.append(("paste", paste(client, {"text": text, "outlet": f"Desk {i}"}).status_code))
                rounds += 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=ingest)] + [threading.Thread(target=colleague, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    assert errors == []
    assert ("large ingest", 201) in answers
    failed = [a for a in answers if a[1] >= 500]
    assert failed == [], f"{len(failed)} of {len(answers)} requests failed beside a large ingest"
    assert {a for a in answers if a[0] == "login"} == {("login", 303)}
    assert len([a for a in answers if a[0] == "paste"]) >= 12


def test_a_statement_links_what_the_matcher_links_beside_its_own_claim(session, monkeypatch):
    """The claims a statement's passage decisions name are loaded in one query; a decision to link
    one (origin "extracted", same speaker and moment) stays a link, not a suggestion."""
    from dataclasses import replace as dc_replace

    from app.domain import article_linking
    from app.domain.match_types import Decision
    from app.pipeline.matching import NO_MATCH
    from app.storage.models import Claim, Mention

    other = Claim(text="The board will widen the ferry ramp at berth 9 this year", norm_hash=1)
    session.add(other)
    session.flush()
    decision = Decision(other.id, "repeats", "extracted", dc_replace(NO_MATCH, score=0.95, lexical=0.95))
    monkeypatch.setattr(article_linking, "passage_decisions",
                        lambda scored, config, skip, passage=None, speakers=None: [decision] if other.id not in skip else [])
    ingest_article(session, ArticleInput(text=long_article(1), outlet="Port Post"), "t")
    origin = session.scalar(select(Mention.origin).where(Mention.claim_id == other.id))
    assert origin == "extracted"
