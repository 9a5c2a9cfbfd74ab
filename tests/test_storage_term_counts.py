"""Word rarity among the stored claims (a vocabulary snapshot) and article search, on every engine."""
from __future__ import annotations

from datetime import date

from app.storage.models import Article, Claim, Outlet
from app.storage.search import index_word, _snapshot, article_candidates
from app.storage.term_counts import VocabSnapshot


def _claims(session, *texts: str) -> None:
    session.add_all(Claim(text=t, norm_hash=i) for i, t in enumerate(texts))
    session.commit()


def test_prefix_counts_sum_every_word_starting_with_the_prefix():
    snap = VocabSnapshot(["trust", "trusted", "truth", "war"], [0, 3, 4, 9, 11], 20, 0.0, 0.0)
    assert snap.count("trust") == 4       # trust (3) + trusted (1)
    assert snap.count("tru") == 9
    assert snap.count("war") == 2
    assert snap.count("zebra") == 0 and snap.count("") == 0


def term_doc_counts(session, prefixes: list[str]) -> tuple[dict[str, int], int]:
    """(claims holding each prefix, claims stored), as match weights read them."""
    vocab = _snapshot(session)
    return vocab.counts(prefixes, index_word), vocab.total


def test_counts_follow_the_store_as_it_grows(session):
    _claims(session, "The harbour will open in spring", "The harbour stays shut")
    counts, total = term_doc_counts(session, ["harbou", "spring", "ferry"])
    assert counts == {"harbou": 2, "spring": 1, "ferry": 0}
    assert total == 2
    # A small store is looked at again on every call: new claims count at once.
    _claims(session, "A ferry will serve the harbour", "Ferry fares rise in spring")
    counts, total = term_doc_counts(session, ["harbou", "spring", "ferry"])
    assert counts == {"harbou": 3, "spring": 2, "ferry": 2}
    assert total == 4


def test_article_search_finds_the_articles_holding_the_rarest_words(session):
    outlet = Outlet(name="Valley Post", slug="valley-post")
    session.add(outlet)
    session.flush()
    texts = ["The northern flood gates will open before the spring rains.",
             "Council debates the school budget for the eastern district.",
             "Farmers say the flood gates opened too late last year."]
    articles = [Article(outlet_id=outlet.id, text=t, content_hash=str(i), title=f"t{i}",
                        published=date(2024, 3, 1)) for i, t in enumerate(texts)]
    session.add_all(articles)
    _claims(session, "The flood gates will open", "The budget is too small")
    found = article_candidates(session, ["flood", "gates"], 10)
    assert set(found) == {articles[0].id, articles[2].id}
    assert article_candidates(session, ["flood", "gates"], 10, exclude=articles[0].id) == [articles[2].id]
    assert article_candidates(session, ["volcano"], 10) == []


def test_claim_candidates_rank_by_the_rare_words_each_claim_holds(session):
    from app.storage.search import claim_candidates
    # "harbour" is in every claim; "ferry" and "lantern" are rare.
    _claims(session, "The harbour lantern ferry will sail at dawn",      # both rare words
            "A ferry leaves the harbour each hour",                        # one rare word
            "The harbour stays shut", "The harbour will reopen",
            "The harbour fees go up", "The harbour lantern festival is off")   # the other
    merged = Claim(text="A harbour lantern ferry merged away", norm_hash=99)
    session.add(merged)
    session.flush()
    merged.merged_into_id = 1
    session.commit()
    hits = claim_candidates(session, ["harbou", "ferry", "lanter"], 10)
    ids = [cid for cid, *_ in hits]
    assert ids[0] == 1                        # holds both rare words
    assert merged.id not in ids               # merged claims are never candidates
    assert set(ids[1:3]) == {2, 6}            # one rare word each
    assert {cid: text for cid, text, *_ in hits}[1] == "The harbour lantern ferry will sail at dawn"
    assert [cid for cid, *_ in claim_candidates(session, ["harbou", "ferry", "lanter"], 1)] == [1]


def test_weights_are_the_idf_of_each_prefix_count_and_follow_a_new_snapshot(session):
    from app.pipeline.matching import idf
    from app.storage.search import term_weights
    _claims(session, "The harbour will open in spring", "The harbour stays shut")
    assert term_weights(session, ["harbou", "spring", "ferry"]) == {
        "harbou": idf(2, 2), "spring": idf(1, 2), "ferry": idf(0, 2)}
    # Asked again (memoized) the same; once the store grows, the new counts and total count.
    assert term_weights(session, ["spring"]) == {"spring": idf(1, 2)}
    _claims(session, "A ferry will serve the harbour", "Ferry fares rise in spring")
    assert term_weights(session, ["harbou", "ferry"]) == {"harbou": idf(3, 4), "ferry": idf(2, 4)}


