"""Importing known claims: new ones are created and indexed, known ones reused without overwriting
an analyst's verdict, duplicates in a file collapse, and articles ingested later link to them."""
from __future__ import annotations

from sqlalchemy import func, select

from app.domain.articles import ingest_article
from app.domain.known_claims import import_known_claims
from app.domain.review import set_status
from app.pipeline.known_claims import KnownClaim
from app.storage.models import Claim, ClaimShingle, Event, Mention
from tests.factories import HERALD, STATEMENT

REVIEW_URL = "https://checkdesk.example/reviews/pier"
PIER = KnownClaim(text=STATEMENT, speaker="Mirela Dunst", rating="Mostly False", status="misleading",
                  url=REVIEW_URL, reviewer="Check Desk", where="line 2")
LAMPS = KnownClaim(text="Every street lamp in the old town will be replaced by the end of June",
                   rating="Satire", where="line 3")


def events(session, claim_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.claim_id == claim_id).order_by(Event.id)))


def test_new_claims_are_created_indexed_and_recorded(session):
    result = import_known_claims(session, [PIER, LAMPS], "tester", source="ratings.csv")
    session.commit()
    assert (len(result.created), result.existing, result.updated, result.errors) == (2, [], [], [])
    pier = session.get(Claim, result.created[0])
    assert (pier.text, pier.status, pier.status_reason, pier.source_url) == (
        STATEMENT, "misleading", "Mostly False (Check Desk)", REVIEW_URL)
    assert pier.speaker.name == "Mirela Dunst"
    assert session.scalar(select(func.count()).select_from(ClaimShingle)
                          .where(ClaimShingle.claim_id == pier.id)) > 0
    lamps = session.get(Claim, result.created[1])
    assert (lamps.status, lamps.status_reason, lamps.speaker_id) == ("unreviewed", "Satire", None)
    [event] = events(session, pier.id)
    assert (event.action, event.actor) == ("claim.import", "tester")
    assert event.after["source"] == "ratings.csv" and event.after["rating"] == "Mostly False"
    assert result.summary() == "2 created, 0 already known, 0 updated"


def test_an_article_ingested_later_links_to_the_imported_claim(session):
    [claim_id] = import_known_claims(session, [PIER], "tester", source="r.csv").created
    session.commit()
    ingest_article(session, HERALD, "tester")
    session.commit()
    # the statement makes no claim of its own (the article's other reported line may make one)
    texts = [c.text for c in session.scalars(select(Claim).where(Claim.id != claim_id))]
    assert not any(STATEMENT.lower()[:40] in t.lower() for t in texts)
    mention = session.scalar(select(Mention).where(Mention.claim_id == claim_id))
    assert mention is not None


def test_unreviewed_known_claim_takes_the_rating_and_the_url(session):
    ingest_article(session, HERALD, "tester")
    session.commit()
    claim = session.scalar(select(Claim))
    version = claim.version
    reworded = KnownClaim(text=f"“{STATEMENT.upper()}!”", rating="False", status="false",
                          url=REVIEW_URL)
    result = import_known_claims(session, [reworded], "tester", source="r.jsonl")
    session.commit()
    assert result.updated == [claim.id] and not result.created
    session.refresh(claim)
    assert (claim.status, claim.status_reason, claim.source_url) == ("false", "False", REVIEW_URL)
    assert claim.version == version + 1
    event = events(session, claim.id)[-1]
    assert event.action == "claim.import"
    assert event.before["status"] == "unreviewed" and event.after["status"] == "false"


def test_an_analysts_status_is_never_overwritten(session):
    ingest_article(session, HERALD, "tester")
    claim = session.scalar(select(Claim))
    set_status(session, claim.id, "verified", "confirmed with the harbour office", "analyst")
    session.commit()
    result = import_known_claims(session, [PIER], "tester", source="r.csv")
    session.commit()
    session.refresh(claim)
    assert result.updated == [claim.id]           # only the empty source url was filled
    assert (claim.status, claim.status_reason) == ("verified", "confirmed with the harbour office")
    assert claim.source_url == REVIEW_URL
    again = import_known_claims(session, [PIER], "tester", source="r.csv")
    assert again.existing == [claim.id] and not again.updated
    assert [e.action for e in events(session, claim.id)].count("claim.import") == 1


def test_duplicates_in_one_file_collapse(session):
    result = import_known_claims(session, [PIER, LAMPS, PIER, KnownClaim(text=STATEMENT + ".")],
                                 "tester", source="r.csv")
    session.commit()
    assert len(result.created) == 2 and result.duplicates == 2
    assert session.scalar(select(func.count()).select_from(Claim)) == 2
    assert result.summary().endswith(", 2 duplicates in the file")


def test_a_merged_claims_wording_leads_to_its_survivor(session):
    from app.domain.review import merge_claims

    first, second = import_known_claims(session, [PIER, LAMPS], "tester", source="a.csv").created
    merge_claims(session, first, second, "analyst")
    session.commit()
    result = import_known_claims(session, [PIER], "tester", source="b.csv")
    assert (result.created, result.updated + result.existing) == ([], [second])


def test_a_record_the_domain_refuses_is_reported_and_the_rest_go_on(session):
    bad = KnownClaim(text="   ", where="line 9")
    result = import_known_claims(session, [bad, LAMPS], "tester", source="r.csv")
    assert result.errors == ["line 9: claim text cannot be empty"]
    assert len(result.created) == 1
