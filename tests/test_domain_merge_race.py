"""Two analysts merging A into B and B into A at once: one merge lands, the other is a 409."""
from __future__ import annotations

import pytest

import app.domain.review as review
from app.domain.errors import Conflict
from app.domain.linking import text_hashes
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim


def _claim(text: str) -> Claim:
    return Claim(text=text, norm_hash=text_hashes(text)[0])


def test_opposite_merges_cannot_both_land(database_url, monkeypatch):
    engine = make_engine(database_url)
    make = make_sessionmaker(engine)
    with make() as s:
        a, b = _claim("The bridge will close in May"), _claim("The bridge closes in May")
        s.add_all([a, b])
        s.commit()
        a_id, b_id = a.id, b.id
    with make() as first:
        review.merge_claims(first, a_id, b_id, "ana")
        first.commit()
    # Bob's request read claim A before Ana's merge landed: resolve_claim answers from that read.
    stale_a = _claim("The bridge will close in May")
    stale_a.id = a_id
    real = review.resolve_claim
    monkeypatch.setattr(review, "resolve_claim", lambda s, cid: stale_a if cid == a_id else real(s, cid))
    with make() as second:
        with pytest.raises(Conflict, match=f"claim {a_id} was merged"):
            review.merge_claims(second, b_id, a_id, "bob")
        second.rollback()
    with make() as s:
        assert s.get(Claim, a_id).merged_into_id == b_id
        assert s.get(Claim, b_id).merged_into_id is None
    engine.dispose()
