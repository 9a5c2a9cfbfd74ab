"""The stored spread summaries (claim_spreads) and the kept outlet matrix (outlet_pairs) stay what a
recomputation from the mentions gives after every kind of write: ingest, link, stance change,
unlink, accepting a suggestion, merge, a text edit, article delete, the bulk loader and db copy.
And the claim page's stored spread is the spread summed up from every mention, the kept matrix the
counted one. On both engines (tests/conftest.py)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from app.domain.articles import delete_article, ingest_and_commit
from app.domain.bulk import load_records
from app.domain.claims import ClaimFilter, list_claims
from app.domain.mentions import link_selection, pack_ids, set_stance, unlink, unpack_ids
from app.domain.outlets import MatrixFilter, outlet_matrix, scanned_matrix
from app.domain.review import edit_text, merge_claims
from app.domain.spread import claim_spread, stored_spread
from app.domain.spread_summary import check_spreads, summarize_rows
from app.domain.suggestions import accept
from app.storage.copy import copy_database
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.migrate import upgrade
from app.storage.models import Article, Claim, ClaimSpread, Mention, OutletClaim, OutletPair
from tests.conftest import private_pg_schema
from tests.factories import DENIAL, GAZETTE, HERALD, STATEMENT
from tests.outlet_dataset import build
from tests.test_domain_bulk import COURIER, export


def consistent(session) -> None:
    assert check_spreads(session) == []


def test_the_check_sees_a_stale_summary_and_a_stale_pair(session):
    data = build(session)
    consistent(session)
    c1 = data.claims["c1"]
    session.get(ClaimSpread, c1).fidelity = {"verbatim": 99}
    pair = session.scalars(select(OutletPair)).first()
    pair.n += 1
    session.delete(session.scalars(select(OutletClaim).where(OutletClaim.claim_id == c1)).first())
    problems = check_spreads(session)
    assert any(p.startswith(f"claim {c1}:") for p in problems)
    assert not any(p.startswith(f"claim {data.claims['c2']}:") for p in problems)
    assert any(p.startswith("outlet pair") for p in problems)
    assert any(p.startswith("outlet claim") and p.endswith("recomputed, not stored") for p in problems)


def test_every_write_path_keeps_the_summaries(session, read):
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    consistent(session)
    claim = session.scalars(select(Claim).where(Claim.text.contains("northern pier")).order_by(Claim.id)).first()
    mentions = list(session.scalars(select(Mention).where(Mention.claim_id == claim.id).order_by(Mention.id)))
    assert len(mentions) >= 2

    set_stance(session, mentions[0].id, "contradicts", "tester")
    session.commit()
    consistent(session)
    assert session.get(ClaimSpread, claim.id).outlets["contradicts"]

    article = session.get(Article, mentions[0].article_id)
    start = article.text.index("Local traders")
    link_selection(session, article.id, start, start + 20, "discusses", "tester", claim_id=claim.id)
    session.commit()
    consistent(session)

    unlink(session, mentions[-1].id, "tester")
    session.commit()
    consistent(session)

    edit_text(session, claim.id, STATEMENT + " at once", "tester", claim.version)
    session.commit()
    consistent(session)

    other = link_selection(session, article.id, start, start + 30, "repeats", "tester",
                           new_claim_text="Local traders said they were worried")
    session.commit()
    merge_claims(session, other.claim_id, claim.id, "tester")
    session.commit()
    consistent(session)

    delete_article(session, article.id, "tester")
    session.commit()
    consistent(session)


def test_accepting_a_suggestion_counts_it(session, read):
    data = build(session)
    suggested = data.mentions[("c3", "Alpha", "repeats")]
    before = session.get(ClaimSpread, data.claims["c3"]).outlets["repeats"]
    accept(session, suggested, "tester")
    session.commit()
    consistent(session)
    assert len(session.get(ClaimSpread, data.claims["c3"]).outlets["repeats"]) == len(before) + 1


def test_bulk_load_and_db_copy_keep_them(session, database_url, tmp_path, read):
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    records = export(session)
    # The bulk loader into a store of this test's engine, then that store copied into another.
    with empty_store(database_url, tmp_path / "loaded.db") as loaded_url:
        upgrade(loaded_url)            # through the migrations, as `db copy` wants its source
        engine = make_engine(loaded_url)
        try:
            with make_sessionmaker(engine)() as loaded:
                load_records(loaded, records, "tester")
                consistent(loaded)
                assert loaded.scalar(select(ClaimSpread.claim_id).limit(1)) is not None
        finally:
            engine.dispose()
        with empty_store(database_url, tmp_path / "copy.db") as url:
            copy_database(loaded_url, url)
            engine = make_engine(url)
            try:
                with make_sessionmaker(engine)() as s:
                    consistent(s)
                    assert s.scalar(select(OutletPair.n).limit(1)) is not None
            finally:
                engine.dispose()


@contextmanager
def empty_store(database_url: str, path) -> Iterator[str]:
    """An empty database on the test's engine: a SQLite file at `path`, or a PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{path}"
        return
    with private_pg_schema() as url:
        yield url


