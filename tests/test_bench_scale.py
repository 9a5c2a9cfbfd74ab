"""The scale benchmark's own parts on a small store (the benchmark itself is `make bench-scale`, not
a test): the generated archive loads without a refused line and has the shape it promises, and wrk's
report is read right."""
from __future__ import annotations

import math

from sqlalchemy import func, select

from app.domain.bulk import load_records, read_jsonl
from app.storage.models import Article, Claim, Mention, Speaker
from bench.scale_gen import MEDIUM_MENTIONS, Shape, generate, ingest_articles
from bench.scale_serve import parse_wrk


def test_generated_archive_loads_with_its_promised_shape(session, tmp_path):
    path = tmp_path / "small.jsonl"
    gen = generate(path, 1200)
    shape = Shape.for_claims(1200)
    report = load_records(session, read_jsonl(path), "bench", batch=40)
    assert report.errors == []
    assert (report.added, report.claims, report.mentions) == (shape.articles, 1200, gen.mentions)
    counts = dict(session.execute(select(Mention.claim_id, func.count()).group_by(Mention.claim_id)).all())
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] == shape.articles // 2                      # the claim repeated the most
    assert MEDIUM_MENTIONS in ranked
    assert sum(n <= 2 for n in ranked) / len(ranked) > 0.6       # most claims: one or two articles
    assert 2 * len(ranked) < sum(ranked) < 4 * len(ranked)       # about three mentions a claim
    # Suggestions wait on the most repeated claims only, a few of their mentions, never the first.
    waiting = dict(session.execute(select(Mention.claim_id, func.count()).where(Mention.origin == "suggested")
                                   .group_by(Mention.claim_id)).all())
    assert sum(waiting.values()) == gen.suggested > 0
    assert all(counts[c] >= 20 and n < counts[c] / 4 for c, n in waiting.items())
    first = dict(session.execute(select(Mention.claim_id, Mention.origin).where(Mention.claim_id.in_(waiting))
                                 .order_by(Mention.article_id.desc())).all())     # the earliest article wins
    assert set(first.values()) == {"extracted"}
    sizes = session.scalars(select(func.length(Article.text))).all()
    assert min(sizes) >= 3900
    assert session.scalar(select(func.count()).select_from(Speaker)) > 50
    # The search words reach the claims they were chosen for, through the engine's index.
    from app.domain.claims import ClaimFilter, list_claims
    rare = list_claims(session, ClaimFilter(q=gen.words["rare"]), limit=50).claims
    assert len(rare) == gen.word_counts["rare"]
    assert all(gen.words["rare"] in c.text.lower() for c in rare)


def test_ingest_articles_repeat_a_stored_claim_by_its_speaker():
    texts = ingest_articles(600, [("Stored words of a claim here.", "Ana Pires")], 3)
    assert len(texts) == 3 and len(set(texts)) == 3
    assert all("“Stored words of a claim here,” Ana Pires said." in t for t in texts)


WRK = """Running 10s test @ http://127.0.0.1:8000/claims/1
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.51ms   40.10ms   1.20s    90.00%
    Req/Sec    75.00     10.00    100.00     70.00%
  Latency Distribution
     50%  198.20ms
     75%  220.00ms
     90%  250.00ms
     99%    1.10s
  1500 requests in 10.01s, 12.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    149.85
Transfer/sec:      1.20MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors():
    assert parse_wrk(WRK) == (149.85, 198.2, 1100.0, 1500, 9)
    none = WRK.replace("1500 requests", "0 requests")
    rps, p50, p99, total, _ = parse_wrk(none)
    assert total == 0 and math.isnan(p50) and math.isnan(p99)
