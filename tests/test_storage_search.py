"""Claim search through the full-text index (FTS5 / tsvector), on every test engine."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update

from app.domain.claims import ClaimFilter, list_claims
from app.storage.lookups import driver_rows, index_rows
from app.storage.models import Claim
from app.storage.search import claim_text_matches, query_tokens

TEXTS = {
    "pier": "The harbour authority will close the northern pier to all cargo traffic",
    "budget": "We will fully implement the budget before the winter session",
    "buses": "Night buses will run all winter long, the mayor said",
    "partial": "The ministry will partly implement the plan",
    "accent": "Le café rouvrira à Noël selon la mairie",
}


@pytest.fixture
def claims(session) -> dict[str, int]:
    ids = {}
    for key, text in TEXTS.items():
        claim = Claim(text=text, norm_hash=0)
        session.add(claim)
        session.flush()
        ids[key] = claim.id
    session.commit()
    return ids


def found(session, q: str) -> set[int]:
    return set(session.scalars(select(Claim.id).where(claim_text_matches(q))))


def test_all_words_must_match(session, claims):
    assert found(session, "winter") == {claims["budget"], claims["buses"]}
    assert found(session, "winter buses") == {claims["buses"]}
    assert found(session, "winter pier") == set()


def test_prefix_on_last_word_only(session, claims):
    assert found(session, "fully implem") == {claims["budget"]}
    assert found(session, "implem") == {claims["budget"], claims["partial"]}
    assert found(session, "harb") == {claims["pier"]}
    # Only the last word is a prefix: an unfinished earlier word matches nothing.
    assert found(session, "harb pier") == set()


def test_case_insensitive(session, claims):
    assert found(session, "NIGHT Buses") == {claims["buses"]}
    assert found(session, "Northern PI") == {claims["pier"]}


def test_accented_words(session, claims):
    assert found(session, "café noël") == {claims["accent"]}
    assert found(session, "CAFÉ") == {claims["accent"]}


def test_punctuation_is_a_separator(session, claims):
    assert found(session, '"fully" implement!') == {claims["budget"]}
    assert found(session, "(night)-buses*") == {claims["buses"]}
    assert found(session, "winter, mayor.") == {claims["buses"]}


@pytest.mark.parametrize("q", [
    '"', '""', "'", "''", '"unbalanced', "*", "**", "-", "--", "-winter", "winter -buses",
    "NEAR", "NEAR(winter buses)", "winter NEAR buses", "AND", "OR", "NOT", "winter OR pier",
    "winter AND", "( )", "(winter", "winter)", "text:winter", "{text}: winter", "^winter",
    "winter:*", "!winter", "win & ter | x", "<->", "a <-> b", "\\", "%", "_", "%_%", ";", "' OR 1=1 --",
    "\x00", "\t\n", "🙂", "Ω≈ç√", "日本語のテキスト", "e\u0301", "ﬁne", "٣", "ǅ",
    "word " * 400, "x" * 2000, "-" * 2000, '"' * 2000, ("ab" * 60 + " ") * 16,
])
def test_hostile_input_never_errors(session, claims, q):
    found(session, q)
    list_claims(session, ClaimFilter(q=q))


def test_query_tokens_are_words_only():
    assert query_tokens('"Fully" IMPLEM*') == ["fully", "implem"]
    assert query_tokens('NEAR(a b) -c') == ["near", "a", "b", "c"]
    assert query_tokens("snake_case") == ["snake", "case"]
    assert query_tokens("***") == []
    assert len(query_tokens("word " * 400)) <= 16
    assert all(len(t) <= 100 for t in query_tokens("x" * 2000))


def test_query_without_words_does_not_filter(session, claims):
    assert found(session, "*** --") == set(claims.values())


def test_edited_text_is_found_by_new_words_only(session, claims):
    claim = session.get(Claim, claims["pier"])
    claim.text = "The southern quay reopens for ferries"
    session.commit()
    assert found(session, "southern quay") == {claims["pier"]}
    assert found(session, "ferr") == {claims["pier"]}
    assert found(session, "northern pier") == set()
    assert found(session, "harbour") == set()


def test_bulk_update_and_unrelated_update(session, claims):
    session.execute(update(Claim).where(Claim.id == claims["buses"]).values(text="Trams every hour"))
    session.execute(update(Claim).where(Claim.id == claims["budget"]).values(status="verified"))
    session.commit()
    assert found(session, "trams") == {claims["buses"]}
    assert found(session, "night buses") == set()
    assert found(session, "fully implement") == {claims["budget"]}


def test_deleted_claims_are_not_found(session, claims):
    session.execute(delete(Claim).where(Claim.id == claims["buses"]))
    session.commit()
    assert found(session, "winter") == {claims["budget"]}
    # A new claim may reuse nothing of the deleted one's index entries.
    fresh = Claim(text="Ferries will run all winter", norm_hash=0)
    session.add(fresh)
    session.commit()
    assert found(session, "winter") == {claims["budget"], fresh.id}
    assert found(session, "night") == set()


def test_merged_claims_are_hidden_from_the_list(session, claims):
    loser = session.get(Claim, claims["partial"])
    loser.merged_into_id = claims["budget"]
    session.commit()
    assert found(session, "implement") == {claims["budget"], claims["partial"]}
    page = list_claims(session, ClaimFilter(q="implement"))
    assert [c.id for c in page.claims] == [claims["budget"]]


def test_list_claims_combines_search_with_other_filters(session, claims):
    session.get(Claim, claims["buses"]).status = "verified"
    session.commit()
    page = list_claims(session, ClaimFilter(q="winter", status="verified"))
    assert [c.id for c in page.claims] == [claims["buses"]]
    page = list_claims(session, ClaimFilter(q="wint", sort="newest"), limit=1)
    assert [c.id for c in page.claims] == [claims["buses"]]
    assert page.next_cursor
    more = list_claims(session, ClaimFilter(q="wint", sort="newest"), limit=1, cursor=page.next_cursor)
    assert [c.id for c in more.claims] == [claims["budget"]]


def test_two_searches_in_one_statement(session, claims):
    stmt = select(Claim.id).where(claim_text_matches("winter")).where(claim_text_matches("night"))
    assert set(session.scalars(stmt)) == {claims["buses"]}


def test_search_statements_are_cached_with_their_words_bound(session, claims):
    """A search compiles once per shape (the words are bound values, not SQL text), and each
    search still gets its own words' claims from the cached statement, on the speaker side too."""
    from app.domain.speakers import speakers_prefixed

    stmt = select(Claim.id).where(claim_text_matches("winter")).where(
        Claim.speaker_id.in_(speakers_prefixed("x_%")) | Claim.speaker_id.is_(None))
    assert stmt._generate_cache_key() is not None
    # The same shape one after another: the second answer comes from the cached statement.
    assert found(session, "winter") == {claims["budget"], claims["buses"]}
    assert found(session, "harb") == {claims["pier"]}
    assert found(session, "night buses") == {claims["buses"]}
    assert found(session, "fully implem") == {claims["budget"]}
    assert found(session, "implem") == {claims["budget"], claims["partial"]}


