"""Ingest: text stored untouched, quotes become claims, repeats link across outlets, bad input is refused."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.domain.articles import ArticleInput, ingest_article
from app.domain.errors import InvalidInput, TooLarge
from app.domain.ingest import collect_files, ingest_files
from app.storage.models import Article, Claim, Event, Mention, Quote
from tests.factories import GAZETTE, HERALD, STATEMENT


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def ingest_all(session, *articles: ArticleInput) -> list:
    results = [ingest_article(session, a, "tester") for a in articles]
    session.commit()
    return results


def test_repeated_quote_links_two_outlets_to_one_claim(session):
    first = ingest_article(session, HERALD, "tester")
    second = ingest_article(session, GAZETTE, "tester")
    session.commit()
    assert first.created and second.created
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    assert claim is not None
    assert claim.outlet_count == 2
    mentions = session.scalars(select(Mention).where(Mention.claim_id == claim.id)).all()
    assert {m.article_id for m in mentions} == {first.article_id, second.article_id}
    assert {m.stance for m in mentions} == {"repeats"}
    # the quotations link on their own; the headline summing the statement up waits for an analyst
    assert {m.origin for m in mentions if m.quote_id is not None} == {"extracted"}
    assert {m.origin for m in mentions if m.quote_id is None} <= {"suggested"}
    gazette = next(m for m in mentions if m.article_id == second.article_id)
    assert gazette.fidelity == "trimmed"
    assert claim.speaker is not None and claim.speaker.name == "Mirela Dunst"


def test_text_is_stored_exactly_and_offsets_point_into_it(session):
    result = ingest_article(session, HERALD, "tester")
    article = session.get(Article, result.article_id)
    assert article.text == HERALD.text
    for q in session.scalars(select(Quote).where(Quote.article_id == article.id)):
        assert article.text[q.start:q.end] == q.text
    for m in session.scalars(select(Mention).where(Mention.article_id == article.id)):
        assert article.text[m.start:m.end] == m.excerpt


def test_reingest_same_text_changes_nothing(session):
    first = ingest_article(session, HERALD, "tester")
    session.commit()
    before = [count(session, m) for m in (Article, Quote, Claim, Mention, Event)]
    again = ingest_article(session, replace(HERALD, outlet="Another Outlet"), "tester")
    session.commit()
    assert not again.created and again.article_id == first.article_id
    assert [count(session, m) for m in (Article, Quote, Claim, Mention, Event)] == before


@pytest.mark.parametrize("change, error, words", [
    ({"text": "   \n"}, InvalidInput, "empty text"),
    ({"outlet": " "}, InvalidInput, "missing outlet"),
    ({"text": "x" * (2 * 1024 * 1024 + 1)}, TooLarge, "over the limit"),
])
def test_bad_articles_are_refused_with_a_reason(session, change, error, words):
    with pytest.raises(error) as info:
        ingest_article(session, replace(HERALD, **change), "tester")
    assert words in info.value.message


def test_batch_reports_bad_files_and_goes_on(session, tmp_path):
    (tmp_path / "a_good.txt").write_text(HERALD.text, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c_latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "d_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "e_good.txt").write_text(GAZETTE.text, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("not an article", encoding="utf-8")
    files = collect_files([tmp_path])
    assert [f.name for f in files] == ["a_good.txt", "b_binary.txt", "c_latin1.txt", "d_empty.txt", "e_good.txt"]
    sources = {"e_good.txt": {"outlet": "Coastal Gazette", "published": "2024-05-03"}}
    results = ingest_files(session, files, {"outlet": "Northport Herald"}, sources, "tester", 2 * 1024 * 1024)
    status = {r.name.rsplit("/", 1)[-1]: (r.status, r.error) for r in results}
    assert status["a_good.txt"][0] == "added"
    assert status["e_good.txt"][0] == "added"
    assert "binary" in status["b_binary.txt"][1]
    assert "UTF-8" in status["c_latin1.txt"][1]
    assert status["d_empty.txt"] == ("failed", "empty text")
    assert count(session, Article) == 2
    gazette = session.scalar(select(Article).where(Article.source_name == "e_good.txt"))
    assert gazette.outlet.name == "Coastal Gazette" and str(gazette.published) == "2024-05-03"


def test_bad_date_is_reported_for_that_file(session, tmp_path):
    path = tmp_path / "dated.txt"
    path.write_text(HERALD.text, encoding="utf-8")
    [result] = ingest_files(session, [path], {"outlet": "X", "published": "last tuesday"}, {}, "t", 10**6)
    assert result.status == "failed" and "unparseable date" in result.error


def test_a_quote_split_by_its_attribution_is_one_statement(session):
    split = ArticleInput(outlet="Coast Wire", title="Pier", text=(
        "Pier\n\n“If the port does not pay for the repairs,” harbour master Ana Lopez said, “the "
        "night shift will have to go. There is no other way.”\n"))
    whole = ArticleInput(outlet="Harbour Gazette", title="Pier shifts", text=(
        "Pier shifts\n\nAna Lopez warned: “If the port does not pay for the repairs, the night "
        "shift will have to go.”\n"))
    first, _ = ingest_all(session, split, whole)
    joined = session.scalar(select(Claim).where(
        Claim.text == "If the port does not pay for the repairs, the night shift will have to go"))
    assert joined is not None and joined.outlet_count == 2
    halves = session.scalars(select(Mention).where(Mention.claim_id == joined.id,
                                                   Mention.article_id == first.article_id)
                             .order_by(Mention.start)).all()
    assert [(m.excerpt, m.fidelity) for m in halves] == [
        ("If the port does not pay for the repairs", "trimmed"), ("the night shift will have to go", "trimmed")]
    assert session.scalar(select(Claim).where(Claim.text == "the night shift will have to go")) is None
    assert session.scalar(select(Claim).where(Claim.text == "There is no other way")) is not None


def test_a_statement_that_is_a_cut_of_a_stored_claim_joins_it(session):
    quoted = ArticleInput(outlet="Coast Wire", title="Ferries", text=(
        "Ferries\n\n“Every ferry route will keep running from the temporary pier at the north quay,” "
        "said harbour master Ana Lopez.\n"))
    reported = ArticleInput(outlet="Northport Radio", title="Ferries stay", text=(
        "Ferries stay\n\nAna Lopez told local radio that every ferry route would keep running from "
        "a temporary pier.\n"))
    _, second = ingest_all(session, quoted, reported)
    assert second.new_claims == 0
    [claim] = session.scalars(select(Claim)).all()
    cut = session.scalar(select(Mention).where(Mention.article_id == second.article_id))
    assert (cut.claim_id, cut.origin, cut.fidelity) == (claim.id, "extracted", "paraphrased")
    assert cut.score >= 0.9 and claim.outlet_count == 2


def test_a_short_cut_of_a_stored_claim_joins_it_too(session):
    first = ArticleInput(outlet="Lake Wire", title="Measles", text=(
        "Measles\n\nMeasles cases in Valmora have tripled since January, the regional health agency "
        "said on Thursday.\n"))
    second = ArticleInput(outlet="Valmora Times", title="Clinics", text=(
        "Clinics\n\nThe regional health agency told reporters that cases had tripled since January.\n"))
    _, result = ingest_all(session, first, second)
    assert result.new_claims == 0
    [claim] = session.scalars(select(Claim)).all()
    assert claim.outlet_count == 2


def test_batch_collector_runs_the_collector_less_often_and_gives_its_thresholds_back():
    import gc

    from app.domain.ingest import BATCH_GC_THRESHOLDS, batch_collector

    before = gc.get_threshold()
    with batch_collector():
        assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        assert BATCH_GC_THRESHOLDS[0] > before[0]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), batch_collector():
        raise RuntimeError("a failed batch")
    assert gc.get_threshold() == before