def _same(a, b) -> None:
    """Two spreads alike in everything the pages show (the stored one reads the timeline's
    mentions without titles and excerpts: those are filled for the marks drawn)."""
    assert a.first == b.first and a.first_ties == b.first_ties and a.last_seen == b.last_seen
    assert a.outlets == b.outlets and a.fidelity == b.fidelity
    assert a.suggested_count == b.suggested_count and a.outlet_count == b.outlet_count
    assert [m.id for m in a.mentions] == [m.id for m in b.mentions]
    assert a.undated == b.undated


@pytest.fixture(params=["light", "whole", "grouped"])
def read(request, monkeypatch):
    """stored_spread reads a claim's mentions light past READ_WHOLE of them, and the summary keeps
    the claim page's plan past it (spread_summary.page_plan): both ways, here; "grouped": with
    the plan's timeline grouped as past timeline.MAX_MARKS dated mentions."""
    if request.param in ("light", "grouped"):
        monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    if request.param == "grouped":
        monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 1)
    return request.param


def test_the_stored_spread_is_the_spread_summed_up_from_every_mention(session, read):
    data = build(session)
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    ids = list(session.scalars(select(Claim.id).where(Claim.merged_into_id.is_(None))))
    assert set(data.claims.values()) - set(ids) == {data.claims["c5"]}
    for claim_id in ids:
        for suggested in (False, True):
            _same(stored_spread(session, claim_id, suggested), claim_spread(session, claim_id, suggested))


@pytest.mark.parametrize("grouped", [False, True])
def test_a_big_claims_spread_with_its_suggestions_reads_only_them_and_what_it_names(session, monkeypatch, grouped):
    """A reader who sees suggestions of a claim with a stored plan: suggested_spread places the
    confirmed mentions from the plan and reads the suggestions, the named and the undated ones
    only, and gives the spread and the timeline every mention read gives."""
    from sqlalchemy import event

    from app.domain.spread import suggested_spread, with_details
    from app.domain.timeline import timeline_layout

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    if grouped:
        monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 1)
    build(session)
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    seen = 0
    for summary in session.scalars(select(ClaimSpread).where(ClaimSpread.page.is_not(None))).all():
        statements = []
        listen = lambda conn, cursor, statement, *rest: statements.append(statement)   # noqa: E731
        event.listen(session.get_bind(), "before_cursor_execute", listen)
        try:
            got = suggested_spread(session, summary)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", listen)
        reads = [s for s in statements if "FROM mentions" in s]
        assert reads and all("mentions.origin =" in s or "mentions.id IN" in s for s in reads), reads
        want = claim_spread(session, summary.claim_id, include_suggested=True)
        _same(got, want)
        assert ([(m.id, m.moment, m.outlet, m.stance, m.suggested) for m in got.mentions]
                == [(m.id, m.moment, m.outlet, m.stance, m.suggested) for m in want.mentions])
        first = want.first.id if want.first else None
        drawn = timeline_layout(got.mentions, first, lambda m: f"#m{m.id}", details=lambda ms: with_details(session, ms))
        assert drawn == timeline_layout(want.mentions, first, lambda m: f"#m{m.id}")
        assert drawn is None or bool(drawn.bins) == grouped or drawn.title.startswith("Timeline: 1 ")
        seen += got.suggested_count > 0
    assert seen >= 1


