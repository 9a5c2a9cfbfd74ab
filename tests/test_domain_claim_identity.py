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


def test_identities_read_ahead_are_read_again_by_a_later_reading(session):
    """A statement's candidates' identities are read in one query as the first is asked
    (linking.IdentitiesAhead), but one read ahead and not asked is dropped with that reading: a
    later statement asking of the claim reads it then, after what was written meanwhile (here an
    earlier article carrying it, which makes the claim's moment months before)."""
    from datetime import timedelta

    from app.domain.linking import add_mention, another_statement, forget_identities, identities_read_together
    from app.storage.models import Article

    day = date(2024, 5, 2)
    ingest_article(session, _article("Bay Post", day, "transport chief Ana Ruiz", "Ferries"), "t")
    ingest_article(session, ArticleInput(outlet="Bay Post", published=day, title="Tolls",
                                         text="Tolls\n\n“The bridge toll will double for trucks from "
                                              "the spring onwards,” Tom Hale said on Monday.\n"), "t")
    session.commit()
    first = _claims(session)[0]
    other = session.scalar(select(Claim).where(Claim.text.like("The bridge toll%")))
    forget_identities(session)
    with identities_read_together(session) as ahead:
        ahead.askable.update({first.id, other.id})
        assert not another_statement(session, first.id, None, day)   # reads `other` ahead too
    # (written directly: an ingest would start an article's identities afresh)
    earlier = Article(outlet_id=session.get(Article, 1).outlet_id, title="Old", text="Old words",
                      content_hash="old", published=day - timedelta(days=90))
    session.add(earlier)
    session.flush()
    add_mention(session, other, earlier, 0, 3, origin="suggested")
    session.commit()
    assert another_statement(session, other.id, None, day)
