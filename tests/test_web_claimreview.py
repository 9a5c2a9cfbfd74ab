"""schema.org ClaimReview out: JSON-LD on the claim and sources pages for a claim with a verdict,
`/claims/{id}/claimreview.json`, checked against a small copy of the schema.org vocabulary, safe
inside <script>, and read back by `claimtracker import-claims` unchanged."""
from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.cli import main
from app.domain.review import edit_text, merge_claims, set_status
from app.main import create_app
from app.settings import Settings
from app.storage.engine import make_engine
from app.storage.models import Claim
from tests.test_web_support import (
    HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, article_id_for, claim_id_for, ingest_all,
    mentions_of, soup)

# --- a small copy of the schema.org vocabulary (https://schema.org/ClaimReview and the types it uses):
# each type's own properties, its parent, and the types a property's value may have.
THING = {"name", "url", "alternateName", "description", "identifier", "sameAs", "image"}
TYPES: dict[str, tuple[str | None, set[str]]] = {
    "Thing": (None, THING),
    "CreativeWork": ("Thing", {"author", "datePublished", "headline", "publisher", "text", "dateModified"}),
    "Review": ("CreativeWork", {"itemReviewed", "reviewRating", "reviewBody"}),
    "ClaimReview": ("Review", {"claimReviewed"}),
    "Claim": ("CreativeWork", {"appearance", "firstAppearance", "claimInterpreter"}),
    "Rating": ("Thing", {"ratingValue", "bestRating", "worstRating", "ratingExplanation", "author"}),
    "Organization": ("Thing", {"legalName"}),
    "Person": ("Thing", {"givenName", "familyName"}),
}
RANGES = {
    "author": {"Organization", "Person"}, "publisher": {"Organization", "Person"},
    "reviewRating": {"Rating"}, "itemReviewed": {"Claim", "Thing", "CreativeWork"},
    "appearance": {"CreativeWork"}, "firstAppearance": {"CreativeWork"},
}
TEXT = {"name", "alternateName", "headline", "claimReviewed", "ratingExplanation", "text"}
URLS = {"url"}
DATES = {"datePublished"}
NUMBERS = {"ratingValue", "bestRating", "worstRating"}
#: What Google's fact-check markup requires or recommends, per type.
REQUIRED = {"ClaimReview": {"claimReviewed", "reviewRating", "url", "author", "itemReviewed", "datePublished"},
            "Rating": {"alternateName"}, "Organization": {"name"}, "Person": {"name"},
            "CreativeWork": {"url"}}


def properties(type_name: str) -> set[str]:
    props: set[str] = set()
    while type_name:
        parent, own = TYPES[type_name]
        props |= own
        type_name = parent
    return props


def validate(node, expected: set[str], where: str = "$") -> None:
    """Every object typed with a known type, only that type's properties, values of the right kind."""
    assert isinstance(node, dict), f"{where}: expected an object"
    kind = node.get("@type")
    assert kind in TYPES and kind in expected, f"{where}: @type {kind!r}, expected one of {expected}"
    missing = REQUIRED.get(kind, set()) - node.keys()
    assert not missing, f"{where}: {kind} lacks {missing}"
    for key, value in node.items():
        if key in ("@context", "@type"):
            continue
        assert key in properties(kind), f"{where}: {key} is not a property of {kind}"
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            at = f"{where}.{key}" + (f"[{i}]" if isinstance(value, list) else "")
            if key in RANGES:
                validate(item, RANGES[key], at)
            elif key in URLS:
                assert urlparse(item).scheme in ("http", "https") and urlparse(item).netloc, at
            elif key in DATES:
                assert date.fromisoformat(item[:10]), at
            elif key in NUMBERS:
                assert isinstance(item, (int, float)), at
            else:
                assert key in TEXT and isinstance(item, str) and item.strip(), at


def ld_scripts(page) -> list[dict]:
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


@pytest.fixture
def claim_id(client, app_session) -> int:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    return claim_id_for(app_session, RIVER)


REASON = "The authority says no gate opens before May"


def _verdict(session, claim_id: int, status: str = "false", reason: str = REASON) -> None:
    set_status(session, claim_id, status, reason, "tester")
    session.commit()


def test_unreviewed_claim_has_no_review(client, claim_id):
    for path in (f"/claims/{claim_id}", f"/claims/{claim_id}/sources"):
        assert ld_scripts(soup(client.get(path))) == []
    response = client.get(f"/claims/{claim_id}/claimreview.json")
    assert response.status_code == 404
    assert "no verdict yet" in response.json()["message"]