def test_same_day_ties_and_undated_mentions_are_stored_as_summed_up(session, read):
    data = build(session)
    c7 = data.claims["c7"]
    stored = stored_spread(session, c7)
    assert stored.first is not None and [m.outlet for m in stored.first_ties] == ["Gamma"]
    undated = session.get(Article, session.get(Mention, data.mentions[("c7", "Gamma", "repeats")]).article_id)
    undated.published = None
    session.flush()
    from app.domain.linking import refresh_outlet_counts

    refresh_outlet_counts(session, [c7])
    session.commit()
    consistent(session)
    _same(stored_spread(session, c7), claim_spread(session, c7))
    assert [m.outlet for m in stored_spread(session, c7).undated] == ["Gamma"]


def test_summarize_rows_orders_by_moment_then_article_then_id():
    from datetime import date, datetime, timezone

    noon_before = (1, 10, 7, date(2024, 1, 1), None, "repeats", "verbatim")          # 01-01 12:00
    timed_early = (2, 11, 8, date(2024, 1, 1), datetime(2024, 1, 1, 9, tzinfo=timezone.utc), "repeats", "trimmed")
    undated = (3, 9, 9, None, None, "contradicts", "verbatim")
    s = summarize_rows([noon_before, undated, timed_early])
    assert s["first_mention_id"] == 2 and s["last_mention_id"] == 1
    assert s["tie_ids"] == [1]                 # same day, one of the two without a time
    assert s["outlets"] == {"repeats": [8, 7], "contradicts": [9], "discusses": []}
    assert s["dated"] == 2 and s["linked"] == 3


def test_the_kept_matrix_is_the_counted_one(session):
    build(session)
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    for top in (2, 20):
        kept, counted = outlet_matrix(session, MatrixFilter(), top), scanned_matrix(session, MatrixFilter(), top)
        assert kept.outlets == counted.outlets and kept.claim_total == counted.claim_total
        assert kept.outlet_total == counted.outlet_total
        assert {k: +c for k, c in kept.counts.items()} == {k: +c for k, c in counted.counts.items()}


def test_outlet_counts_are_still_kept_with_the_summary(session):
    build(session)
    assert all(c.outlet_count == stored_spread(session, c.id).outlet_count
               for c in list_claims(session, ClaimFilter(), limit=50).claims)


def test_sources_json_sums_up_every_mention_whatever_the_page(client, app_session, read):
    data = build(app_session)
    body = client.get(f"/claims/{data.claims['c1']}/sources.json?per_page=1").json()
    assert len(body["spread"]["timeline"]) == 1 and body["paging"]["pages"] == 3
    assert body["spread"]["outlet_count"] == 3           # Alpha, Beta and Gamma, not the page's one
    assert body["spread"]["timeline"][0]["title"]         # the page's mention read whole


def test_the_check_sees_a_stale_page_plan(session, monkeypatch):
    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    data = build(session)
    consistent(session)
    summary = session.get(ClaimSpread, data.claims["c1"])
    assert summary.page is not None and summary.page["order"]
    order = unpack_ids(summary.page["order"])
    assert len(order) > 1
    summary.page = {**summary.page, "order": pack_ids(order[::-1])}
    assert any(p.startswith(f"claim {data.claims['c1']}:") for p in check_spreads(session))


def test_the_stored_order_is_packed_and_read_a_slice_at_a_time():
    """A big claim's page order is stored as one string (decoding the plan reads no list of
    2,000 numbers); a page decodes its slice only, and the slice is the list's."""
    ids = [7, 1, 2**31 + 5, 300, 65536, 42, 2**32 - 1]
    packed = pack_ids(ids)
    assert isinstance(packed, str) and len(packed) == 8 * len(ids)
    assert unpack_ids(packed) == ids
    for start, stop in ((0, 3), (2, 5), (5, 50), (7, 9), (0, None), (3, None)):
        assert unpack_ids(packed, start, stop) == ids[start:stop]