def test_pruned_candidates_are_exactly_the_full_querys(session, monkeypatch):
    """PostgreSQL asks the index for the rarest words first and skips the common words' postings
    when their weights cannot lift a claim into the top (search._pruned): the candidates must be
    the ones the full query ranks, in the same order, and the pruning must actually happen."""
    import random

    from app.storage import search
    from app.storage.lookups import driver_rows, index_rows
    rng = random.Random(5)
    words = [f"w{chr(97 + i % 26)}{chr(97 + i // 26)}x" for i in range(120)]
    zipf = [1 / (r + 1) for r in range(len(words))]
    _claims(session, *(" ".join(rng.choices(words, zipf, k=rng.randint(6, 14))) for _ in range(600)))
    dialect = session.get_bind().dialect.name
    outcomes, answers = [], []
    real = search._pruned
    monkeypatch.setattr(search, "_pruned", lambda *a: outcomes.append(r := real(*a)) or r)
    # the candidate queries go through index_rows (PostgreSQL: the GIN index, never a table scan)
    monkeypatch.setattr(search, "index_rows", lambda *a: answers.append(r := index_rows(*a)) or r)
    widened = 0
    for _ in range(80):
        terms = rng.sample(words, rng.randint(2, 9))
        answers.clear()
        got = search.claim_candidates(session, terms, 12)
        # The rare words' rows alone were not the answer, and the second query fixed that.
        widened += len(answers) == 2 and len(answers[0]) == 12 and answers[0] != answers[1]
        clean = search._telling_terms(session, search._clean_terms(terms), 800, 12)
        full = driver_rows(session, search._ranked_sql(dialect, len(clean), True),
                           search._ranked_params(session, dialect, clean) | {"n": 12})
        assert got == [(cid, text, title, kept) for cid, text, title, kept, _ in full]
    if dialect == "postgresql":
        assert sum(r is not None for r in outcomes) >= 10 and widened >= 1


def test_a_weight_table_holds_the_weights_asked_and_stays_whole_when_the_memo_fills(monkeypatch):
    """term_weight_table hands out the snapshot's memo itself (no copy per passage): it must hold
    every prefix asked with term_weights' weight, and a full memo is replaced, never emptied, so a
    table a caller still reads keeps its weights."""
    from app.pipeline.matching import idf
    from app.storage import term_counts

    snap = VocabSnapshot(["ferry", "harbour", "spring"], [0, 2, 5, 6], 8, 0.0, 0.0)
    table = snap.weight_table({"harbou", "ferry"}, lambda p: p, idf)
    assert table["harbou"] == idf(3, 8) and table["ferry"] == idf(2, 8)
    assert snap.weights(["spring", "harbou"], lambda p: p, idf) == {"spring": idf(1, 8), "harbou": idf(3, 8)}
    monkeypatch.setattr(term_counts, "MEMO_MAX", 3)
    again = snap.weight_table(["zebra"], lambda p: p, idf)
    assert again["zebra"] == idf(0, 8) and again is not table
    assert table["harbou"] == idf(3, 8) and table["ferry"] == idf(2, 8)   # the old table kept whole


def test_a_stem_the_index_cuts_at_an_apostrophe_counts_as_its_longest_part(session):
    # The matcher keeps "o'malley" one word; both indexes hold 'o' and 'malley'. Counted by 'o',
    # the name was as common as every word starting with an o.
    _claims(session, "Governor O'Malley opens the ferry", "The ferry runs on time", "Ohio orders one ferry")
    counts, _ = term_doc_counts(session, ["o'mall", "ferry", "ohio"])
    assert counts == {"o'mall": 1, "ferry": 3, "ohio": 1}


def test_articles_holding_the_same_words_tie_whatever_order_the_database_groups_them_in(session):
    """An article's score is its words' weights summed term by term on both engines: in floats
    0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ, and PostgreSQL grouping by sorting (as its planner
    may choose) hands a group's rows over in any order, which broke ties between equal articles
    at random (two ingests of one batch then matched back into different articles)."""
    from sqlalchemy import text

    from app.storage.lookups import index_rows
    from app.storage.search import _ranked_sql

    outlet = Outlet(name="Valley Post", slug="valley-post")
    session.add(outlet)
    session.flush()
    session.add_all(Article(outlet_id=outlet.id, text="Flood gates and levees hold.", content_hash=str(i),
                            title=f"t{i}", published=date(2024, 3, 1)) for i in range(60))
    session.flush()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SET LOCAL enable_hashagg = off"))   # group by sorting the hits
    q = (lambda w: f'"{w}"*') if dialect == "sqlite" else (lambda w: f"'{w}':*")
    params = {"q0": q("flood"), "w0": 0.1, "q1": q("gates"), "w1": 0.2, "q2": q("levees"), "w2": 0.3,
              "n": 100, "exclude": 0, "all": " | ".join(q(w) for w in ("flood", "gates", "levees"))}
    rows = index_rows(session, _ranked_sql(dialect, 3, False), params)
    assert len(rows) == 60
    assert {s for _, s in rows} == {0.1 + 0.2 + 0.3}
    assert [i for i, _ in rows] == sorted(i for i, _ in rows)
