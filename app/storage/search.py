"""One search API for claims and articles whatever the engine: FTS5 on SQLite, a tsvector GIN index
on PostgreSQL.

Everything engine-specific about search lives here: the DDL of the index (used by the Alembic
migration and by the test fixtures), the objects schema comparison must ignore, and the WHERE clause.

The user's query is never passed through as query syntax: it is cut into word tokens (runs of letters
and digits) and rebuilt, so quotes, *, -, NEAR, parentheses or operators in the input are just
separators. All words must match (AND) and the last one matches as a prefix, so a search box that
filters as you type works ("fully implem" finds "fully implement").

Migrations: a batch-mode migration that rebuilds the `claims` or `articles` table on SQLite drops the
triggers that keep claims_fts / articles_fts in step; such a migration must install them again at
its end (search_index_ddl, article_index_ddl).
"""
from __future__ import annotations

import json
import re
import string
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import ColumnElement, String, and_, bindparam, func, literal_column, select, table, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

from app.pipeline.matching import idf
from app.pipeline.words import INDEX_WORD, join_prefixes, prefix_join_sql
from app.storage.engine import run_ddl
from app.storage.lookups import driver_rows, index_rows
from app.storage.models import Claim
from app.storage.postings import ranked_rows_many
from app.storage.term_counts import VocabSnapshot, pin_snapshot, snapshot

MAX_TOKENS = 16
MAX_TOKEN_CHARS = 100

FTS_TABLE = "claims_fts"
# How many claims hold each indexed word: lets matching ask the index only for telling words.
VOCAB_TABLE = "claims_fts_vocab"
# The FTS5 virtual tables and the shadow tables SQLite creates for them.
FTS_TABLES = frozenset({FTS_TABLE, VOCAB_TABLE} | {f"{FTS_TABLE}_{s}" for s in ("data", "idx", "docsize", "config")})
# PostgreSQL keeps each claim's tsvector in a generated column: ranking reads it instead of
# parsing every candidate's text again (12 ms a matching query at 100k claims, parsing).
PG_COLUMN = "text_tsv"
PG_INDEX = "ix_claims_tsv"
PG_OLD_INDEX = "ix_claims_text_tsv"   # the expression index of migration 0002, replaced by 0007

# The words both indexes hold: runs of letters, digits and combining marks (pipeline.words).
_WORD = INDEX_WORD
# FTS5's tokenizer: unicode61 cuts at every character outside `categories`; its default leaves the
# combining marks (M*) out and cut "हिन्दी" in five. Since 0030 they are word characters.
_TOKENIZER = {False: "tokenize='unicode61 remove_diacritics 2'",
              True: "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\""}