def test_claim_with_a_verdict_carries_valid_claimreview(client, app_session, claim_id):
    _verdict(app_session, claim_id)
    response = client.get(f"/claims/{claim_id}/claimreview.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    review = response.json()
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    validate(review, {"ClaimReview"})
    assert review["claimReviewed"] == RIVER
    assert review["url"] == f"http://testserver/claims/{claim_id}"
    assert review["author"] == {"@type": "Organization", "name": "claimtracker"}
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "False",
                                      "ratingExplanation": "The authority says no gate opens before May"}
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Tomas Ferreira"}
    riverside = article_id_for(app_session, RIVERSIDE_NEWS["title"])
    # the original url when the article has one, else the app's permalink; confirmed mentions only
    assert [w["url"] for w in item["appearance"]] == [VALLEY_POST["url"],
                                                      f"http://testserver/articles/{riverside}"]
    assert len(mentions_of(app_session, claim_id, origin_suggested=True)) > 0
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Valley Post"}
    assert item["firstAppearance"]["datePublished"] == "2024-03-01"

    for path in (f"/claims/{claim_id}", f"/claims/{claim_id}/sources"):
        assert ld_scripts(soup(client.get(path))) == [review]
    link = soup(client.get(f"/claims/{claim_id}")).select_one("a.claimreview-link")
    assert link["href"] == f"/claims/{claim_id}/claimreview.json"


def test_the_organization_comes_from_the_settings(database_url, claim_id, app_session):
    _verdict(app_session, claim_id, "verified", "Seen on the authority's site")
    app = create_app(Settings(database_url=database_url, organization="Valley Fact Desk",
                              organization_url="https://factdesk.example/", public_read=True))
    try:
        with TestClient(app) as anon:
            review = anon.get(f"/claims/{claim_id}/claimreview.json").json()
    finally:
        app.state.engine.dispose()
    assert review["author"] == {"@type": "Organization", "name": "Valley Fact Desk",
                                "url": "https://factdesk.example/"}
    assert review["reviewRating"]["alternateName"] == "Verified"


def test_script_in_a_claim_cannot_break_out_of_the_json_ld(client, app_session, claim_id):
    hostile = "The gates open </script><script>alert(1)</script> at dawn <!-- on Friday & later"
    edit_text(app_session, claim_id, hostile, "tester")
    _verdict(app_session, claim_id)
    response = client.get(f"/claims/{claim_id}")
    assert "</script><script>alert(1)" not in response.text
    page = soup(response)
    inline = [s for s in page.select("script") if not s.get("src")]
    assert [s["type"] for s in inline] == ["application/ld+json"]
    assert ld_scripts(page)[0]["claimReviewed"] == hostile


def test_a_merged_claim_redirects_to_its_survivors_review(client, app_session, claim_id):
    other = claim_id_for(app_session, "Nobody has decided to open any flood gate this week")
    merge_claims(app_session, other, claim_id, "tester")
    app_session.commit()
    response = client.get(f"/claims/{other}/claimreview.json")
    assert response.status_code == 301
    assert response.headers["location"] == f"/claims/{claim_id}/claimreview.json"


def _import(tmp_path, name: str, content: str) -> list[tuple]:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--database-url", url]).exit_code == 0
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["import-claims", str(path), "--database-url", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 created, 0 already known, 0 updated"
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(Claim.text, Claim.status, Claim.source_url,
                                                          Claim.status_reason))]
    engine.dispose()
    return rows


@pytest.mark.parametrize("status", ["verified", "disputed", "false", "misleading"])
def test_an_exported_review_imports_back_unchanged(client, app_session, claim_id, tmp_path, status):
    _verdict(app_session, claim_id, status)
    exported = client.get(f"/claims/{claim_id}/claimreview.json").text
    expected = [(RIVER, status, f"http://testserver/claims/{claim_id}", REASON)]
    assert _import(tmp_path, "review.jsonld", exported) == expected


def test_the_claim_page_itself_imports_back(client, app_session, claim_id, tmp_path):
    _verdict(app_session, claim_id, "misleading")
    page = client.get(f"/claims/{claim_id}/sources").text
    assert _import(tmp_path, "page.html", page) == [
        (RIVER, "misleading", f"http://testserver/claims/{claim_id}", REASON)]