def _gin_options(session) -> dict[str, str | None]:
    rows = session.execute(text(
        "SELECT c.relname, array_to_string(c.reloptions, ',') FROM pg_class AS c "
        "WHERE c.relname IN ('ix_claims_tsv', 'ix_articles_tsv') AND c.relnamespace = "
        "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())")).all()
    return dict(rows)


def test_the_postgresql_word_indexes_keep_no_pending_list(session, claims):
    """With GIN's fastupdate, new claims' words wait in a list every search reads through until a
    vacuum; ingest searches between its inserts, so it read that list again and again."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("a PostgreSQL index option")
    assert _gin_options(session) == {"ix_claims_tsv": "fastupdate=off", "ix_articles_tsv": "fastupdate=off"}
    assert found(session, "northern pier") == {claims["pier"]}


def test_candidate_reads_put_the_planner_setting_back(session, claims):
    """index_rows switches sequential scans off for its one statement only."""
    sql = "SELECT id FROM claims WHERE id = :i"
    assert index_rows(session, sql, {"i": claims["pier"]}) == driver_rows(session, sql, {"i": claims["pier"]})
    if session.get_bind().dialect.name == "postgresql":
        assert session.execute(text("SHOW enable_seqscan")).scalar() == "on"
        session.execute(text("SET LOCAL enable_seqscan = off"))
        index_rows(session, sql, {"i": claims["pier"]})
        assert session.execute(text("SHOW enable_seqscan")).scalar() == "off"


def test_greek_and_cyrillic_words_are_found_as_written(session):
    """FTS5 folds the diacritics of Latin letters only: a query folding 'й' or 'ά' (as it did
    before 0033) asked SQLite for words its index does not hold and found nothing."""
    russian = Claim(text="Министр сказал, что новый порт, который строили пять лет, откроется весной", norm_hash=0)
    greek = Claim(text="Η Ελλάδα θα ανοίξει το νέο λιμάνι τον Μάιο", norm_hash=0)
    session.add_all([russian, greek])
    session.commit()
    for q in ("который", "новый порт", "откроется весной", "КОТОРЫЙ"):
        assert found(session, q) == {russian.id}, q
    for q in ("Ελλάδα", "λιμάνι", "ΛΙΜΆΝΙ", "νέο λιμ"):
        assert found(session, q) == {greek.id}, q
    assert query_tokens("Ελλάδα который café") == ["ελλάδα", "который", "cafe"]


def test_the_folding_table_folds_what_fts5_folds():
    """search._DIACRITIC_FOLD against SQLite's own tokenizer: each precomposed letter is folded by
    the table exactly when FTS5 (unicode61, remove_diacritics 2) folds it too, so that query words
    and PostgreSQL's index hold the words SQLite's index holds."""
    import sqlite3
    import unicodedata

    from app.storage.search import _DIACRITIC_FOLD, _diacritic_fold

    letters = {c: f for c, f in _diacritic_fold(latin_only=False).items() if unicodedata.category(c)[0] == "L"}
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")")
    con.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", [(i, f"q{c}q") for i, c in enumerate(letters)])
    differ = []
    for i, (c, base) in enumerate(letters.items()):
        fts5_folds = (i,) in con.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"q{base.lower()}q"',)).fetchall()
        if fts5_folds != (c in _DIACRITIC_FOLD):
            differ.append(c)
    assert not differ, f"folded by one of FTS5 and the table only: {''.join(differ)}"
    assert "é" in _DIACRITIC_FOLD and "й" not in _DIACRITIC_FOLD and "ά" not in _DIACRITIC_FOLD


def test_a_hyphenated_prefix_is_found_written_either_way(session):
    joined = Claim(text="The ferry guild wants a multi-polar timetable", norm_hash=0)
    plain = Claim(text="A multipolar timetable for the ferries", norm_hash=0)
    other = Claim(text="Polar routes close in winter", norm_hash=0)
    session.add_all([joined, plain, other])
    session.commit()
    for q in ("multipolar", "multi-polar", "Multi\u2010Polar", "multi-pol"):
        assert found(session, q) == {joined.id, plain.id}, q
    assert found(session, "polar") == {other.id}
    assert query_tokens("co-operation non-aligned") == ["cooperation", "nonaligned"]


def test_a_word_with_combining_marks_is_one_word(session):
    hindi = Claim(text="\u0915\u093f\u0938\u093e\u0928\u094b\u0902 \u0928\u0947 \u092e\u093e\u0930\u094d\u091a \u0915\u093f\u092f\u093e", norm_hash=0)
    session.add(hindi)
    session.commit()
    assert query_tokens("\u0915\u093f\u0938\u093e\u0928\u094b\u0902") == ["\u0915\u093f\u0938\u093e\u0928\u094b\u0902"]
    assert found(session, "\u0915\u093f\u0938\u093e\u0928\u094b\u0902") == {hindi.id}
    # a piece of the word cut at a vowel sign is only a prefix, never a word of its own
    assert found(session, "\u0928\u094b\u0902") == set()
