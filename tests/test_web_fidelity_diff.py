"""The claim page's "How each outlet renders it": fidelity badges and word diffs, outlet by outlet."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.linking import add_mention
from app.storage.models import Article, Claim, Mention
from tests.test_web_support import article_id_for, claim_id_for, ingest_all, soup

LIBRARIES = ("The city council will double the budget for public libraries over the next two "
             "years to keep every branch open on weekends")
TRIMMED = ("The city council will double the budget for public libraries … to keep every branch "
           "open on weekends")
ALTERED = LIBRARIES.replace("next two years", "next three years")

COURIER = {  # quotes the statement word for word
    "outlet": "Lakeside Courier", "title": "Libraries get more money", "published": "2024-06-03",
    "text": ("Libraries get more money\n\n"
             f"“{LIBRARIES},” council leader Ingrid Holm said on Monday.\n"),
}
LEDGER = {  # changes one word inside the quotation marks
    "outlet": "Metro Ledger", "title": "Library budget to double", "published": "2024-06-04",
    "text": ("Library budget to double\n\n"
             f"“{ALTERED},” council leader Ingrid Holm told reporters.\n"),
}
BULLETIN = {  # cuts the middle with an ellipsis
    "outlet": "Northside Bulletin", "title": "Weekend hours for every branch", "published": "2024-06-05",
    "text": ("Weekend hours for every branch\n\n"
             f"Council leader Ingrid Holm said: “{TRIMMED}.”\n\nReaders welcomed the news.\n"),
}


@pytest.fixture
def claim_id(client, app_session) -> int:
    """The three articles ingested, and the Bulletin's whole quotation (ellipsis and all) linked
    by an analyst: extraction splits a quote at an ellipsis, an analyst may keep it whole."""
    ingest_all(client, COURIER, LEDGER, BULLETIN)
    claim_id = claim_id_for(app_session, LIBRARIES)
    article_id = article_id_for(app_session, BULLETIN["title"])
    start = BULLETIN["text"].index(TRIMMED)
    response = client.post(f"/articles/{article_id}/mentions",
                           data={"start": start, "end": start + len(TRIMMED), "stance": "repeats",
                                 "claim_id": str(claim_id)})
    assert response.status_code == 303
    return claim_id


def _rows(page) -> list:
    section = page.select_one("section.renderings")
    assert section.select_one("h2").get_text() == "How each outlet renders it"
    return section.select("tbody tr.rendering")


def _row(rows, outlet: str, origin: str | None = None):
    found = [r for r in rows if r.select_one("td.outlet").get_text(strip=True) == outlet
             and (origin is None or r.select_one("td.origin").get_text(strip=True) == origin)]
    assert len(found) == 1, [r.get_text(" ", strip=True) for r in rows]
    return found[0]


def _all_mentions(session, claim_id: int) -> list[Mention]:
    session.expire_all()
    return list(session.scalars(select(Mention).where(Mention.claim_id == claim_id)))


def _words(row, tag: str) -> list[str]:
    return [el.get_text() for el in row.select(f"td.wording {tag}")]


def test_each_outlet_shows_its_fidelity_and_the_words_it_cut_or_changed(client, app_session, claim_id):
    page = soup(client.get(f"/claims/{claim_id}"))
    rows = _rows(page)

    courier = _row(rows, "Lakeside Courier")
    assert courier.select_one(".badge.fidelity").get_text() == "verbatim"
    assert _words(courier, "ins") == [] and _words(courier, "del") == []
    assert courier.select_one("td.wording").get_text(" ", strip=True) == LIBRARIES
    assert courier.select_one("td.origin").get_text(strip=True) == "extracted"

    ledger = _row(rows, "Metro Ledger")
    assert ledger.select_one(".badge.fidelity").get_text() == "altered"
    assert _words(ledger, "del") == ["two"]
    assert _words(ledger, "ins") == ["three"]

    bulletin = _row(rows, "Northside Bulletin", origin="analyst")
    assert bulletin.select_one(".badge.fidelity").get_text() == "trimmed"
    assert _words(bulletin, "del") == ["over the next two years"]
    assert _words(bulletin, "ins") == []
    assert bulletin.select_one(".diff-ellipsis").get_text() == "…"


def test_rows_link_outlet_and_article_span_and_count_fidelities(client, app_session, claim_id):
    page = soup(client.get(f"/claims/{claim_id}"))
    rows = _rows(page)
    assert len(rows) == len(_all_mentions(app_session, claim_id))   # suggestions included
    ledger = _row(rows, "Metro Ledger")
    mention = app_session.get(Mention, int(ledger["data-mention-id"]))
    assert ledger.select_one("td.outlet a")["href"] == "/outlets/metro-ledger"
    link = ledger.select_one("td.article a.article-link")
    assert link.get_text() == LEDGER["title"]
    assert link["href"] == f"/articles/{mention.article_id}#m{mention.id}"
    counts = {b.get_text() for b in page.select(".renderings-summary .badge")}
    assert {"1 verbatim", "1 altered"} <= counts
    assert any(c.endswith(" trimmed") for c in counts)


def test_a_suggested_mention_is_shown_and_labelled(client, app_session, claim_id):
    claim = app_session.get(Claim, claim_id)
    article = app_session.get(Article, article_id_for(app_session, COURIER["title"]))
    start = article.text.index("Ingrid Holm said")
    mention = add_mention(app_session, claim, article, start, start + len("Ingrid Holm said"),
                          origin="suggested", quoted=False)
    app_session.commit()
    page = soup(client.get(f"/claims/{claim_id}"))
    rows = _rows(page)
    row = page.select_one(f'tr.rendering[data-mention-id="{mention.id}"]')
    assert "suggested" in row["class"]
    assert row.select_one("td.origin .badge").get_text() == "suggested"
    assert row.select_one(".badge.fidelity").get_text() == "paraphrased"
    assert _words(row, "ins") == ["Ingrid Holm said"]
    # Suggestions come after every linked mention, and only they are marked.
    marked = ["suggested" in r["class"] for r in rows]
    assert marked == sorted(marked)
    origins = {m.id: m.origin for m in _all_mentions(app_session, claim_id)}
    assert all(m == (origins[int(r["data-mention-id"])] == "suggested") for r, m in zip(rows, marked))
    linked = [r for r, m in zip(rows, marked) if not m]
    assert linked and all(r.select_one("td.origin .badge") is None for r in linked)


def test_article_text_is_escaped_in_the_diff(client, app_session):
    hostile = LIBRARIES.replace("libraries", "libraries <script>alert(1)</script>")
    ingest_all(client, COURIER, {
        "outlet": "Odd Gazette", "title": "Markup in a quote", "published": "2024-06-06",
        "text": f"Markup in a quote\n\n“{hostile},” Ingrid Holm said.\n"})
    claim_id = claim_id_for(app_session, LIBRARIES)
    page = soup(client.get(f"/claims/{claim_id}"))
    row = _row(_rows(page), "Odd Gazette")
    assert row.select("script") == []
    assert _words(row, "ins") == ["<script>alert(1)</script>"]
    assert row.select_one(".badge.fidelity").get_text() == "altered"


def test_claim_page_loads_mentions_in_a_fixed_number_of_queries(client, app_session, claim_id, app):
    """No query per mention: ten more mentions cost no more statements."""
    from sqlalchemy import event

    def count_statements() -> int:
        seen = []
        engine = app.state.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/claims/{claim_id}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    claim = app_session.get(Claim, claim_id)
    article = app_session.get(Article, article_id_for(app_session, LEDGER["title"]))
    # One suggestion first: a page with suggestions asks once which claims their passages started
    # (suggestions.own_claims), a page without none; what must not grow is a query per mention.
    add_mention(app_session, claim, article, 2, 42, origin="suggested")
    app_session.commit()
    before = count_statements()
    for start in range(3, 13):
        add_mention(app_session, claim, article, start, start + 40, origin="suggested")
    app_session.commit()
    assert len(app_session.scalars(select(Mention).where(Mention.claim_id == claim_id)).all()) >= 14
    assert count_statements() == before
