"""The claims list's spread columns (app/domain/list_spread.py) against the claim page's spread
(app/domain/spread.py): the same first mention and the same outlets per stance, the list's read from
the stored summaries (claim_spreads), the page's summed up from every mention."""
from __future__ import annotations

from sqlalchemy import select

from app.domain.bulk import load_records
from app.domain.list_spread import list_spreads
from app.domain.spread import spreads_for_claims
from app.storage.models import Claim

OUTLETS = ("Quay Daily", "Dock Times", "Pier Weekly", "Harbour Post", "Tide Courier")
STANCES = ("repeats", "contradicts", "discusses")


def _records():
    """Three claims over 60 articles: "wide" in all of them (the earliest days hold a suggestion, a
    same-day tie and an article with a moment of publication), "late" from the 20th on, "few" in
    three; articles 50-59 have no day."""
    sentences = {"wide": "The harbour council approved the new ferry berth on Monday",
                 "late": "Dredging of the northern channel will start before the winter",
                 "few": "The pier museum will close for two years of repairs"}
    for key, text in sentences.items():
        yield 0, {"type": "claim", "key": key, "text": text, "speaker": "Marta Quill"}
    for i in range(60):
        keys = ["wide"] + (["late"] if i >= 20 else []) + (["few"] if i % 25 == 3 else [])
        text = f"Report {i}\n\n" + " ".join(f"Officials said: “{sentences[k]}.”" for k in keys) + "\n"
        mentions = []
        for k in keys:
            start = text.index(sentences[k])
            origin = "suggested" if (k == "wide" and i == 0) else "extracted"
            mentions.append({"claim": k, "start": start, "end": start + len(sentences[k]),
                             "stance": STANCES[i % 3], "origin": origin})
        published = (None if i >= 50 else "2024-06-03T09:30:00+02:00" if i == 2
                     else f"2024-{6 + i // 28:02d}-{1 + i % 28:02d}")
        yield 0, {"type": "article", "outlet": OUTLETS[i % 5], "title": f"Report {i}", "text": text,
                  **({"published": published} if published else {}), "mentions": mentions}


def test_list_spread_matches_the_claim_page_spread(app_session):
    report = load_records(app_session, _records(), "tester")
    assert report.claims == 3 and not report.errors, report
    claim_ids = list(app_session.scalars(select(Claim.id).order_by(Claim.id)))
    full, light = spreads_for_claims(app_session, claim_ids), list_spreads(app_session, claim_ids)
    for cid in claim_ids:
        assert light[cid].first is not None and light[cid].first.id == full[cid].first.id
        assert light[cid].outlets == {s: len(v) for s, v in full[cid].outlets.items()}
        assert sum(light[cid].outlets.values()) > 0
    assert all(not light[cid].first.suggested for cid in claim_ids)
