"""The bulk loader (app/domain/bulk.py): a store it writes is served as one ingest wrote.

Round trip: articles ingested the normal way are exported as bulk-load records (claims, quotes and
mentions as ingest found them) and loaded into a second, empty database; every row ingest derives
must come out the same, and the pages and API answer the same. Then the derived rows of a loaded
store are checked against the domain functions that make them, and bad lines are refused one by one.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.cli import main
from app.domain.articles import ArticleInput, ingest_and_commit
from app.domain.bulk import load_records, read_jsonl
from app.domain.linking import text_hashes
from app.domain.passages import passage_rows
from app.main import create_app
from app.pipeline.claims import fidelity
from app.pipeline.matching import kept_claim_stems
from app.settings import Settings
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import (
    Article, Claim, ClaimShingle, Event, Mention, Outlet, PassageShingle, Quote, Speaker, SpeakerAlias)
from tests.conftest import prepare_database, private_pg_schema
from tests.factories import DENIAL, GAZETTE, HERALD, STATEMENT
from tests.test_web_support import soup

# A fourth article, written for this test: the statement again, in a third outlet, with its own
# sentences around it (passage shingles) and a second speaker.
COURIER = ArticleInput(
    outlet="Harbour Courier", title="Cargo moved south", published=date(2024, 5, 5),
    text=("Cargo moved south\n\nFerries and barges were sent to the southern quay overnight. "
          f"“{STATEMENT},” Mirela Dunst repeated on Friday.\n\n"
          "“We will keep the southern quay open through the night,” quay manager Ilse Varga said.\n"))


@pytest.fixture
def second_url(database_url, tmp_path):
    """Another empty database on the same engine as `database_url`."""
    if database_url.startswith("sqlite"):
        yield prepare_database(f"sqlite:///{tmp_path / 'second.db'}")
        return
    with private_pg_schema() as url:
        yield prepare_database(url)


def export(session) -> list[tuple[int, dict]]:
    """The store as bulk-load records: each claim defined before the first article mentioning it."""
    records, defined = [], set()
    for art in session.scalars(select(Article).order_by(Article.id)):
        quotes = list(session.scalars(select(Quote).where(Quote.article_id == art.id).order_by(Quote.id)))
        index = {q.id: i for i, q in enumerate(quotes)}
        mentions = list(session.scalars(select(Mention).where(Mention.article_id == art.id).order_by(Mention.id)))
        for m in mentions:
            if m.claim_id not in defined:
                defined.add(m.claim_id)
                c = session.get(Claim, m.claim_id)
                records.append({"type": "claim", "key": c.id, "text": c.text, "status": c.status,
                                "speaker": c.speaker.name if c.speaker else None})
        records.append({
            "type": "article", "outlet": art.outlet.name, "title": art.title, "text": art.text,
            "published": art.published.isoformat() if art.published else None, "url": art.url,
            "quotes": [{"start": q.start, "end": q.end, "speaker": q.speaker_name, "cue": q.cue, "kind": q.kind}
                       for q in quotes],
            "mentions": [{"claim": m.claim_id, "start": m.start, "end": m.end, "quote": index.get(m.quote_id),
                          "stance": m.stance, "origin": m.origin, "score": m.score} for m in mentions]})
    return list(enumerate(records, 1))


def derived(session) -> dict[str, set]:
    """Every row ingest writes, keyed by what survives a reload (texts and names, not ids)."""
    def rows(stmt):
        return set(map(tuple, session.execute(stmt)))
    speaker = Speaker.name
    return {
        "outlets": rows(select(Outlet.name, Outlet.slug)),
        "speakers": rows(select(Speaker.name, Speaker.slug)),
        "aliases": rows(select(SpeakerAlias.alias, speaker).join(Speaker, Speaker.id == SpeakerAlias.speaker_id)),
        "claims": rows(select(Claim.text, Claim.norm_hash, Claim.status, Claim.outlet_count, speaker)
                       .outerjoin(Speaker, Speaker.id == Claim.speaker_id)),
        "claim_shingles": rows(select(ClaimShingle.hash, Claim.text).join(Claim, Claim.id == ClaimShingle.claim_id)),
        "articles": rows(select(Article.content_hash, Article.title, Article.published, Outlet.name)
                         .join(Outlet, Outlet.id == Article.outlet_id)),
        "quotes": rows(select(Article.content_hash, Quote.start, Quote.end, Quote.text, Quote.speaker_name,
                              speaker, Quote.cue, Quote.kind)
                       .join(Article, Article.id == Quote.article_id).outerjoin(Speaker, Speaker.id == Quote.speaker_id)),
        "mentions": rows(select(Article.content_hash, Claim.text, Mention.start, Mention.end, Mention.excerpt,
                                Mention.stance, Mention.fidelity, Mention.origin, Mention.quote_id.is_(None))
                         .join(Article, Article.id == Mention.article_id).join(Claim, Claim.id == Mention.claim_id)),
        "passage_shingles": rows(select(Article.content_hash, PassageShingle.hash, PassageShingle.start,
                                        PassageShingle.end).join(Article, Article.id == PassageShingle.article_id)),
        "events": rows(select(Event.action, Event.entity)),
    }


def test_a_store_loaded_from_ingested_records_is_the_same_store(app_session, second_url):
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(app_session, article, "tester")
    assert app_session.scalar(select(func.count()).select_from(Mention)) >= 5
    records = export(app_session)
    engine = make_engine(second_url)
    with make_sessionmaker(engine)() as second:
        report = load_records(second, records, "tester", batch=2)
        assert report.errors == [] and report.added == 4
        ours, theirs = derived(app_session), derived(second)
        ours["permalinks"], theirs["permalinks"] = permalinks(app_session), permalinks(second)
    engine.dispose()
    for table in ours:
        assert theirs[table] == ours[table], table


def permalinks(session) -> set[tuple]:
    """What a link to the store names: claim and article ids (by their text), speaker and
    outlet slugs (in `derived`)."""
    return (set(session.execute(select(Claim.id, Claim.text)))
            | set(session.execute(select(Article.id, Article.content_hash))))


OUTLETS = (HERALD.outlet, GAZETTE.outlet, "Nowhere Times")


def _get(client, path: str):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response


def test_pages_and_api_answer_alike_on_an_ingested_and_a_loaded_store(client, app_session, second_url):
    for article in (HERALD, GAZETTE, DENIAL):
        ingest_and_commit(app_session, article, "tester")
    records = export(app_session)
    engine = make_engine(second_url)
    with make_sessionmaker(engine)() as second:
        load_records(second, records, "tester")
    engine.dispose()
    loaded = create_app(Settings(database_url=second_url, public_read=True))
    try:
        with TestClient(loaded, follow_redirects=False) as reader:
            pages = []   # the ingested store (logged in) and the loaded one (public read)
            for c, session_ids in ((client, _ids(app_session)), (reader, _ids_at(second_url))):
                cid, slug = session_ids
                claim = soup(_get(c, f"/claims/{cid}"))
                listing = soup(_get(c, "/claims?q=northern+pier"))
                speaker = soup(_get(c, f"/speakers/{slug}"))
                sources = _get(c, f"/claims/{cid}/sources.json").json()
                api = _get(c, f"/api/v1/claims/{cid}").json()
                pages.append({
                    "shows_text": STATEMENT in " ".join(claim.get_text(" ").split()),
                    "outlets": [name in claim.get_text(" ") for name in OUTLETS],
                    "found": [a.get_text(strip=True) for a in listing.select("a[href^='/claims/']")
                              if STATEMENT[:40] in a.get_text()],
                    "speaker_claims": [a.get_text(strip=True) for a in speaker.select("a[href^='/claims/']")
                                       if STATEMENT[:40] in a.get_text()],
                    "sources": [{k: s[k] for k in ("outlet", "stance", "fidelity", "excerpt", "start", "end",
                                                   "published")} for s in sources["sources"]],
                    "api": {k: api[k] for k in ("text", "status", "speaker", "outlet_count") if k in api}})
    finally:
        loaded.state.engine.dispose()
    ingested, bulk = pages
    assert ingested["shows_text"] and ingested["outlets"] == [True, True, False]
    assert ingested["found"] and ingested["speaker_claims"] and len(ingested["sources"]) >= 2
    assert bulk == ingested


def _ids(session) -> tuple[int, str]:
    session.expire_all()
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    return claim.id, claim.speaker.slug


def _ids_at(url: str) -> tuple[int, str]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        found = _ids(s)
    engine.dispose()
    return found


ARTICLE = ("Council votes on the tram\n\nThe vote came after a long debate about fares and routes in the old "
           "town. “The tram will run every ten minutes from the station to the university campus,” "
           "mayor Ana Pires said. Critics said the plan ignores the northern suburbs entirely and costs too much.\n")
QUOTED = "The tram will run every ten minutes from the station to the university campus"


def _records(text: str = ARTICLE, **mention) -> list[dict]:
    start = text.index(QUOTED)
    span = {"start": start, "end": start + len(QUOTED)}
    return [{"type": "claim", "key": "tram", "text": QUOTED + ".", "speaker": "Ana Pires"},
            {"type": "article", "outlet": "City Wire", "text": text, "published": "2024-06-01",
             "quotes": [{**span, "speaker": "mayor Ana Pires", "cue": "said"}],
             "mentions": [{"claim": "tram", **span, "quote": 0, **mention}]}]


def test_derived_rows_are_what_the_domain_functions_compute(session):
    report = load_records(session, enumerate(_records(), 1), "tester")
    assert report.errors == [] and (report.added, report.claims, report.mentions) == (1, 1, 1)
    claim = session.scalar(select(Claim))
    norm, runs = text_hashes(claim.text)
    assert claim.norm_hash == norm
    assert set(session.scalars(select(ClaimShingle.hash).where(ClaimShingle.claim_id == claim.id))) == runs
    assert claim.outlet_count == 1 and claim.speaker.name == "Ana Pires"
    assert claim.stems == kept_claim_stems(claim.text)     # matching reads them (migration 0032)
    mention = session.scalar(select(Mention))
    assert mention.excerpt == QUOTED and mention.fidelity == fidelity(claim.text, QUOTED)
    article = session.scalar(select(Article))
    stored = {h: (s, e) for h, s, e in session.execute(select(PassageShingle.hash, PassageShingle.start,
                                                              PassageShingle.end))}
    assert stored and stored == passage_rows(article.text, [(mention.start, mention.end)])
    assert all(not (s < mention.end and mention.start < e) for s, e in stored.values())
    assert session.scalar(select(Event.action)) == "article.ingest"
    # The search index is the engine's: the new claim is found by a word of it.
    from app.domain.claims import ClaimFilter, list_claims
    assert [c.id for c in list_claims(session, ClaimFilter(q="universit")).claims] == [claim.id]


def test_loading_twice_adds_nothing_and_bad_lines_are_skipped(session):
    assert load_records(session, enumerate(_records(), 1), "tester").added == 1
    again = load_records(session, enumerate(_records(), 1), "tester")
    assert (again.added, again.present, again.claims) == (0, 1, 0)
    bad = [(1, "not JSON: Expecting value"), (2, {"type": "quote"}),
           (3, _records(ARTICLE + "More.\n", start=5, end=99999)[1]),
           (4, _records(ARTICLE + "Again.\n", stance="agrees")[1])]
    report = load_records(session, [*bad, *enumerate(_records(ARTICLE + "Fine.\n"), 5)], "tester")
    assert report.added == 1
    assert [e.split(":")[0] for e in report.errors] == ["line 1", "line 2", "line 3", "line 4"]
    assert "claim 'tram' is not defined" in report.errors[2] or "offsets" in report.errors[2]
    assert "stance must be one of" in report.errors[3]
    assert session.scalar(select(func.count()).select_from(Claim)) == 2


def test_cli_bulk_load(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", url]).exit_code == 0
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(r) for r in _records()] + ["{oops"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [n for n, _ in read_jsonl(path)] == [1, 2, 3]
    result = CliRunner().invoke(main, ["bulk-load", str(path), "--database-url", url])
    assert result.exit_code == 1, result.output
    assert "1 articles added, 0 already present, 1 lines failed" in result.stdout
    assert "line 3: not JSON" in result.stderr


def _schema(session) -> set[tuple]:
    """Every index (with its definition) and trigger of the store, as the engine lists them."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return set(conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')").all())
    return set(conn.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()").all())


def _articles(n: int) -> list[dict]:
    """n distinct articles each quoting the tram claim (loaded in batches of one)."""
    first = _records()
    out = [first[0]]
    for i in range(n):
        record = _records(ARTICLE + f"Note {i}.\n")[1]
        out.append({**record, "outlet": f"Wire {i % 2}"})
    return out


def test_a_load_into_an_empty_store_leaves_its_schema_and_settings_as_they_were(session, monkeypatch):
    """A load into an empty store drops the secondary indexes and (SQLite) switches the journal
    and sync settings for its run; every index and trigger is back afterwards, the same, the
    settings too, and the claims' counts come from the shared refresh (linking.refresh_outlet_counts),
    whatever columns it maintains."""
    import app.domain.bulk as bulk
    from app.domain.linking import refresh_outlet_counts

    before = _schema(session)
    sqlite = session.get_bind().dialect.name == "sqlite"

    def pragmas():
        return [session.connection().exec_driver_sql(f"PRAGMA {p}").scalar()
                for p in ("journal_mode", "synchronous", "cache_size")]

    if sqlite:
        settings = pragmas()
    session.commit()
    refreshed, dropped, during = [], [], []

    def spy(s, ids):
        refreshed.extend(ids)
        refresh_outlet_counts(s, ids)

    def progress(report):    # mid-load: the secondary indexes are gone, the load's settings on
        dropped.append(before - _schema(session))
        if sqlite:
            during.append(pragmas())

    monkeypatch.setattr(bulk, "refresh_outlet_counts", spy)
    report = load_records(session, enumerate(_articles(3), 1), "tester", batch=1, progress=progress)
    assert report.errors == [] and report.added == 3
    assert dropped and dropped[0]                      # the deferred path was taken
    if sqlite:    # the search indexes too: rebuilt from their tables at the end
        assert {"articles_fts_ai", "claims_fts_ai"} <= {row[1] for row in dropped[0]}
        from app.domain.claims import ClaimFilter, list_claims
        assert [c.text for c in list_claims(session, ClaimFilter(q="universit")).claims] == [QUOTED + "."]
    assert during == [["memory", 0, -1048576]] * 3 if sqlite else not during
    assert _schema(session) == before
    if sqlite:
        assert pragmas() == settings
    claim = session.scalar(select(Claim))
    assert refreshed == [claim.id] and claim.outlet_count == 2
    # Into a store that holds articles nothing is dropped: a small load must not rebuild them.
    dropped.clear()
    load_records(session, enumerate(_records(ARTICLE + "Later.\n"), 1), "tester", progress=progress)
    assert dropped == [set()] and _schema(session) == before


def test_a_failed_load_still_rebuilds_the_indexes_and_counts_what_it_committed(session):
    before = _schema(session)
    session.commit()
    batches = []

    def progress(report):
        batches.append(report.added)
        if len(batches) == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        load_records(session, enumerate(_articles(4), 1), "tester", batch=1, progress=progress)
    session.rollback()
    assert _schema(session) == before
    assert session.scalar(select(func.count()).select_from(Article)) == 2
    assert session.scalar(select(Claim.outlet_count)) == 2


def test_a_load_beside_an_open_reader_keeps_the_wal(tmp_path):
    """SQLite cannot leave WAL while another connection has the file open (a server serving it):
    the load then runs in WAL and still loads."""
    import sqlite3

    url = prepare_database(f"sqlite:///{tmp_path / 'busy.db'}")
    reader = sqlite3.connect(tmp_path / "busy.db")
    reader.execute("SELECT count(*) FROM claims").fetchall()
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            report = load_records(s, enumerate(_records(), 1), "tester")
            assert report.errors == [] and report.added == 1
            assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
        reader.close()


def _fts5_segments(session, fts: str) -> int:
    """How many segments an FTS5 index is in: its structure record (row 10 of its %_data table)
    is a 4-byte cookie, then the number of levels and of segments (varints; small here)."""
    block = session.connection().exec_driver_sql(f"SELECT block FROM {fts}_data WHERE id = 10").scalar()
    return block[5]


def test_a_load_leaves_each_search_index_in_one_segment(session):
    """A load refills the search indexes at its end, then merges each into one segment: a refill
    leaves them in as many as FTS5 wrote as it went, and every query reads each of them."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("FTS5 (SQLite); PostgreSQL's GIN indexes are built whole by CREATE INDEX")
    conn = session.connection()
    for fts in ("claims_fts", "articles_fts"):    # write a segment every few hundred bytes indexed
        conn.exec_driver_sql(f"INSERT INTO {fts}({fts}, rank) VALUES ('hashsize', 512)")
    session.commit()
    report = load_records(session, enumerate(_articles(12), 1), "tester")
    assert report.errors == [] and report.added == 12
    assert (_fts5_segments(session, "claims_fts"), _fts5_segments(session, "articles_fts")) == (1, 1)
    note = session.connection().exec_driver_sql("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'note'").scalar()
    assert note == 12     # every article still found by a word of it
