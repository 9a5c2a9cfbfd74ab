"""A known claim's fact-check headline (claims.review_title) is a second wording of the claim: it is
imported from CSV and ClaimReview, stored, shown, searched, and matching scores a passage against it
as well as against the text, so a post worded like the headline finds the claim."""
from __future__ import annotations

from app.domain.claims import ClaimFilter, list_claims
from app.domain.known_claims import import_known_claims
from app.domain.similar import similar_claims
from app.pipeline.known_claims import KnownClaim, parse_known_claims
from app.storage.models import Claim

TEXT = "The council will close every public swimming pool in the district from next summer"
HEADLINE = "Leaked memo shows mayor Okafor plans to shut lidos to fund stadium"
POST = "So mayor Okafor wants to shut the lidos to pay for his stadium?? that leaked memo is wild"
OTHERS = ["The stadium expansion will cost the district twice the first estimate",
          "Mayor Okafor will not stand for a second term next spring",
          "A leaked memo shows bus fares rising again in the district"]


def _import(session, title: str | None = HEADLINE) -> int:
    records = [KnownClaim(text=TEXT, title=title, url="https://checks.example/lidos")]
    records += [KnownClaim(text=t) for t in OTHERS]
    result = import_known_claims(session, records, "tester", source="checks.csv")
    session.commit()
    return result.created[0]


def test_csv_and_claimreview_headlines_are_read():
    csv_data = f"claim,headline,rating\n{TEXT},{HEADLINE},False\n".encode()
    [record], errors = parse_known_claims(csv_data, "checks.csv", "auto")
    assert errors == [] and record.title == HEADLINE
    review = ('{"@type": "ClaimReview", "claimReviewed": "%s", "headline": "%s", '
              '"reviewRating": {"alternateName": "False"}}' % (TEXT, HEADLINE))
    [record], errors = parse_known_claims(review.encode(), "review.json", "auto")
    assert errors == [] and record.title == HEADLINE
    too_long = f"claim,headline\n{TEXT},{'word ' * 1200}\n".encode()
    records, errors = parse_known_claims(too_long, "checks.csv", "auto")
    assert records == [] and "headline is longer" in errors[0]


def test_the_headline_is_stored_and_fills_an_existing_claim(session):
    claim_id = _import(session, title=None)
    assert session.get(Claim, claim_id).review_title is None
    result = import_known_claims(session, [KnownClaim(text=TEXT, title=HEADLINE)], "tester", source="again.csv")
    session.commit()
    assert result.updated == [claim_id]
    assert session.get(Claim, claim_id).review_title == HEADLINE


def test_a_post_worded_like_the_headline_finds_the_claim(session):
    claim_id = _import(session)
    [best, *_] = similar_claims(session, POST, 3)
    assert best.claim_id == claim_id and best.text == TEXT
    assert best.match.headline is not None and "fact-check headline" in best.match.reason
    assert best.match.headline > best.match.score > 0   # the learned join trusts a headline alone less


def test_without_the_headline_the_post_does_not_find_it(session):
    claim_id = _import(session, title=None)
    assert claim_id not in [s.claim_id for s in similar_claims(session, POST, 3)]


def test_the_claims_search_finds_a_headline_word(session):
    claim_id = _import(session)
    assert [c.id for c in list_claims(session, ClaimFilter(q="lidos")).claims] == [claim_id]
    session.get(Claim, claim_id).review_title = "Nothing about pools here"   # the index follows
    session.commit()
    assert list_claims(session, ClaimFilter(q="lidos")).claims == []


def test_the_claim_page_and_api_show_the_fact_check(client, app_session):
    claim_id = _import(app_session)
    page = client.get(f"/claims/{claim_id}").text
    assert 'class="fact-check"' in page and HEADLINE in page and 'href="https://checks.example/lidos"' in page
    body = client.get(f"/api/v1/claims/{claim_id}").json()
    assert (body["fact_check_headline"], body["fact_check_url"]) == (HEADLINE, "https://checks.example/lidos")
    other = import_known_claims(app_session, [KnownClaim(text="Ferries will run all night on weekends from May")],
                                "tester", source="x.csv").created[0]
    app_session.commit()
    assert 'class="fact-check"' not in client.get(f"/claims/{other}").text