def test_a_grouped_plan_draws_the_timeline_without_reading_its_mentions(session, monkeypatch):
    """Past MAX_MARKS dated mentions the claim page reads only the mentions its spread names (the
    first, its ties, the last seen, the undated): the grouped marks' labels come from the plan."""
    from app.domain.spread import planned_spread

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 1)
    build(session)
    for article in (HERALD, GAZETTE, DENIAL, COURIER):
        ingest_and_commit(session, article, "tester")
    consistent(session)
    grouped = 0
    for summary in session.scalars(select(ClaimSpread)):
        plan = summary.page["timeline"]
        if not plan or plan["dated"] < 2:
            continue
        grouped += bool(plan["bins"])
        marks = [m for _, ms in plan["rows"] for m in ms]
        assert sum(m[3] for m in marks) + (plan["more"][1] if plan["more"] else 0) == plan["dated"]
        _, whole, _ = planned_spread(session, summary)
        named = {summary.first_mention_id, summary.last_mention_id, *summary.tie_ids, *summary.page["undated"]}
        assert set(whole) == named - {None}
    assert grouped >= 3


def test_small_claims_store_no_page_plan(session):
    build(session)
    assert all(s.page is None for s in session.scalars(select(ClaimSpread)))


def _without_plans(session) -> None:
    for summary in session.scalars(select(ClaimSpread)):
        summary.page = None
    session.commit()