def _review_of_every_mention(session, claim: Claim, base: str) -> dict:
    """The ClaimReview as it was built before review_articles: from every confirmed mention read
    whole (claim_spread), one appearance per article in mention order, the spread's first."""
    from app.domain.claimreview import _work, claim_review, reviewed_at
    from app.domain.spread import claim_spread, moment_text
    from app.web.templating import external_href

    def url(m) -> str:
        return external_href(m.url) or f"{base}/articles/{m.article_id}"

    spread = claim_spread(session, claim.id)
    review = claim_review(claim, [], organization="claimtracker", organization_url=None,
                          review_url=f"{base}/claims/{claim.id}", article_url=url, at=reviewed_at(session, claim))
    seen: set[int] = set()
    works = [_work(m, url) for m in spread.confirmed if not (m.article_id in seen or seen.add(m.article_id))]
    if works:
        review["itemReviewed"]["appearance"] = works
    if spread.first is not None:
        review["itemReviewed"]["firstAppearance"] = _work(spread.first, url)
        review["itemReviewed"]["datePublished"] = moment_text(spread.first)
    return review


@pytest.mark.parametrize("planned", [False, True])
def test_the_review_read_by_article_is_the_review_of_every_mention(database_url, monkeypatch, planned):
    """The ClaimReview lists the claim's articles from one light read of them (review_articles),
    not from every mention read whole: the same JSON-LD, on the claim page, the sources page and
    claimreview.json, for every claim, with ties, undated and timed articles, a suggestion and an
    article carrying the claim twice. `planned` (READ_WHOLE 0, every claim "big"): the page drawn
    from its stored plan reads no mention whole but the ones the plan names (mentions.id IN)."""
    from datetime import datetime, timezone

    from sqlalchemy import event

    from app.domain.articles import ingest_and_commit
    from app.domain.linking import refresh_outlet_counts
    from app.domain.people import get_or_create_outlet
    from app.storage.models import Article, Mention
    from tests.factories import DENIAL, GAZETTE, HERALD
    from tests.outlet_dataset import build

    if planned:
        monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=0))
    try:
        with app.state.sessionmaker() as s:
            data = build(s)
            for article in (HERALD, GAZETTE, DENIAL):
                ingest_and_commit(s, article, "tester")
            c1 = data.claims["c1"]
            beta = s.get(Article, s.get(Mention, data.mentions[("c1", "Beta", "repeats")]).article_id)
            beta.url = "https://beta.example/report"
            s.add(Mention(claim_id=c1, article_id=beta.id, start=0, end=6, excerpt="Report", stance="discusses",
                          origin="analyst"))                                 # a second mention, same article
            delta = get_or_create_outlet(s, "Delta")
            for n, (day, at) in enumerate([(None, None),                     # undated: last
                                           (date(2024, 1, 10), datetime(2024, 1, 10, 8, tzinfo=timezone.utc))]):
                extra = Article(outlet_id=delta.id, title=f"Delta extra {n}", published=day, published_at=at,
                                text="Delta carries it.", content_hash=f"claimreview-extra-{n}")
                s.add(extra)
                s.flush()
                s.add(Mention(claim_id=c1, article_id=extra.id, start=0, end=5, excerpt="Delta", stance="repeats",
                              origin="extracted"))
            refresh_outlet_counts(s, [c1])
            s.commit()
            ids = list(s.scalars(select(Claim.id).where(Claim.merged_into_id.is_(None)).order_by(Claim.id)))
            for i in ids:
                set_status(s, i, "false", REASON, "tester")
            s.commit()
        statements: list[str] = []
        listen = lambda conn, cursor, statement, *rest: statements.append(statement)   # noqa: E731
        with TestClient(app) as c:
            for i in ids:
                with app.state.sessionmaker() as s:
                    want = _review_of_every_mention(s, s.get(Claim, i), "http://testserver")
                assert c.get(f"/claims/{i}/claimreview.json").json() == want
                assert ld_scripts(soup(c.get(f"/claims/{i}/sources"))) == [want]
                event.listen(app.state.engine, "before_cursor_execute", listen)
                try:
                    page = c.get(f"/claims/{i}")
                finally:
                    event.remove(app.state.engine, "before_cursor_execute", listen)
                assert ld_scripts(soup(page)) == [want]
                if i == c1:
                    works = want["itemReviewed"]["appearance"]
                    assert len(works) == 5 and works[-1]["headline"] == "Delta extra 0"   # 6 confirmed mentions
                    assert "https://beta.example/report" in [w["url"] for w in works]
                    assert want["itemReviewed"]["firstAppearance"]["datePublished"] == "2024-01-10T08:00:00Z"
        whole_reads = [s for s in statements if "mentions.excerpt" in s and "mentions.id IN" not in s]
        assert bool(whole_reads) == (not planned), whole_reads
        if planned:     # the review's read: the claim's article ids from the index, then those articles
            reads = [" ".join(s.split()) for s in statements if "FROM mentions" in s]
            assert reads and all("mentions.id IN" in s or "(SELECT mentions.article_id FROM mentions WHERE" in s
                                 for s in reads), reads
    finally:
        app.state.engine.dispose()
