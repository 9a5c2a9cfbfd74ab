"""Ingest links in short transactions (domain/article_linking.py, domain/write_steps.py): what
another writer does between two steps is taken into account, and an ingest that stops half-way
never leaves an article that looks complete.

- A claim another ingest made while a statement was being matched is joined, not duplicated
  (the step sees it under its lock and matches again).
- A step that fails removes the half article at once; an article left half-way by an ingest that
  is gone (this process no longer linking it, or a process that has exited) is removed by the next
  ingest of its text, which then stores it whole; one still being linked is "already present".
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select, update

from app.domain import articles as articles_module
from app.domain import matching
from app.domain.articles import ArticleInput, ingest_and_commit
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Claim, Event, Mention, Quote, utcnow

SPEAKER = "Maren Tollefsen"
FIRST = "The ferry company will add a night crossing to the island from the first of May"
TEXT = ("Island ferries\n\n"
        f"“{FIRST},” {SPEAKER} said.\n\n"
        f"“Cyclists will travel free on every crossing during the summer months,” {SPEAKER} said.\n\n"
        f"“The old ticket hall on the pier is to become a waiting room with heating,” {SPEAKER} added.\n")
OTHER = f"Ferry news\n\n“{FIRST},” {SPEAKER} told the council.\n"


@pytest.fixture
def factory(database_url):
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _ingest_while_another_reads(factory, monkeypatch, at_lookup: int, other_text: str, claim_text: str):
    """Ingest TEXT in a thread, held at its `at_lookup`-th candidate search (a statement having
    found no claim to join); meanwhile another ingest stores `other_text`. Returns the two results
    and the ids of the articles mentioning the claims worded `claim_text` (one set a claim)."""
    real, calls = matching.claim_candidates_many, []
    paused, resume = threading.Event(), threading.Event()

    def lookup(*args, **kwargs):
        found = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == at_lookup:
            paused.set()
            assert resume.wait(60)
        return found

    monkeypatch.setattr(matching, "claim_candidates_many", lookup)
    results, errors = [], []

    def first_ingest() -> None:
        try:
            with factory() as session:
                results.append(ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=first_ingest)
    thread.start()
    try:
        assert paused.wait(60)
        with factory() as session:
            other = ingest_and_commit(session, ArticleInput(text=other_text, outlet="Harbour Daily"), "b")
    finally:
        resume.set()
        thread.join(60)
    assert errors == []
    with factory() as session:
        linked = [{m for m, in session.execute(select(Mention.article_id).where(Mention.claim_id == claim_id))}
                  for claim_id in session.scalars(select(Claim.id).where(Claim.text == claim_text))]
    return results[0], other, linked


def test_a_claim_made_by_another_ingest_meanwhile_is_joined_not_duplicated(factory, monkeypatch):
    # meanwhile, the same statement by the same speaker
    first, other, linked = _ingest_while_another_reads(factory, monkeypatch, 1, OTHER, FIRST)
    assert linked == [{other.article_id, first.article_id}]
    with factory() as session:
        claim_id = session.scalar(select(Claim.id).where(Claim.text == FIRST))
        assert session.get(Claim, claim_id).outlet_count == 2


def _fail_at_lookup(monkeypatch, n: int) -> None:
    real, calls = matching.claim_candidates_many, []

    def lookup(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise RuntimeError("the matcher broke half-way")
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "claim_candidates_many", lookup)


def _stored(session) -> tuple[int, int, int]:
    return count(session, Article), count(session, Quote), count(session, Event, Event.action == "article.abandon")


def test_a_failed_step_removes_the_half_article(factory, monkeypatch):
    _fail_at_lookup(monkeypatch, 3)
    with factory() as session, pytest.raises(RuntimeError):
        ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a")
    with factory() as session:
        assert _stored(session) == (0, 0, 1)
    monkeypatch.undo()
    with factory() as session:
        result = ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a")
        assert result.created and result.quotes == 3
        assert session.get(Article, result.article_id).complete


def _half_article(factory, monkeypatch, linking_by: str | None = None) -> int:
    """An article an ingest stopped linking after its first statement (the clean-up failing too)."""
    _fail_at_lookup(monkeypatch, 2)
    monkeypatch.setattr(articles_module, "_give_up", lambda *args: None)
    with factory() as session, pytest.raises(RuntimeError):
        ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a")
    monkeypatch.undo()
    with factory() as session:
        article = session.scalars(select(Article)).one()
        assert not article.complete and count(session, Quote) < 3
        if linking_by is not None:
            session.execute(update(Article).values(linking_by=linking_by, linking_at=utcnow()))
            session.commit()
        return article.id


def _ingest_again(factory):
    with factory() as session:
        return ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "b")


def test_an_article_this_process_stopped_linking_is_stored_again_whole(factory, monkeypatch):
    half = _half_article(factory, monkeypatch)
    again = _ingest_again(factory)
    assert again.created and again.article_id != half and again.quotes == 3
    with factory() as session:
        assert _stored(session) == (1, 3, 1)
        assert session.get(Article, again.article_id).complete
        # The half article's claim stayed, and the statement joined it again: no duplicate.
        assert count(session, Claim, Claim.text == FIRST) == 1


def test_an_article_left_by_an_exited_process_is_stored_again_whole(factory, monkeypatch):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    _half_article(factory, monkeypatch, f"{socket.gethostname()} {gone}")
    again = _ingest_again(factory)
    assert again.created and again.quotes == 3
    with factory() as session:
        assert _stored(session) == (1, 3, 1)


def test_an_article_another_live_ingest_is_linking_is_already_present(factory, monkeypatch):
    half = _half_article(factory, monkeypatch, f"{socket.gethostname()} {os.getppid()}")
    again = _ingest_again(factory)
    assert (again.created, again.article_id) == (False, half)
    with factory() as session:
        assert _stored(session)[0::2] == (1, 0)


def test_a_half_article_says_so_on_its_page_and_in_the_api(factory, monkeypatch, client):
    from bs4 import BeautifulSoup

    half = _half_article(factory, monkeypatch)
    page = BeautifulSoup(client.get(f"/articles/{half}").text, "html.parser")
    assert "Still being linked" in page.select_one("#article p.incomplete").get_text()
    assert client.get(f"/api/v1/articles/{half}").json()["complete"] is False
    whole = _ingest_again(factory).article_id
    page = BeautifulSoup(client.get(f"/articles/{whole}").text, "html.parser")
    assert page.select_one("#article p.incomplete") is None
    assert page.select_one("#article h1").get_text() == "Island ferries"
    assert client.get(f"/api/v1/articles/{whole}").json()["complete"] is True


def test_a_step_followed_at_once_by_another_write_is_committed_by_that_one(factory):
    """The end of an article (its passages' runs, the recount, the ingest event) writes in steps
    that follow each other with nothing read between: each but the last is left to the next one
    to commit, and nothing of it is seen by another connection before then."""
    from app.domain.write_steps import WriteSteps

    with factory() as session:
        stored = ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a")
        steps = WriteSteps(session, stored.article_id, commit=True)
        with steps.write(then_write=True):
            session.add(Claim(text="A claim written by the first step", norm_hash=1))
        with factory() as other:
            assert other.scalar(select(func.count()).select_from(Claim)
                                .where(Claim.text == "A claim written by the first step")) == 0
        with steps.write():
            session.add(Claim(text="A claim written by the second step", norm_hash=2))
        with factory() as other:
            assert other.scalar(select(func.count()).select_from(Claim)
                                .where(Claim.text.like("A claim written by the % step"))) == 2


SECOND = "Cyclists will travel free on every crossing during the summer months"


def test_a_claim_made_meanwhile_while_a_later_statement_is_read_is_joined(factory, monkeypatch):
    """As above for the second statement, whose reading starts from the claims' mark the first
    statement's step left (write_steps.WriteSteps.mark): a claim another ingest makes while it
    is read is still seen under the lock."""
    first, other, linked = _ingest_while_another_reads(
        factory, monkeypatch, 2, f"Ferry news\n\n“{SECOND},” {SPEAKER} told the council.\n", SECOND)
    assert linked == [{other.article_id, first.article_id}]


def test_a_step_leaves_the_mark_of_the_claims_it_made(factory, monkeypatch):
    """The next statement starts from the claims' mark the last step left, with the claims that
    step made (write_steps.WriteSteps.mark): with no other writer, no statement is read twice."""
    from app.domain import article_linking

    real, reads = article_linking._read_statement_links, []

    def counted(*args, **kwargs):
        reads.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(article_linking, "_read_statement_links", counted)
    with factory() as session:
        result = ingest_and_commit(session, ArticleInput(text=TEXT, outlet="Island Post"), "a")
    assert result.new_claims == 3
    assert len(reads) == 3 == len(set(reads))