@pytest.mark.parametrize("thin", [False, True])
@pytest.mark.parametrize("who", ["analyst", "anonymous"])
def test_the_claim_page_drawn_from_its_plan_is_the_page_read_whole(database_url, monkeypatch, who, thin):
    """Every claim's page, with a stored plan (READ_WHOLE 0: every claim is "big") and without one
    (the mentions read and laid out on the request): the same HTML, summary, timeline, mention
    list and renderings, for a reader who sees suggestions and one who does not; `thin`: the
    timeline grouped (MAX_MARKS 1) as a claim's with thousands of mentions is."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from tests.auth import log_in

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    if thin:
        monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 1)
    app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=0))
    try:
        with app.state.sessionmaker() as s:
            data = build(s)
            for article in (HERALD, GAZETTE, DENIAL, COURIER):
                ingest_and_commit(s, article, "tester")
            ids = list(s.scalars(select(Claim.id).where(Claim.merged_into_id.is_(None)).order_by(Claim.id)))
            assert sum(p is not None for p in s.scalars(select(ClaimSpread.page))) >= 5
        with TestClient(app, follow_redirects=False) as c:
            if who == "analyst":
                c = log_in(c, app)
            planned = {i: c.get(f"/claims/{i}").text for i in ids}
            with app.state.sessionmaker() as s:
                _without_plans(s)
            whole = {i: c.get(f"/claims/{i}").text for i in ids}
        assert planned == whole
        c1 = planned[data.claims["c1"]]
        assert "<svg" in c1 and "How each outlet renders it" in c1
        assert ('class="timeline-bins"' in c1) == thin
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize("who", ["analyst", "anonymous"])
def test_sources_json_from_the_plan_is_the_answer_read_whole(database_url, monkeypatch, who):
    """sources.json of every claim a page at a time, its spread placed from the stored plan
    (READ_WHOLE 0: every claim is "big") and without one (every mention read): the same answers;
    and its pages, put end to end, are the claim's sources read in one go."""
    from fastapi.testclient import TestClient

    from app.domain.mentions import claim_sources
    from app.main import create_app
    from app.settings import Settings
    from tests.auth import log_in

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=0))
    try:
        with app.state.sessionmaker() as s:
            build(s)
            for article in (HERALD, GAZETTE, DENIAL, COURIER):
                ingest_and_commit(s, article, "tester")
            ids = list(s.scalars(select(Claim.id).where(Claim.merged_into_id.is_(None)).order_by(Claim.id)))
            assert sum(p is not None for p in s.scalars(select(ClaimSpread.page))) >= 5
            whole_sources = {i: [m.id for m in claim_sources(s, i)] for i in ids}
        urls = [f"/claims/{i}/sources.json?per_page={n}&page={p}" for i in ids for n in (1, 2, 100) for p in (1, 2, 3)]
        with TestClient(app, follow_redirects=False) as c:
            if who == "analyst":
                c = log_in(c, app)
            planned = {u: c.get(u).json() for u in urls}
            with app.state.sessionmaker() as s:
                _without_plans(s)
            whole = {u: c.get(u).json() for u in urls}
        assert planned == whole
        for i in ids:
            pages = [planned[f"/claims/{i}/sources.json?per_page=1&page={p}"]["sources"] for p in (1, 2, 3)]
            assert [s["mention_id"] for page in pages for s in page] == whole_sources[i][:3]
        assert any(body["spread"]["timeline"] for body in planned.values())
        if who == "analyst":
            assert any(body["spread"]["suggested"] for body in planned.values())
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize("thin", [False, True])
def test_an_analysts_picture_of_a_big_claim_with_suggestions_is_stored_and_dropped_once_one_is_decided(
        database_url, monkeypatch, thin):
    """A big claim's plan keeps the picture a reader who sees its suggestions gets (READ_WHOLE 0:
    every claim is "big"): the analyst's claim page draws it from the plan, without laying out the
    mentions, and it is the page read whole. Rejecting a suggestion does not recount the claim: its
    stored picture is then not drawn (its suggestions are not the claim's any more), the page is
    still the page read whole, and the check does not count the unused plan as a difference."""
    from fastapi.testclient import TestClient

    import app.web.claim_spread as claim_spread_web
    from app.domain.suggestions import reject
    from app.main import create_app
    from app.settings import Settings
    from tests.auth import log_in

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    if thin:
        monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 1)
    app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=0))
    used: list[bool] = []
    real = claim_spread_web.usable_suggested_plan
    monkeypatch.setattr(claim_spread_web, "usable_suggested_plan",
                        lambda s, summary: used.append(bool(found := real(s, summary))) or found)
    laid_out = claim_spread_web.suggested_spread

    def page(c, claim_id: int, stored: bool = True) -> str:
        if not stored:
            monkeypatch.setattr(claim_spread_web, "usable_suggested_plan", lambda s, summary: None)
        try:
            return c.get(f"/claims/{claim_id}").text
        finally:
            monkeypatch.setattr(claim_spread_web, "usable_suggested_plan",
                                lambda s, summary: used.append(bool(found := real(s, summary))) or found)

    try:
        with app.state.sessionmaker() as s:
            data = build(s)
            claim_id = data.claims["c3"]
            # One more suggestion, in an undated article (listed under the picture, not on it).
            from app.domain.linking import refresh_outlet_counts

            text = s.get(Claim, claim_id).text
            body = f"An undated report.\n\n{text}.\n"
            article = Article(outlet_id=s.get(Article, s.get(Mention, data.mentions[("c3", "Alpha", "repeats")])
                                              .article_id).outlet_id,
                              title="Undated report", published=None, text=body, content_hash="undated-suggested")
            s.add(article)
            s.flush()
            start = body.index(text)
            s.add(Mention(claim_id=claim_id, article_id=article.id, start=start, end=start + len(text), excerpt=text,
                          stance="repeats", origin="suggested"))
            s.flush()
            refresh_outlet_counts(s, [claim_id])
            s.commit()
            waiting = [m for m in s.scalars(select(Mention).where(Mention.claim_id == claim_id,
                                                                  Mention.origin == "suggested").order_by(Mention.id))]
            assert len(waiting) >= 2 and s.get(ClaimSpread, claim_id).page["suggested"]["undated"] == [waiting[-1].id]
        with TestClient(app, follow_redirects=False) as c:
            c = log_in(c, app)
            calls: list[int] = []
            monkeypatch.setattr(claim_spread_web, "suggested_spread", lambda *a: calls.append(1) or laid_out(*a))
            stored = page(c, claim_id)
            assert used == [True] and calls == []          # drawn from the plan, nothing laid out
            assert stored == page(c, claim_id, stored=False) and calls == [1]
            assert 'class="tl-mark suggested' in stored and "Undated report" in stored
            with app.state.sessionmaker() as s:
                reject(s, waiting[0].id, "tester")
                s.commit()
                assert s.get(ClaimSpread, claim_id).page["suggested"] is not None     # not recounted
                consistent(s)
            used.clear()
            after = page(c, claim_id)
            assert used == [False]
            assert after == page(c, claim_id, stored=False)
            assert f'data-mention-id="{waiting[0].id}"' not in after
            with app.state.sessionmaker() as s:
                _without_plans(s)
            assert page(c, claim_id) == after
    finally:
        app.state.engine.dispose()