def _fts5_install(table: str, fts: str, columns: tuple[str, ...] = ("text",), joined: bool = True) -> tuple[str, ...]:
    """An FTS5 index over `table`'s `columns`, kept in step by triggers, filled with the rows
    already there. Before 0030 (`joined=False`) an external-content index (the text stored once,
    in `table`; FTS5's 'rebuild' refills it). From 0030 the index reads the texts with hyphenated
    prefixes joined (pipeline.words.prefix_join_sql), which FTS5 cannot do by itself, so it is
    contentless (content=''): the triggers hand it the joined texts, a delete the same ones, and
    fts5_fill_sql refills it ('rebuild' would read the raw texts, and a view as its content would
    stop SQLite from renaming the table, as batch migrations do). It keeps combining marks in words."""
    cols = ", ".join(columns)
    word = prefix_join_sql if joined else (lambda expr: expr)
    new = ", ".join(word(f"new.{c}") for c in columns)
    old = ", ".join(word(f"old.{c}") for c in columns)
    content = "" if joined else table
    fill = ((f"INSERT INTO {fts}({fts}) VALUES ('delete-all')", fts5_fill_sql(table, fts, columns)) if joined
            else (f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",))
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"{cols}, content='{content}', content_rowid='id', {_TOKENIZER[joined]})",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF id, {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ) + fill   # index whatever rows already exist (again, when the index was there)


def fts5_fill_sql(table: str, fts: str, columns: tuple[str, ...]) -> str:
    """Index every row of `table` in the (empty, contentless) FTS5 index `fts`, as the triggers do."""
    return (f"INSERT INTO {fts}(rowid, {', '.join(columns)}) SELECT id, "
            + ", ".join(prefix_join_sql(c) for c in columns) + f" FROM {table}")


#: The FTS5 indexes of the current schema: name -> (table, columns), for a bulk load refilling them.
FTS5_SOURCES = {"claims_fts": ("claims", ("text", "review_title")), "articles_fts": ("articles", ("text",))}


def _fts5_uninstall(fts: str) -> tuple[str, ...]:
    return (f"DROP TRIGGER IF EXISTS {fts}_ai", f"DROP TRIGGER IF EXISTS {fts}_ad",
            f"DROP TRIGGER IF EXISTS {fts}_au", f"DROP TABLE IF EXISTS {fts}")


SQLITE_VOCAB_DDL = f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'row')"
# A claim is found by its text and, for a known claim, by the headline of its fact-check
# (claims.review_title, migration 0014), which words the claim in other terms: on CheckThat! dev it
# lifted MAP@5 from 0.740 / 0.825 to ... (see bench/checkthat.py). Migrations before 0014 build the
# index of their time (with_title=False).
_CLAIM_COLUMNS = ("text", "review_title")
_SQLITE_UNINSTALL = (f"DROP TABLE IF EXISTS {VOCAB_TABLE}",) + _fts5_uninstall(FTS_TABLE)
_PG_TEXT = {False: "text", True: "text || ' ' || coalesce(review_title, '')"}

# Both engines must cut a text into the same words: the vocabulary they hold weighs every match
# (term_counts), and the words they hold decide what a search or a candidate query finds. FTS5's
# unicode61 cuts at every character that is not a letter or digit and folds Latin diacritics; PostgreSQL's
# parser also keeps compounds whole beside their parts ('open-berth', 'open', 'berth': the first
# part counted twice, a hyphenated word weighing less than on SQLite), reads '3.5', '-19', 'u.s',
# 'example.com', 'x@y.com', 'a/b' as single words (a search for "covid-19" or "3.5" found nothing),
# skips <tags>, and keeps 'café' apart from 'cafe'. So PostgreSQL indexes the text with punctuation
# read as spaces (translate: no locale involved) and diacritics folded (canonical decomposition,
# combining marks U+0300-U+036F dropped), as fold_diacritics does to query words. Besides ASCII's,
# the common typographic marks are listed: a database of another locale than C.UTF-8 may read a
# curly apostrophe or a dash as a letter ("don’t" one word), which FTS5 never does.
_PUNCTUATION = (string.punctuation + "\u00a0\u00ab\u00b7\u00bb\u2010\u2011\u2012\u2013\u2014\u2015"
                "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2022\u2026\u2032\u2033\u2039\u203a")


# FTS5's unicode61 folds the diacritics of Latin letters only: it keeps 'ά', 'ё' and 'й' as written
# (and these ten Latin letters, whose base is no plain letter or which carry two marks), while a
# combining mark U+0300-U+036F typed apart is dropped after any letter. Until 0033 the query words
# and PostgreSQL's index folded every precomposed letter, so on SQLite a search or a candidate query
# for a Greek or Cyrillic word with an accent, a 'ё' or a 'й' (Russian "который") found nothing,
# and on PostgreSQL it did. tests/test_storage_search.py checks this table against FTS5 itself.
# FTS5 folds the final sigma 'ς' into 'σ' as it lower-cases; the table does too (0033 on).
_FTS5_KEEPS = "\u01e0\u01e1\u01e2\u01e3\u01ee\u01ef\u01fc\u01fd\u01fe\u01ff"


def _diacritic_fold(latin_only: bool = True) -> dict[str, str]:
    """Each precomposed letter whose canonical decomposition is a letter and combining diacritics
    (U+0300-U+036F) only -> that letter: what decomposing and dropping those marks did to it
    ('é' -> 'e', 'ǖ' -> 'u'), without reordering or cutting anything else. None lies beyond U+3000.
    `latin_only` (0033 on): only where FTS5 folds too, Latin letters (and the angstrom sign), not
    the ten of _FTS5_KEEPS; without it, every such letter (0030-0032), Greek and Cyrillic too."""
    out = {}
    for i in range(0x3000):
        ch = chr(i)
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1 and not unicodedata.category(parts[0]).startswith("M") \
                and all("\u0300" <= m <= "\u036f" for m in parts[1:]):
            if latin_only and unicodedata.category(ch).startswith("L") and (
                    ch in _FTS5_KEEPS or not unicodedata.name(parts[0], "").startswith("LATIN")):
                continue
            out[ch] = parts[0]
    if latin_only:   # FTS5 also folds the Greek final sigma into the other (PostgreSQL's lower() does not)
        out["\u03c2"] = "\u03c3"
    return out


_DIACRITIC_FOLD = _diacritic_fold()
_DIACRITIC_TABLE = str.maketrans(_DIACRITIC_FOLD)


def _pg_words(source: str, joined: bool = True, latin_only: bool = True) -> str:
    """SQL: `source` as PostgreSQL must index it to hold FTS5's words (see above). `joined` (0030
    on): hyphenated prefixes joined (pipeline.words), and diacritics folded by a table of the
    precomposed letters (_DIACRITIC_FOLD) instead of a canonical decomposition, which reordered
    the marks of a Hebrew or Arabic letter (FTS5 keeps them as written) and cut Hangul syllables;
    `latin_only` (0033 on): of the Latin letters only, as FTS5 (see _FTS5_KEEPS)."""
    if not joined:
        punct = _PUNCTUATION.replace("'", "''")
        spaced = f"translate({source}, '{punct}', '{' ' * len(_PUNCTUATION)}')"
        return f"regexp_replace(normalize({spaced}, NFD), '[\\u0300-\\u036f]', '', 'g')"
    fold = _DIACRITIC_FOLD if latin_only else _diacritic_fold(latin_only=False)
    src = (_PUNCTUATION + "".join(fold)).replace("'", "''")
    dst = " " * len(_PUNCTUATION) + "".join(fold.values())
    spaced = f"translate({prefix_join_sql(source)}, '{src}', '{dst}')"
    return f"regexp_replace({spaced}, '[\\u0300-\\u036f]', '', 'g')"


def _pg_tsv(source: str, words_only: bool, joined: bool = True, latin_only: bool = True) -> str:
    """The tsvector of `source`; without `words_only` as the migrations before 0026 built it,
    without `joined` as those before 0030, without `latin_only` as those before 0033."""
    return f"to_tsvector('simple', {_pg_words(source, joined, latin_only) if words_only else source})"


_PG_UNINSTALL = (f"DROP INDEX IF EXISTS {PG_INDEX}", f"DROP INDEX IF EXISTS {PG_OLD_INDEX}",
                 f"ALTER TABLE claims DROP COLUMN IF EXISTS {PG_COLUMN}")


# No pending list: with GIN's default fastupdate, new rows' words wait in an unsorted list that every
# search reads through until a vacuum (or 4 MB of them) merges it. Ingest inserts claims and articles
# between its own searches, so its candidate queries read that list again and again: a store just
# copied into PostgreSQL had all 10,648 claims there, and a claim query took 12.8 ms against 0.44 ms
# once merged. Each insert now pays for its words' postings itself (migration 0028).
PG_GIN_OPTIONS = "WITH (fastupdate = off)"


def _claim_install(dialect_name: str, with_title: bool, words_only: bool, joined: bool,
                   latin_only: bool = True) -> tuple[str, ...]:
    if dialect_name == "sqlite":
        columns = _CLAIM_COLUMNS if with_title else ("text",)
        return _fts5_install("claims", FTS_TABLE, columns, joined) + (SQLITE_VOCAB_DDL,)
    if dialect_name == "postgresql":
        return (f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
                f"GENERATED ALWAYS AS ({_pg_tsv(_PG_TEXT[with_title], words_only, joined, latin_only)}) STORED",
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON claims USING gin ({PG_COLUMN}) {PG_GIN_OPTIONS}",
                f"DROP INDEX IF EXISTS {PG_OLD_INDEX}")
    return ()


# Articles are searched too: a claim first quoted today is matched back against the stored articles
# on its subject (app/domain/matching.py). Same engines, same tokenizer; the tsvector reads the first
# ARTICLE_TSV_CHARS characters only, since PostgreSQL refuses a tsvector over 1 MB (a 2 MB article
# of distinct words would fail to store) and matching reads at most MATCH_MAX_SENTENCES sentences.
ARTICLE_FTS = "articles_fts"
ARTICLE_FTS_TABLES = frozenset({ARTICLE_FTS} | {f"{ARTICLE_FTS}_{s}" for s in ("data", "idx", "docsize", "config")})
ARTICLE_PG_COLUMN = "text_tsv"
ARTICLE_PG_INDEX = "ix_articles_tsv"
ARTICLE_TSV_CHARS = 100_000

_SQLITE_ARTICLE_UNINSTALL = _fts5_uninstall(ARTICLE_FTS)


def _pg_article_install(words_only: bool, joined: bool, latin_only: bool = True) -> tuple[str, ...]:
    return (f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS {ARTICLE_PG_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({_pg_tsv(f'left(text, {ARTICLE_TSV_CHARS})', words_only, joined, latin_only)}) STORED",
            f"CREATE INDEX IF NOT EXISTS {ARTICLE_PG_INDEX} ON articles USING gin ({ARTICLE_PG_COLUMN}) "
            f"{PG_GIN_OPTIONS}")


_PG_ARTICLE_UNINSTALL = (f"DROP INDEX IF EXISTS {ARTICLE_PG_INDEX}",
                         f"ALTER TABLE articles DROP COLUMN IF EXISTS {ARTICLE_PG_COLUMN}")


def article_index_ddl(dialect_name: str, words_only: bool = True, joined: bool = True,
                      latin_only: bool = True) -> tuple[str, ...]:
    """Statements creating the article search index (idempotent; backfills existing rows);
    `words_only=False` is PostgreSQL's index before migration 0026, `joined=False` both engines'
    before 0030 (pipeline.words), `latin_only=False` PostgreSQL's before 0033, for the migrations
    that made them."""
    if dialect_name == "postgresql":
        return _pg_article_install(words_only, joined, latin_only)
    if dialect_name == "sqlite":
        return _fts5_install("articles", ARTICLE_FTS, joined=joined)
    return ()


def drop_article_index_ddl(dialect_name: str) -> tuple[str, ...]:
    return {"sqlite": _SQLITE_ARTICLE_UNINSTALL, "postgresql": _PG_ARTICLE_UNINSTALL}.get(dialect_name, ())


def search_index_ddl(dialect_name: str, with_title: bool = True, words_only: bool = True,
                     joined: bool = True, latin_only: bool = True) -> tuple[str, ...]:
    """Statements creating the claim search index (idempotent; backfills existing rows);
    `with_title=False` is the index before migration 0014, `words_only=False` PostgreSQL's before
    0026, `joined=False` both engines' before 0030, `latin_only=False` PostgreSQL's before 0033,
    for the migrations that made them."""
    return _claim_install(dialect_name, with_title, words_only, joined, latin_only)


def drop_gin_indexes_ddl() -> tuple[str, ...]:
    """PostgreSQL: drop the two GIN indexes only (their columns stay); search_index_ddl and
    article_index_ddl build them again, e.g. once after a bulk copy (storage.copy)."""
    return (f"DROP INDEX IF EXISTS {PG_INDEX}", f"DROP INDEX IF EXISTS {ARTICLE_PG_INDEX}")


def drop_search_index_ddl(dialect_name: str) -> tuple[str, ...]:
    return {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(dialect_name, ())


def install_search_index(bind) -> None:
    """Create the claim and article indexes for the engine or connection's dialect. Needed after
    `create_all`."""
    run_ddl(bind, search_index_ddl(bind.dialect.name) + article_index_ddl(bind.dialect.name))


def uninstall_search_index(bind) -> None:
    run_ddl(bind, drop_article_index_ddl(bind.dialect.name) + drop_search_index_ddl(bind.dialect.name))


def include_name(name, type_, parent_names) -> bool:
    """Alembic hook: schema comparison ignores the search index, which the models do not describe."""
    if type_ == "table" and name in FTS_TABLES | ARTICLE_FTS_TABLES:
        return False
    if type_ == "column" and name in (PG_COLUMN, ARTICLE_PG_COLUMN):
        return False
    if type_ == "index" and name in (PG_INDEX, PG_OLD_INDEX, ARTICLE_PG_INDEX):
        return False
    return True


_COMBINING = re.compile("[\u0300-\u036f]")


def fold_diacritics(text: str) -> str:
    """'café' -> 'cafe', as both indexes hold words (FTS5's remove_diacritics; _pg_words): the
    precomposed letters folded, the combining diacritics U+0300-U+036F dropped, every other mark
    left where it stands."""
    return _COMBINING.sub("", text.translate(_DIACRITIC_TABLE))


def query_tokens(q: str | None, typed: bool = True) -> list[str]:
    """The words of a user's query, lower-cased and without diacritics, as the indexes hold them:
    letters, digits and combining marks only, never query syntax; a hyphenated prefix joined
    ("multi-polar" and "multipolar" both ask for 'multipolar'). `typed`: compatibility forms
    (full-width letters) read as their plain letters, unless the query holds combining marks
    beyond the Latin diacritics: NFKC would put the marks of an Arabic or Hebrew letter in canonical
    order, and both indexes hold them as written (as typed, most likely). Words taken from stored
    text (index_word) are never normalized."""
    text = join_prefixes(q or "")
    if typed and not any(unicodedata.category(c)[0] == "M" and not "\u0300" <= c <= "\u036f" for c in text):
        text = unicodedata.normalize("NFKC", text)
    return [w[:MAX_TOKEN_CHARS].lower() for w in _WORD.findall(fold_diacritics(text))][:MAX_TOKENS]


def fts5_query(tokens: list[str]) -> str:
    """`"word" AND "prefix"*`: each token quoted, so FTS5 never reads it as syntax."""
    parts = [f'"{t}"' for t in tokens]
    parts[-1] += "*"
    return " AND ".join(parts)


def tsquery(tokens: list[str]) -> str:
    """`'word' & 'prefix':*` for to_tsquery: each token quoted, so it is never read as an operator."""
    parts = [f"'{t}'" for t in tokens]
    parts[-1] += ":*"
    return " & ".join(parts)


class _ClaimTextMatch(ColumnElement[bool]):
    """Rendered per dialect at compile time, so callers need not know the engine.

    The query words travel as bound values, one per engine's syntax, never in the SQL text: the
    statement is then compiled once per shape and taken from SQLAlchemy's cache afterwards (with
    the words rendered in, every search was compiled anew: ~5 ms of CPU each, two a search page).
    The cache key holds each bound value's key, not its value, and the number of words (the
    fallback renders one test a word)."""

    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: SQLite must not render it as `... = 1`
    inherit_cache = True
    _traverse_internals = [("fts", InternalTraversal.dp_clauseelement),
                           ("ts", InternalTraversal.dp_clauseelement),
                           ("like", InternalTraversal.dp_clauseelement_tuple)]

    def __init__(self, tokens: list[str]) -> None:
        self.fts = bindparam(None, fts5_query(tokens), type_=String)
        self.ts = bindparam(None, tsquery(tokens), type_=String)
        self.like = tuple(bindparam(None, f"%{t}%", type_=String) for t in tokens)


@compiles(_ClaimTextMatch, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    fts = table(FTS_TABLE)
    match = literal_column(FTS_TABLE).op("MATCH")(element.fts)
    rows = select(literal_column("rowid")).select_from(fts).where(match)
    return compiler.process(Claim.id.in_(rows), **kw)


@compiles(_ClaimTextMatch, "postgresql")
def _compile_postgresql(element, compiler, **kw):
    simple = literal_column("'simple'")
    expr = literal_column(f"{Claim.__tablename__}.{PG_COLUMN}").op("@@")(func.to_tsquery(simple, element.ts))
    return compiler.process(expr, **kw)


@compiles(_ClaimTextMatch)
def _compile_other(element, compiler, **kw):
    """No index elsewhere: the same words, as substrings."""
    return compiler.process(and_(*(Claim.text.ilike(like) for like in element.like)), **kw)


def claim_text_matches(q: str) -> ColumnElement[bool]:
    """Every word of the query appears in the claim text (the last as a prefix), case-insensitively.

    A query without any word (only punctuation) does not filter."""
    tokens = query_tokens(q)
    if not tokens:
        return true()
    return _ClaimTextMatch(tokens)


@lru_cache(maxsize=64)
def _ranked_sql(dialect: str, terms: int, claims: bool) -> str:
    """Rows holding any of `terms` query words, ranked by the summed weight of the words each holds.

    Not the index's own ranking (bm25 / ts_rank): that scores every row an OR query reaches from
    its stored positions and lengths, most of a candidate query's time (SQLite 1.2 against 0.7 ms,
    PostgreSQL 8.4 against 3.1 ms at 100,000 claims) for no better candidates. The scorer re-ranks
    them anyway, and the summed idf found the source of 595 of 667 synthetic paraphrases in its
    top 12 against bm25's 603. Parameters: :q0.. the words as prefix queries, :w0.. their weights,
    :all (PostgreSQL) the words OR-ed. Claims: merged ones are left out after the ranking, and the
    text, headline and kept stems come with the id; articles: ids only, :exclude left out."""
    fts, table, column = (FTS_TABLE, "claims", PG_COLUMN) if claims else (ARTICLE_FTS, "articles", ARTICLE_PG_COLUMN)
    if dialect == "postgresql" and claims:
        # One bitmap scan of the GIN index for all the words, then each row's own tsvector tested
        # a word at a time (cheap beside ts_rank). A UNION of scans a word was planned in parallel
        # at 100k claims, and starting the workers cost 10 ms.
        score = " + ".join(f"CASE WHEN {column} @@ to_tsquery('simple', :q{i}) "
                           f"THEN CAST(:w{i} AS float8) ELSE 0 END" for i in range(terms))
        ranked = f"SELECT id, {score} AS s FROM {table} WHERE {column} @@ to_tsquery('simple', :all)"
    else:
        # One index scan a word, summed by id: FTS5, and PostgreSQL's articles, whose big tsvector
        # (stored out of line) would be read back a dozen times if tested a word at a time.
        # A row's weights are summed term by term, as every other ranking here sums them: in
        # floats a+b+c and a+c+b may differ in the last bit, and PostgreSQL's aggregate takes a
        # group's rows in whatever order its plan yields them, so two rows holding the same words
        # tied or not from one plan to the next (and `claimtracker ingest --workers 2` read a
        # list other than one process's). SQLite (3.40 has no ordered aggregate) yields a group's
        # rows in the UNION's order.
        if dialect == "sqlite":
            word = f"SELECT rowid AS id, :w{{i}} AS w FROM {fts} WHERE {fts} MATCH :q{{i}}"
            total = "sum(w)"
        elif dialect == "postgresql":
            word = (f"SELECT id, {{i}} AS k, CAST(:w{{i}} AS float8) AS w FROM {table} "
                    f"WHERE {column} @@ to_tsquery('simple', :q{{i}})")
            total = "sum(w ORDER BY k)"
        else:
            raise NotImplementedError(f"no search index for {dialect}")
        union = " UNION ALL ".join(word.format(i=i) for i in range(terms))
        ranked = f"SELECT id, {total} AS s FROM ({union}) AS hits GROUP BY id"
    if not claims:
        return f"SELECT id, s FROM ({ranked}) AS r WHERE id != :exclude ORDER BY s DESC, id LIMIT :n"
    # The liveness test stays outside the ranked subquery: inside it, the planners may walk the
    # merged_into_id index over every live claim (measured 1.3 s a query at 100k on PostgreSQL).
    return (f"SELECT c.id, c.text, c.review_title, c.stems, hit.s FROM ({ranked} ORDER BY s DESC, id LIMIT :n) AS hit "
            "JOIN claims AS c ON c.id = hit.id WHERE c.merged_into_id IS NULL ORDER BY hit.s DESC, c.id")


def _snapshot(session) -> VocabSnapshot:
    return snapshot(session, "claims", VOCAB_TABLE, PG_COLUMN)


def claims_vocabulary(session) -> VocabSnapshot:
    """The claims' vocabulary this process ranks and weighs with now (see term_counts)."""
    return _snapshot(session)


def pin_claims_vocabulary(snap: VocabSnapshot | None) -> None:
    """Rank and weigh with `snap` in this process from now on (a worker, with its parent's)."""
    pin_snapshot("claims", snap)


def _folded(text: str) -> str:
    """Lower-cased and without diacritics, as both indexes compare words (FTS5's unicode61 with
    remove_diacritics; PostgreSQL's 'simple' configuration only lower-cases: folding more is safe)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class NewRows:
    """Rows (claims: text and headline; articles: text) stored after a candidate query was
    answered, to tell whether one of them would be on its list now (see CANDIDATE_BARS). Each
    row's words are folded and cut at every character that is not a letter or digit, as finely as
    either index cuts them or more, so "holds a term as a word prefix" and the summed weight are
    upper bounds of the index's own: a row that might enter is always reported."""

    def __init__(self, rows):
        self.rows_of: dict[str, list[int]] = {}
        for i, texts in enumerate(rows):
            for word in set().union(*(_index_words(t) for t in texts if t)):
                self.rows_of.setdefault(word, []).append(i)
        self.words = sorted(self.rows_of)

    def may_enter(self, session, terms, bar: float) -> bool:
        words, held = self.words, {}
        if not words:
            return False
        for term in terms:
            prefix = _folded_term(term)
            i = bisect_left(words, prefix)
            while i < len(words) and words[i].startswith(prefix):
                for row in self.rows_of[words[i]]:
                    held.setdefault(row, set()).add(term)
                i += 1
        if not held:
            return False
        weights = term_weight_table(session, terms)       # as _ranked_params weighs them
        return any(sum(weights[t] for t in row_terms) >= bar - 1e-9 for row_terms in held.values())


@lru_cache(maxsize=65536)
def _folded_term(term: str) -> str:
    return _folded(term)


@lru_cache(maxsize=256)
def _index_words(text: str) -> frozenset[str]:
    """Pure, so cached: the articles of a batch are looked at again for each article after them."""
    words = _WORD.findall(_folded(text))
    joined = join_prefixes(text)
    if joined != text:   # the index holds "multipolar"; "multi" and "polar" are kept too (finer)
        words += _WORD.findall(_folded(joined))
    return frozenset(words)


def term_weights(session, prefixes) -> dict[str, float]:
    """How telling each prefix is among the stored claims (pipeline.matching.idf of its count)."""
    return _snapshot(session).weights(prefixes, index_word, idf)


def term_weight_table(session, prefixes) -> Mapping[str, float]:
    """term_weights for a scoring loop: a read-only mapping holding at least `prefixes` (see
    VocabSnapshot.weight_table), not a dict built for them."""
    return _snapshot(session).weight_table(prefixes, index_word, idf)


@lru_cache(maxsize=65536)
def index_word(prefix: str) -> str:
    """The index word that stands for a matcher's stem, as a prefix: the stem itself folded, or
    for a stem the indexes cut at its apostrophes (the matcher keeps "o'rourke" one word, both
    indexes hold 'o' and 'rourke') its longest part, the first of equals. Rows holding the stem
    hold that part too, so its count stays an upper bound; the first part ('o', counted in almost
    every claim) weighed a rare name at the floor and sent a query that reached every row."""
    tokens = query_tokens(prefix, typed=False)
    return max(tokens, key=len) if tokens else ""


def _telling_terms(session, terms: list[str], budget: int, most: int) -> list[str]:
    """The rarest terms among the claims first, while the claims they reach stay within `budget`
    rows to rank (the index ranks every row an OR query reaches, so a common word would cost a
    scan). A word seen in no claim yet may be in one now (counts are a snapshot): it is kept, last."""
    vocab = _snapshot(session)
    counts = vocab.counts(terms, index_word)
    chosen, reach = [], 0
    for term in sorted(terms, key=lambda t: (counts.get(t) or budget, t)):
        if len(chosen) >= most or (len(chosen) >= 2 and reach + (counts.get(term) or 0) > budget):
            break
        chosen.append(term)
        reach += counts.get(term) or 0
    return chosen


def _ranked_params(session, dialect: str, terms: list[str]) -> dict:
    """:q0.. (each word as a prefix query), :w0.. (its idf among the claims) and :all for _ranked_sql."""
    weights = term_weight_table(session, terms)
    params = {}
    for i, t in enumerate(terms):
        params[f"q{i}"] = f'"{t}"*' if dialect == "sqlite" else f"'{t}':*"
        params[f"w{i}"] = weights[t]
    if dialect == "postgresql":
        params["all"] = " | ".join(params[f"q{i}"] for i in range(len(terms)))
    return params


def _clean_terms(terms: list[str]) -> list[str]:
    """Stems reduced to letters and digits, so nothing in an article can be read as query syntax."""
    return list(dict.fromkeys(w for w in map(index_word, terms) if w))


def article_candidates(session, terms: list[str], limit: int, exclude: int = 0, budget: int = 800,
                       most: int = 8) -> list[int]:
    """Ids of stored articles holding any of the terms as a word prefix, best ranked first. The
    terms sent are the rarest among the claims (claims are made of articles' words, so their rarity
    stands for the articles' too, and no vocabulary of every article is kept)."""
    clean = _clean_terms(terms)
    if not clean:
        return []
    clean = _telling_terms(session, clean, budget, most)
    dialect = session.get_bind().dialect.name
    params = _ranked_params(session, dialect, clean) | {"n": limit, "exclude": exclude}
    rows = index_rows(session, _ranked_sql(dialect, len(clean), False), params)
    bars = session.info.get(ARTICLE_BARS)
    if bars is not None:
        bars.append((tuple(clean), rows[-1][-1] if len(rows) >= limit else 0.0))
    return [row[0] for row in rows]


def claim_candidates(session, terms: list[str], limit: int, budget: int = 800,
                     most: int = 12) -> list[tuple[int, str, str | None, str | None]]:
    """(id, text, review_title, stems) of live claims sharing any of the terms as a word prefix (in
    their text or their fact-check headline), best ranked first. `stems` is the claim's kept
    stems as stored (claims.stems), which scoring reads instead of cutting its text again
    (pipeline.matching.claim_stems).

    Terms are stems from app.pipeline.matching; they are reduced to letters and digits here so
    nothing in an article can be read as query syntax. Only the rarest terms are sent (see
    _telling_terms), so the ranking never walks the postings of a common word."""
    return claim_candidates_many(session, [terms], limit, budget, most)[0]


def claim_candidates_many(session, term_lists: list[list[str]], limit: int, budget: int = 800,
                          most: int = 12) -> list[list[tuple[int, str, str | None, str | None]]]:
    """claim_candidates for each of `term_lists` (the windows of an article): on SQLite ranked
    together from the kept postings (postings.ranked_rows_many) and their claims read in one
    statement, which cost as much as the ranking itself a window at a time; on PostgreSQL a query
    each. The same lists either way."""
    cleans = [claim_search_terms(session, terms, budget, most) for terms in term_lists]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        ranked = _kept_rankings(session, cleans, limit)
    else:
        ranked = [_index_ranking(session, dialect, clean, limit) if clean else [] for clean in cleans]
    bars = session.info.get(CANDIDATE_BARS)
    out = []
    for clean, rows in zip(cleans, ranked):
        if bars is not None:     # one a list, in order ((), 0.0: no word to send, no claim may enter)
            bars.append((tuple(clean), rows[-1][-1] if len(rows) >= limit else 0.0))
        out.append([(cid, text, title, kept) for cid, text, title, kept, _ in rows])
    return out


def _index_ranking(session, dialect: str, clean: list[str], limit: int) -> list[tuple]:
    """_ranked_sql(claims)'s rows asked of the index itself (PostgreSQL)."""
    params = _ranked_params(session, dialect, clean) | {"n": limit}
    sql = _ranked_sql(dialect, len(clean), True)
    rows = _pruned(session, sql, params, clean, limit) if dialect == "postgresql" else None
    return index_rows(session, sql, params) if rows is None else rows


def _kept_rankings(session, cleans: list[list[str]], limit: int) -> list[list[tuple]]:
    """What _ranked_sql(claims) answers on SQLite for each list of words, ranked from the postings
    this process keeps (storage.postings): the best `limit` claims, then the merged ones among
    them left out."""
    vocab = _snapshot(session)
    words = set().union(*cleans)
    weights, counts = term_weight_table(session, words), vocab.counts(words, index_word)
    ranked = ranked_rows_many(session, [(clean, [weights[t] for t in clean], sum(counts.get(t) or 0 for t in clean))
                                        for clean in cleans], limit, _folded_term)
    ids = sorted({cid for rows in ranked for cid, _ in rows})
    if not ids:
        return [[] for _ in cleans]
    live = {cid: (text, title, kept) for cid, text, title, kept in driver_rows(
        session, _LIVE_SQL, {"ids": json.dumps(ids)})}
    return [[(cid, *live[cid], s) for cid, s in rows if cid in live] for rows in ranked]


# The live claims among ids given as one JSON array: one statement whatever their number.
_LIVE_SQL = ("SELECT id, text, review_title, stems FROM claims WHERE id IN (SELECT value FROM json_each(:ids)) "
             "AND merged_into_id IS NULL")


# session.info key: a list that claim_candidates appends (terms sent, bar) to for each query, the
# bar being the rank score of the last of `limit` rows (0.0 when fewer came back): a claim stored
# since enters that list only if it holds one of the terms and its summed weights reach the bar
# (ties go to the older claim, ranked first by id). See NewClaims.
CANDIDATE_BARS = "candidate_bars"
ARTICLE_BARS = "article_bars"     # the same for article_candidates (articles stored since: NewRows)


def claim_search_terms(session, terms: list[str], budget: int = 800, most: int = 12) -> list[str]:
    """The index words claim_candidates sends for `terms`."""
    clean = _clean_terms(terms)
    return _telling_terms(session, clean, budget, most) if clean else []


def _pruned(session, sql: str, params: dict, terms: list[str], limit: int) -> list[tuple] | None:
    """The same top `limit` rows as `sql` itself, reaching far fewer (PostgreSQL), or None when
    that cannot be shown and the full query must run.

    Max-score pruning: ask the GIN index for the rows holding the rarest words only, every row
    still scored on all the words. If `limit` live rows come back, the last one's score is a bar:
    a row holding none of those rare words scores at most the summed weight of the others, and
    when that sum is below the bar no such row can enter the top `limit` (strictly below: no tie
    either). The common words' postings, most of the rows the full query reads, are never read."""
    counts = _snapshot(session).counts(terms, index_word)
    order = sorted(range(len(terms)), key=lambda i: (-params[f"w{i}"], i))
    first, reach = [], 0
    for i in order[:-1]:
        if first and reach + counts[terms[i]] > _PRUNE_ROWS:
            break
        first.append(i)
        reach += counts[terms[i]]
    if not first or reach < limit:
        return None
    rows = index_rows(session, sql, params | {"all": _any_of(params, first)})
    if len(rows) < limit:
        return None  # too few reached (or some were merged away): no bar to prune by
    bar = rows[-1][-1] - 1e-9
    # The commonest words whose weights sum below the bar need not be asked for; the rest must.
    needed, rest = list(order), 0.0
    while needed and rest + params[f"w{needed[-1]}"] < bar:
        rest += params[f"w{needed.pop()}"]
    if set(needed) <= set(first):
        return rows
    return index_rows(session, sql, params | {"all": _any_of(params, needed)})


def _any_of(params: dict, which: list[int]) -> str:
    return " | ".join(params[f"q{i}"] for i in which)


# Rows the first, pruned query may reach at most (its rarest words' claims, by the snapshot).
_PRUNE_ROWS = 200


def claim_text_hits(q: str):
    """SQLite: the ids (column `id`) of the claims whose text matches `q` as claim_text_matches
    reads it, as a subquery the database can stream from the index and stop early (a count up to
    a cap joins it to the claims); an IN list would first gather every match. None for a query
    without words."""
    tokens = query_tokens(q)
    if not tokens:
        return None
    match = literal_column(FTS_TABLE).op("MATCH")(bindparam(None, fts5_query(tokens), type_=String))
    return select(literal_column("rowid").label("id")).select_from(table(FTS_TABLE)).where(match).subquery()
