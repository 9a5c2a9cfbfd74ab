"""Shared material for the web tests: small hand-written articles and helpers that go through the
HTML forms, the way a person would. (No tests here; the name keeps it among the web test files.)"""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.storage.models import Article, Claim, Mention

RIVER = ("The river authority will open all four flood gates at dawn on Friday to protect "
         "the lower valley towns")

VALLEY_POST = {
    "outlet": "Valley Post", "title": "Flood gates to open", "published": "2024-03-01",
    "author": "Ana Brook", "url": "https://valley.example/flood-gates",
    "text": ("Flood gates to open\n\nThe decision came late on Wednesday.\n\n"
             f"“{RIVER},” chief engineer Tomas Ferreira said at a press conference.\n\n"
             "Residents were told to move cars away from the embankment.\n"),
}

RIVERSIDE_NEWS = {
    "outlet": "Riverside News", "title": "Gates will open Friday", "published": "2024-03-02",
    "text": ("Gates will open Friday\n\nChief engineer Tomas Ferreira told reporters: "
             f"“{RIVER}.”\n\nFarmers upstream welcomed the plan.\n"),
}

HILL_GAZETTE = {
    "outlet": "Hill Gazette", "title": "No gates will open, says mayor", "published": "2024-03-03",
    "text": ("No gates will open, says mayor\n\nThe mayor rejected reports that the flood gates "
             "would open. “Nobody has decided to open any flood gate this week,” mayor Lena Ruiz "
             "said on Thursday.\n"),
}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def paste(client, article: dict, **headers):
    """Ingest one article through the paste form."""
    return client.post("/ingest/text", data=article, headers=headers)


def ingest_all(client, *articles: dict) -> None:
    for a in articles:
        assert paste(client, a).status_code == 200


def claim_id_for(session, text: str) -> int:
    session.expire_all()
    claim_id = session.scalar(select(Claim.id).where(Claim.text == text))
    assert claim_id is not None, f"no claim {text!r}"
    return claim_id


def article_id_for(session, title: str) -> int:
    session.expire_all()
    return session.scalar(select(Article.id).where(Article.title == title))


def mentions_of(session, claim_id: int, origin_suggested: bool = False) -> list[Mention]:
    """Linked mentions of a claim (or, when asked, the matcher's suggestions awaiting an analyst)."""
    session.expire_all()
    which = Mention.origin == "suggested" if origin_suggested else Mention.origin != "suggested"
    return list(session.scalars(select(Mention).where(Mention.claim_id == claim_id, which)
                                .order_by(Mention.id)))