def test_the_check_sees_a_wrong_stored_picture_of_suggestions(session):
    """A stored picture worked out with the suggestions the claim has now must be the right one."""
    from sqlalchemy.orm.attributes import flag_modified

    import app.domain.spread as spread_module

    original = spread_module.READ_WHOLE
    spread_module.READ_WHOLE = 0
    try:
        data = build(session)
        summary = session.get(ClaimSpread, data.claims["c3"])
        assert summary.page["suggested"]
        summary.page["suggested"]["timeline"]["dated"] += 1
        flag_modified(summary, "page")
        session.flush()
        assert any(f"claim {data.claims['c3']}:" in p for p in check_spreads(session))
    finally:
        spread_module.READ_WHOLE = original


def _recounted(session) -> dict[int, int]:
    """claims.outlet_count as counted from the mentions (distinct outlets of confirmed mentions)."""
    from sqlalchemy import func

    counted = dict(session.execute(
        select(Mention.claim_id, func.count(func.distinct(Article.outlet_id)))
        .join(Article, Article.id == Mention.article_id).where(Mention.origin != "suggested")
        .group_by(Mention.claim_id)).all())
    return {c: counted.get(c, 0) for c in session.scalars(select(Claim.id))}


@pytest.mark.parametrize("grouped", [False, True])
def test_appended_mentions_keep_what_a_recount_gives(session, monkeypatch, grouped):
    """An ingest's new mentions are added to a big claim's stored summary and page plan
    (spread_summary.append_spreads) instead of recounting every mention; at random (outlets,
    stances, fidelities, suggestions, undated articles, the same day as the first or the last,
    times of day, earlier days, mentions in older articles, an analyst's change between two), the
    result is what check_spreads recomputes, and most appends took the short way."""
    import random
    from datetime import date, datetime, timedelta, timezone

    from app.domain import spread_summary
    from app.domain.linking import add_mention, refresh_outlet_counts
    from app.domain.people import get_or_create_outlet

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 3)
    if grouped:
        monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 5)
    kept = []
    real = spread_summary.append_spreads
    monkeypatch.setattr(spread_summary, "append_spreads", lambda s, a: kept.append(real(s, a)) or kept[-1])
    data = build(session)
    rng = random.Random(13)
    outlets = [get_or_create_outlet(session, name).id for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")]
    big = [data.claims["c1"], data.claims["c3"], data.claims["c4"]]
    articles: list[Article] = []
    day = date(2024, 3, 1)

    def article(published, at=None, outlet=None) -> Article:
        n = len(articles)
        body = f"Appended report {n}.\n\nSome words said here and there, at length, by someone.\n"
        made = Article(outlet_id=outlet or rng.choice(outlets), title=f"Appended {n}", published=published,
                       published_at=at, text=body, content_hash=f"appended-{n}")
        session.add(made)
        session.flush()
        articles.append(made)
        return made

    def append(into: Article, claims: list[int], refresh: bool = True, stance: str | None = None,
               also: set[int] = frozenset()) -> dict[int, list[int]]:
        added: dict[int, list[int]] = {}
        for claim_id in claims:
            start = rng.randrange(0, 40)
            mention = add_mention(session, session.get(Claim, claim_id), into, start, start + 8,
                                  stance=stance or rng.choice(["repeats", "repeats", "repeats", "contradicts",
                                                               "discusses"]),
                                  origin="extracted" if stance else rng.choice(
                                      ["extracted", "extracted", "extracted", "suggested"]),
                                  judged=rng.choice(["verbatim", "trimmed", "paraphrased"]))
            if mention is not None:
                added.setdefault(claim_id, []).append(mention.id)
        if refresh:
            refresh_outlet_counts(session, set(added) | also, appended=added)
        session.commit()
        if refresh:
            assert check_spreads(session) == [], (len(articles), kind)
            assert {c: session.get(Claim, c).outlet_count for c in big} == {c: _recounted(session)[c] for c in big}
        return added

    def noon(d: date, hours: int) -> datetime:
        return datetime.combine(d, datetime.min.time(), timezone.utc) + timedelta(hours=hours)

    for n in range(120):
        kind = rng.choice(["next day", "next day", "same day", "undated", "undated", "timed", "late", "tz",
                           "earlier", "older"])
        claims = rng.sample(big, rng.randint(1, 2))
        if kind == "older" and articles:
            append(rng.choice(articles), claims)          # matched back into an earlier article
        elif kind == "late":
            # A time of day after the midday a day-only date sits at, the same outlet and side:
            # after that day's mention in time, before it in the mention list (its group's).
            first = article(day)
            append(first, big[:1], stance="repeats")
            append(article(day, noon(day, rng.randrange(13, 24)), first.outlet_id), big[:1], stance="repeats")
        elif kind == "tz":
            # A source's own day with a UTC time on the next one, late: the next day's mention is
            # later by its day and earlier by its moment.
            append(article(day, noon(day, 44)), big[:1], stance="repeats")
            day += timedelta(days=1)
            append(article(day), big[:1], stance="repeats")
        else:
            if kind == "next day":
                day += timedelta(days=1)
            published = {"undated": None, "earlier": date(2023, 12, 1 + n % 28)}.get(kind, day)
            append(article(published, noon(day, rng.randrange(24)) if kind == "timed" else None), claims)
        if n % 10 == 9:
            # Added and not refreshed (as a bulk load refreshes later), then one more: that claim's
            # summary does not hold every other mention, so it is not added to.
            stale = append(article(None), big[:1], refresh=False, stance="repeats")
            append(article(None), big[:1], stance="repeats", also=set(stale))
        if n % 25 == 24:          # an analyst's change between two ingests: recounted in full
            mention = session.scalars(select(Mention).where(Mention.claim_id == big[0]).order_by(Mention.id)).first()
            set_stance(session, mention.id, "discusses" if mention.stance != "discusses" else "repeats", "tester")
            session.commit()
    # A claim new today, repeated by many outlets the same day (its first: the ties), some with a
    # time of day, then the next day.
    hot = Claim(text="A claim everyone repeats today", norm_hash=13)
    session.add(hot)
    session.flush()
    big.append(hot.id)
    kind = "hot"
    for n in range(40):
        hours = rng.choice([None, None, rng.randrange(24)])
        when = date(2024, 9, 1) + timedelta(days=n // 30)
        outlet = get_or_create_outlet(session, f"Hot {rng.randrange(n + 1)}").id     # new ones keep coming
        append(article(when, noon(when, hours) if hours is not None else None, outlet), [hot.id])
    assert session.get(ClaimSpread, hot.id).tie_ids
    short = sum(len(k) for k in kept)
    assert short >= 60, short               # the short way taken for most appends, not only the easy ones
    assert any(s.page["timeline"] and bool(s.page["timeline"]["bins"]) == grouped
               for s in session.scalars(select(ClaimSpread).where(ClaimSpread.claim_id.in_(big))))


def test_ingests_repeating_a_big_claim_keep_the_summaries(session, monkeypatch):
    """The ingest path (committing steps, and one transaction) over many articles repeating one
    claim, dated and undated, on the first day (its ties) and later, ends with the summaries a
    recount gives; the repeats past the first few took the short way (append_spreads)."""
    from datetime import timedelta

    from app.domain import spread_summary
    from app.domain.articles import ArticleInput, ingest_article

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 2)
    kept = []
    real = spread_summary.append_spreads
    monkeypatch.setattr(spread_summary, "append_spreads", lambda s, a: kept.append(real(s, a)) or kept[-1])
    ingest_and_commit(session, HERALD, "tester")
    outlets = ["Northport Herald", "Coastal Gazette", "Bay Tribune", "Harbour Daily"]
    for n in range(16):
        published = (None if n % 4 == 1 else HERALD.published if n % 7 == 2
                     else HERALD.published + timedelta(days=1 + n))
        article = ArticleInput(outlet=outlets[n % len(outlets)], title=f"Repeat {n}", published=published,
                               text=f"Repeat {n}\n\nIn report number {n} the plan was restated.\n\n"
                                    f"“{STATEMENT},” harbour master Mirela Dunst said again.\n")
        if n % 2:
            ingest_and_commit(session, article, "tester")
        else:
            ingest_article(session, article, "tester")
            session.commit()
        consistent(session)
    claim = session.scalars(select(Claim).where(Claim.text.contains("northern pier")).order_by(Claim.id)).first()
    summary = session.get(ClaimSpread, claim.id)
    assert summary.linked == 17 and summary.page is not None
    assert claim.outlet_count == len(outlets)
    assert sum(claim.id in k for k in kept) >= 8


def test_a_grouped_timeline_takes_a_mention_more_from_its_plan(session, monkeypatch):
    """A big claim's grouped timeline (past MAX_MARKS dated mentions) with a mention more at its
    latest moment, from an outlet with a row: its group counts one more, or a group is added at
    its spot (timeline.plan_with_group_added), and the plan is what a recount lays out."""
    import random
    from datetime import date, timedelta

    from app.domain import timeline
    from app.domain.linking import add_mention, refresh_outlet_counts
    from app.domain.people import get_or_create_outlet

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 3)
    monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 40)
    used = []
    real = timeline.plan_with_group_added
    monkeypatch.setattr(timeline, "plan_with_group_added", lambda *a: used.append(real(*a)) or used[-1])
    rng = random.Random(7)
    claim = Claim(text="A claim repeated day after day", norm_hash=7)
    session.add(claim)
    session.flush()
    outlets = [get_or_create_outlet(session, f"Daily {i}").id for i in range(3)]
    for n in range(140):
        day = date(2024, 1, 1) + timedelta(days=n // 10)
        article = Article(outlet_id=rng.choice(outlets), title=f"Day {n}", published=day, text="Some words here.",
                          content_hash=f"daily-{n}")
        session.add(article)
        session.flush()
        mention = add_mention(session, claim, article, 0, 4, judged="verbatim",
                              stance=rng.choice(["repeats", "repeats", "contradicts", "discusses"]))
        refresh_outlet_counts(session, [claim.id], appended={claim.id: [mention.id]})
        session.commit()
        assert check_spreads(session) == [], n
    plan = session.get(ClaimSpread, claim.id).page["timeline"]
    assert plan["bins"] and plan["cut"] is None
    assert sum(u is not None for u in used) >= 30


def test_an_append_to_a_big_claim_drops_its_picture_with_suggestions(session, monkeypatch):
    """append_spreads works out the confirmed picture, not the analyst's one with suggestions
    (which places the confirmed mentions too): that one is dropped, so the page lays it out from
    the mentions instead of drawing a picture without the new mention, and the check agrees."""
    from datetime import date

    from app.domain import spread_summary
    from app.domain.linking import add_mention, refresh_outlet_counts
    from app.domain.spread import usable_suggested_plan

    monkeypatch.setattr("app.domain.spread.READ_WHOLE", 0)
    appended = []
    real = spread_summary.append_spreads
    monkeypatch.setattr(spread_summary, "append_spreads", lambda s, a: appended.append(real(s, a)) or appended[-1])
    data = build(session)
    claim = session.get(Claim, data.claims["c3"])
    assert usable_suggested_plan(session, session.get(ClaimSpread, claim.id)) is not None
    outlet_id = session.get(Article, session.get(Mention, data.mentions[("c3", "Alpha", "repeats")]).article_id).outlet_id
    article = Article(outlet_id=outlet_id, title="Much later", published=date(2031, 1, 1), text="Some words here.",
                      content_hash="much-later")
    session.add(article)
    session.flush()
    mention = add_mention(session, claim, article, 0, 4, judged="verbatim", stance="repeats")
    refresh_outlet_counts(session, [claim.id], appended={claim.id: [mention.id]})
    session.flush()
    assert appended and claim.id in appended[-1]          # the short way was taken
    assert session.get(ClaimSpread, claim.id).page["suggested"] is None
    assert usable_suggested_plan(session, session.get(ClaimSpread, claim.id)) is None
    assert check_spreads(session) == []
