"""A claim's identity is its words, its speaker and its moment: the same words from another named
speaker, or months later, start another claim, proposed beside the first at most."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.articles import ArticleInput, ingest_article
from app.storage.models import Claim, Mention

WORDS = "The ferry service across the bay will run every hour from the first of June"


def _article(outlet: str, day: date, speaker: str, title: str) -> ArticleInput:
    return ArticleInput(outlet=outlet, published=day, title=title,
                        text=f"{title}\n\n“{WORDS},” {speaker} said on Tuesday.\n")


def _ingest(session, first_day: date, second: ArticleInput) -> None:
    """The transport chief says WORDS in the Bay Post on `first_day`, then `second` is ingested."""
    ingest_article(session, _article("Bay Post", first_day, "transport chief Ana Ruiz", "Ferries"), "t")
    ingest_article(session, second, "t")
    session.commit()


def _claims(session) -> list[Claim]:
    return list(session.scalars(select(Claim).where(Claim.text == WORDS).order_by(Claim.id)))


def _origins(session, claim_id: int) -> list[str]:
    return sorted(session.scalars(select(Mention.origin).where(Mention.claim_id == claim_id)))


def test_the_same_speaker_days_later_joins_the_claim(session):
    _ingest(session, date(2024, 5, 2), _article("Coast News", date(2024, 5, 9), "Ana Ruiz", "Hourly ferries"))
    [claim] = _claims(session)
    assert _origins(session, claim.id) == ["extracted", "extracted"]


def test_the_same_words_from_another_speaker_are_another_claim(session):
    _ingest(session, date(2024, 5, 2), _article("Coast News", date(2024, 5, 3), "union leader Tom Hale", "Union view"))
    first, second = _claims(session)
    assert first.speaker_id != second.speaker_id
    # the first claim is not linked to the union leader's words; at most it is proposed there
    assert _origins(session, first.id) in (["extracted"], ["extracted", "suggested"])


def test_the_same_words_months_later_are_another_claim(session):
    _ingest(session, date(2024, 1, 10), _article("Coast News", date(2024, 9, 20), "Ana Ruiz", "Ferries again"))
    first, second = _claims(session)
    assert first.speaker_id == second.speaker_id
    assert _origins(session, first.id) in (["extracted"], ["extracted", "suggested"])


def test_an_unknown_date_or_speaker_never_splits_a_claim(session):
    undated = ArticleInput(outlet="Coast News", published=None, title="Ferries",
                           text=f"Ferries\n\nThe plan is simple: “{WORDS}.”\n")
    _ingest(session, date(2024, 1, 10), undated)
    [claim] = _claims(session)
    assert _origins(session, claim.id) == ["extracted", "extracted"]


def test_a_body_saying_what_its_official_said_is_the_same_claim(session):
    _ingest(session, date(2024, 5, 2), _article("Coast News", date(2024, 5, 3), "the transport authority", "Ferries"))
    [claim] = _claims(session)
    assert _origins(session, claim.id) == ["extracted", "extracted"]
