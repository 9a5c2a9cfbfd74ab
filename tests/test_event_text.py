"""History told as sentences (app/domain/event_text.py): every action the app records reads as words,
with who did it and what changed, never as `key=value`; the claim page shows them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.event_text import SENTENCES, event_sentence
from app.domain.review import add_tag, edit_text, merge_claims, remove_tag, set_status
from app.storage.models import Claim, Event
from tests.test_web_support import HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup

DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.mark.parametrize("action, before, after, expected", [
    ("claim.status", {"status": "unreviewed", "reason": None}, {"status": "disputed", "reason": "the mayor denied it"},
     "ana set status to disputed (was unreviewed) because the mayor denied it"),
    ("claim.merge", {"claim": 7, "text": "Gates open"}, {"merged_into": 3, "mentions_moved": 2},
     "ana merged claim #7 into claim #3 (“Gates open”), moving 2 mentions"),
    ("claim.merged_away", None, {"merged_into": 3}, "ana merged this claim into claim #3"),
    ("claim.edit", {"text": "old words"}, {"text": "new words"},
     "ana changed the wording from “old words” to “new words”"),
    ("claim.tag.add", None, {"tag": "floods"}, "ana tagged it “floods”"),
    ("claim.tag.remove", {"tag": "floods"}, None, "ana removed the tag “floods”"),
    ("mention.stance", {"stance": "repeats", "article_id": 4}, {"stance": "contradicts", "article_id": 4},
     "ana changed the stance of the mention in article #4 from repeats to contradicts"),
    ("suggestion.accept", {"stance": "repeats", "article_id": 4}, {"stance": "contradicts", "article_id": 4},
     "ana accepted the suggestion from article #4 as contradicts (proposed as repeats)"),
    ("suggestion.reject", {"article_id": 4}, None,
     "ana rejected the suggestion from article #4; it will not be proposed again"),
    ("speaker.merge", {"name": "T. Ferreira"}, {"name": "Tomas Ferreira", "quotes_moved": 1,
                                                "claims_moved": 2, "aliases_moved": 0},
     "ana merged speaker T. Ferreira into Tomas Ferreira, moving 1 quote, 2 claims, 0 aliases; "
     "T. Ferreira is now another name of Tomas Ferreira"),
    ("something.new", None, None, "ana made a change: something new"),
])
def test_each_action_reads_as_a_sentence(action, before, after, expected):
    assert event_sentence(action, "ana", before, after) == expected


def test_every_recorded_action_has_words_and_odd_values_do_not_break_them():
    for action in SENTENCES:
        text = event_sentence(action, "ana", {"stance": None}, {"text": 5})
        assert text.startswith("ana ") and "=" not in text and "{" not in text


def test_the_claim_page_history_reads_as_sentences(client, app_session):
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    river, denial = claim_id_for(app_session, RIVER), claim_id_for(app_session, DENIAL)
    set_status(app_session, river, "disputed", "the mayor says no", "ana")
    add_tag(app_session, river, "floods", "ana")
    remove_tag(app_session, river, "floods", "ana")
    edit_text(app_session, river, RIVER + " early", "ana")
    merge_claims(app_session, denial, river, "ana")
    app_session.commit()
    page = soup(client.get(f"/claims/{river}"))
    lines = [li.select_one(".sentence").get_text() for li in page.select(".history li.event")]
    assert len(lines) == len(app_session.scalars(select(Event.id).where(Event.claim_id == river)).all())
    assert lines[0].startswith(f"ana merged claim #{denial} into claim #{river}")
    assert "ana removed the tag “floods”" in lines and "ana tagged it “floods”" in lines
    assert "ana set status to disputed (was unreviewed) because the mayor says no" in lines
    assert all("=" not in li.get_text() for li in page.select(".history li.event"))
    assert app_session.get(Claim, denial).merged_into_id == river
