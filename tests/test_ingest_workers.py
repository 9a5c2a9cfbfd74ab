"""`claimtracker ingest --workers N`: worker processes read, parse, extract and score ahead (the
read-only part of linking); the linking's decisions and every write stay in one process in the
files' order, taking the workers' scores only where still right, so the store is the same as with
one."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.domain.article_linking import plan_article
from app.domain.ingest import BatchItem, ingest_items, prepared_items
from app.domain.matching import READY_WINDOWS, MatchConfig
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Claim, Event, Mention, Outlet, Quote, Speaker
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


@pytest.fixture
def two_stores(two_urls, tmp_path):
    """Two copies of a generated store of 1,500 claims (bench/scale_gen.py, bulk-loaded): big enough
    that its vocabulary is not taken again for each claim a batch adds (storage/term_counts.py), so
    the workers' scores are what the linking takes."""
    from bench.scale_gen import generate
    from app.domain.bulk import load_records, read_jsonl

    data = tmp_path / "store.jsonl"
    generate(data, 1500)
    for url in two_urls:
        assert run("db", "upgrade", "--database-url", url).exit_code == 0
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            assert not load_records(session, read_jsonl(data), "bench", batch=1000).errors
        engine.dispose()
    return two_urls


def batch_texts(url: str, count: int) -> list[str]:
    """Generated articles in the store's words (bench.scale_gen.ingest_articles), each also
    repeating, unquoted, the first statement quoted by the article three before it (a claim that
    article creates, which a worker scoring ahead has not seen: matched forward) and by the article
    two after it (a claim made later, matched back into an article a worker's read missed)."""
    from bench.scale_gen import ingest_articles

    engine = make_engine(url)
    with engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(
            select(Claim.text, Speaker.name).join(Speaker, Speaker.id == Claim.speaker_id)
            .order_by(Claim.id.desc()).limit(50))]
        claims = conn.scalar(select(func.count()).select_from(Claim))
    engine.dispose()
    texts = ingest_articles(claims, stored, count)
    firsts = [t[t.index("“") + 1:t.index(",”")] for t in texts]
    out = []
    for i, text in enumerate(texts):
        head, rest = text.split("\n\n", 1)     # early: matching reads the first sentences only
        added = ([f"{firsts[i - 3]}, as of Monday."] if i >= 3 else []) + \
                ([f"{firsts[i + 2]}, as of Friday."] if i + 2 < count else [])
        out.append(f"{head}\n\n{' '.join(added)} {rest}")
    return out


def everything(url: str) -> dict:
    """Every row an ingest writes, by what does not depend on ids (test_domain_bulk.derived), with
    each mention's score and each event's detail."""
    from tests.test_domain_bulk import derived

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            out = derived(session)
            out["scores"] = set(map(tuple, session.execute(
                select(Article.content_hash, Claim.text, Mention.start, Mention.end, Mention.origin, Mention.score)
                .join(Article, Article.id == Mention.article_id).join(Claim, Claim.id == Mention.claim_id))))
            out["events"] = sorted((e.action, e.entity, e.entity_id, e.claim_id, json.dumps(e.before, sort_keys=True),
                                    json.dumps(e.after, sort_keys=True)) for e in session.scalars(select(Event)))
            return out
    finally:
        engine.dispose()


def test_workers_scoring_ahead_store_what_one_process_stores(two_stores):
    """The workers score each article's sentences against the claims stored when they read; the
    linking takes a window's list only when no claim stored since (by an earlier article of the
    batch, or this article's own statements) would be on it, and scores the window again
    otherwise: the same claims, mentions, suggestions, stances, scores and events as one process."""
    texts = batch_texts(two_stores[0], 16)
    items = [BatchItem(f"a{i}.txt", {"outlet": f"Wire {i % 3}"}, data=t.encode()) for i, t in enumerate(texts)]
    results = {}
    for url, workers in zip(two_stores, (1, 2)):
        READY_WINDOWS.clear()
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            results[workers] = [(r.name, r.status, r.new_claims, r.mentions, r.suggestions)
                                for r in ingest_items(session, items, "bench", 2 * 1024 * 1024, workers=workers)]
        engine.dispose()
    assert [r[1] for r in results[1]] == ["added"] * len(items)
    assert READY_WINDOWS["taken"] > READY_WINDOWS["scored again"] > 0, READY_WINDOWS
    assert results[2] == results[1]
    one, two = everything(two_stores[0]), everything(two_stores[1])
    # The repeated statements were linked to the claims the earlier articles of the batch created.
    for what in ("back", "statement"):     # matching back; a statement's own candidates
        assert READY_WINDOWS[f"{what} taken"] > 0 and READY_WINDOWS[f"{what} scored again"] > 0, READY_WINDOWS
    forward = [m for m in one["mentions"] if m[-1] and m[7] == "extracted" and ", as of Monday" in m[4]]
    back = [m for m in one["mentions"] if m[-1] and m[7] == "extracted" and ", as of Friday" in m[4]]
    assert len(forward) >= len(items) - 3 - 2 and len(back) >= len(items) - 2 - 2, (forward, back)
    for table in one:
        assert two[table] == one[table], table


def test_a_row_stored_since_is_said_to_enter_a_list_whenever_the_index_might_put_it_there(session):
    """NewRows errs towards yes: any word starting with a query word, whatever its case or accents,
    counts, and its weight is summed over every such word; a word only inside another never does."""
    from app.storage.search import NewRows

    rows = NewRows([("The CAFÉ re-opened, officials said.", None)])
    assert rows.may_enter(session, ["cafe"], 0.0)
    assert rows.may_enter(session, ["café"], 0.0)
    assert rows.may_enter(session, ["open", "zzz"], 0.0)     # "re-opened": "re" and "opened"
    assert rows.may_enter(session, ["reopen"], 0.0)          # and "reopened", as both indexes hold it
    assert not rows.may_enter(session, ["pened", "fficial"], 0.0)
    assert not rows.may_enter(session, ["cafe"], 1e9)          # holds it, below the list's last
    assert not NewRows([]).may_enter(session, ["cafe"], 0.0)
