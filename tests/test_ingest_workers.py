"""`claimtracker ingest --workers N`: worker processes read, parse and extract; the linking and
every write stay in one process in the files' order, so the store is the same as with one."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.domain.article_linking import plan_article
from app.domain.ingest import BatchItem, prepared_items
from app.domain.matching import MatchConfig
from app.storage.engine import make_engine
from app.storage.models import Article, Claim, Mention, Outlet, Quote, Speaker
from tests.conftest import ENGINES, private_pg_schema
from tests.seeds import SEEDS_DIR, seeds_available


@pytest.fixture(params=ENGINES)
def two_urls(request, tmp_path):
    """Two empty databases on one engine."""
    if request.param == "sqlite":
        yield [f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"]
        return
    with private_pg_schema() as one, private_pg_schema() as two:
        yield [one, two]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def stored(url: str) -> dict:
    """Everything an ingest decides, keyed by what does not depend on row ids."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            articles = dict(conn.execute(select(Article.id, Article.content_hash)).all())
            claims = {cid: (text, speaker) for cid, text, speaker in conn.execute(
                select(Claim.id, Claim.text, Speaker.name).outerjoin(Speaker, Speaker.id == Claim.speaker_id))}
            mentions = sorted((claims[m.claim_id], articles[m.article_id], m.start, m.end, m.stance, m.fidelity,
                               m.origin, m.score) for m in conn.execute(select(Mention)))
            quotes = sorted((articles[q.article_id], q.start, q.end, q.kind) for q in conn.execute(select(Quote)))
            return {"claims": sorted(claims.values()), "mentions": mentions, "quotes": quotes,
                    "outlets": sorted(conn.scalars(select(Outlet.name))),
                    "articles": sorted(articles.values())}
    finally:
        engine.dispose()


@pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")
def test_seeds_with_two_workers_store_what_one_stores(two_urls):
    outputs = []
    for url, workers in zip(two_urls, (1, 2)):
        assert run("db", "upgrade", "--database-url", url).exit_code == 0
        result = run("ingest", SEEDS_DIR, "--sources", SEEDS_DIR / "sources.csv", "--workers", workers,
                     "--database-url", url)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert "5 added" in outputs[1]
    assert outputs[0] == outputs[1]
    one, two = stored(two_urls[0]), stored(two_urls[1])
    assert one["mentions"] and one["claims"]
    assert one == two


def test_a_file_that_fails_in_a_worker_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour plans\n\n“The pier will reopen in May,” said harbour master "
                                  "Ilse Marken.\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    (folder / "c.txt").write_text("Bridge works\n\n“The bridge stays shut all winter,” said engineer "
                                  "Tomas Orvik.\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert run("db", "upgrade", "--database-url", url).exit_code == 0
    result = run("ingest", folder, "--outlet", "Wire", "--workers", "2", "--database-url", url)
    assert result.exit_code == 1
    assert "2 added, 0 already present, 1 failed" in result.stdout
    assert "b.txt: failed:" in result.stderr and "binary" in result.stderr


def test_prepared_items_keep_the_order_of_the_items(tmp_path):
    texts = [f"Title {i}\n\n“The ferry to the north island will run twice a day from {i} June,” said "
             "transport minister Ana Pires.\n" for i in range(7)]
    items = [BatchItem(f"f{i}.txt", {"outlet": "Wire"}, data=t.encode()) for i, t in enumerate(texts)]
    items.insert(3, BatchItem("bad", {}, error="cannot read: gone"))
    got = list(prepared_items(items, 10_000, (500, 50), workers=2))
    assert [p.item.name for p in got] == [i.name for i in items]
    assert got[3].error == "cannot read: gone"
    plans = [plan_article(i.data.decode(), MatchConfig(scorer=None)) for i in items if i.data]
    assert [p.plan for p in got if p.plan] == plans
    assert sum(len(p.units) for p in plans) >= 7


def test_workers_must_be_at_least_one(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output
