"""Bulk load: articles whose quotes, claims and mentions were already found elsewhere (an archive
linked by another system, an export, the scale benchmark's synthetic store) written in big batches.

Why not ingest: ingest finds the quotes and links them, one article and one commit at a time (a few
articles a second on a big store). Here the linking is given, so only the rows are written, a few
thousand at a statement. Every row ingest derives is derived here by the same functions, so the app
serves the result as if it had ingested it: the claim's norm_hash and shingles
(linking.text_hashes), each mention's excerpt and fidelity (pipeline.claims.fidelity), the article's
passage_shingles (passages.passage_rows), outlets and speakers with their slugs and aliases
(people.get_or_create_*), claims.outlet_count (linking.refresh_outlet_counts), one `article.ingest`
event an article, and the full-text index, which the engine keeps by itself (FTS5 triggers, a
generated tsvector: see storage/search.py). Claim vectors are not made: `claimtracker embed` does.

The input is JSON lines (see bench/README or `claimtracker bulk-load --help`):
    {"type": "claim", "key": "c1", "text": "...", "speaker": "Ana Pires", "status": "unreviewed"}
    {"type": "article", "outlet": "...", "text": "...", "title": ..., "published": "2024-05-02",
     "quotes": [{"start": 10, "end": 80, "speaker": "Ana Pires", "cue": "said", "kind": "direct"}],
     "mentions": [{"claim": "c1", "start": 10, "end": 80, "quote": 0, "stance": "repeats"}]}
A claim is defined before the first article mentioning it and is stored when an added article
first mentions it, so loading a file twice adds nothing (stored texts are "present", as in ingest).
A bad line is reported with its number and skipped; the load goes on. Each batch is one commit.

Speed (1M claims in about 11 minutes of CPU): rows go in as plain executemany; into an empty store
the secondary indexes (and on SQLite the full-text indexes) are built once at the end, and the
claims' derived counts are refreshed once at the end through the shared refresh, also when a
batch fails; SQLite runs the load without fsync and with its journal in memory (BulkLoader.start).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.domain.articles import content_hash
from app.domain.errors import DomainError, InvalidInput
from app.domain.inputs import check_storable
from app.domain.linking import refresh_outlet_counts, text_hashes
from app.domain.matching import window_stems_text
from app.domain.passages import passage_rows
from app.domain.people import get_or_create_outlet, get_or_create_speaker
from app.pipeline.claims import fidelity
from app.pipeline.documents import DocumentError, clean_field, first_line_title, parse_published
from app.pipeline.matching import kept_claim_stems
from app.storage.models import Article, Claim, ClaimShingle, Event, Mention, PassageShingle, Quote
from app.storage.search import FTS5_SOURCES, fts5_fill_sql
from app.vocab import ORIGINS, QUOTE_KINDS, STANCES, STATUSES

DEFAULT_BATCH = 500          # articles a commit
_CHUNK = 1000                # ids in one IN list
# Tables whose secondary indexes a load into an empty store builds once at its end (a B-tree
# built from sorted rows, not grown by millions of random inserts). Unique ones stay: they are
# constraints, and the content hash is what the load itself reads.
_DEFERRED_TABLES = ("articles", "quotes", "claims", "claim_shingles", "mentions", "passage_shingles")
# SQLite settings for the load's connection, set back when it ends: no fsync per commit, the
# rollback journal in memory instead of the WAL (every page would be written twice), a 1 GB page
# cache (the unique indexes of 60M-row tables are inserted into at random) and sorts in memory.
# A crash of the program rolls a batch back as usual; a crash of the machine may corrupt the file,
# which a load into a new file can afford and a copy of a live store should weigh.
_SQLITE_LOAD_PRAGMAS = {"synchronous": "OFF", "cache_size": "-1048576", "temp_store": "MEMORY"}


@dataclass
class LoadReport:
    added: int = 0
    present: int = 0
    claims: int = 0
    quotes: int = 0
    mentions: int = 0
    errors: list[str] = field(default_factory=list)   # "line N: why", one a skipped line

    def summary(self) -> str:
        return (f"{self.added} articles added, {self.present} already present, {len(self.errors)} lines "
                f"failed; {self.claims} claims, {self.quotes} quotes, {self.mentions} mentions")


@dataclass
class _ClaimDef:
    text: str
    speaker: str | None
    status: str
    status_reason: str | None


@dataclass
class _Article:
    line: int
    row: dict                       # the articles row, less outlet_id
    outlet: str
    quotes: list[dict]              # quotes rows, less article_id and speaker_id
    mentions: list[dict]            # {claim, start, end, quote, stance, origin, score, confirmed_by}
    new_claims: int = 0             # claims this article is the first to mention (for its event)


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict | str]]:
    """(line number, record) for each non-blank line; the record is an error message when the
    line is not a JSON object."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield n, f"not JSON: {exc}"
                continue
            yield n, record if isinstance(record, dict) else "not a JSON object"


class BulkLoader:
    """Feed it records in file order (add), then finish; it writes a batch whenever one is full."""

    def __init__(self, session: Session, actor: str, batch: int = DEFAULT_BATCH,
                 progress: Callable[[LoadReport], None] | None = None) -> None:
        self.session, self.actor, self.batch, self.progress = session, actor, batch, progress
        self.report = LoadReport()
        self.defs: dict[str, _ClaimDef] = {}
        self.claim_ids: dict[str, int] = {}
        self.outlets: dict[str, int] = {}
        self.speakers: dict[str, int | None] = {}
        self.hashes: set[str] = set()
        self.pending: list[_Article] = []
        self.started = False
        self.saved_pragmas: dict[str, str] = {}
        self.deferred: list[str] = []          # statements to run when the load ends (indexes, FTS)

    def add(self, line: int, record: dict | str) -> None:
        try:
            if isinstance(record, str):
                raise InvalidInput(record)
            kind = record.get("type")
            if kind == "claim":
                self._define_claim(record)
            elif kind == "article":
                self.pending.append(self._article(line, record))
            else:
                raise InvalidInput('"type" must be "claim" or "article"')
        except (DomainError, DocumentError) as exc:
            self.report.errors.append(f"line {line}: {getattr(exc, 'message', None) or exc}")
            return
        if len(self.pending) >= self.batch:
            self.flush()

    def finish(self) -> LoadReport:
        self.flush()
        self.end()
        return self.report

    # --- around the load ----------------------------------------------------------------------

    def start(self) -> None:
        """Before the first batch: the load's SQLite settings and, into an empty store, drop the
        secondary indexes (rebuilt by `end`)."""
        self.started = True
        s = self.session
        if s.get_bind().dialect.name == "sqlite":
            s.commit()      # journal_mode cannot change inside a transaction
            conn = s.connection()
            for name, value in _SQLITE_LOAD_PRAGMAS.items():
                self.saved_pragmas[name] = str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())
                conn.exec_driver_sql(f"PRAGMA {name}={value}")
            journal = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
            try:
                conn.exec_driver_sql("PRAGMA journal_mode=MEMORY")
                self.saved_pragmas["journal_mode"] = journal
            except OperationalError:
                pass        # another connection has the file open (a server): the load stays in WAL
        if s.scalar(select(func.count()).select_from(select(Article.id).limit(1).subquery())) == 0:
            self.deferred = _drop_secondary_indexes(s)
            if s.get_bind().dialect.name == "sqlite":
                self.deferred += _drop_fts_insert_triggers(s)
            s.commit()

    def _reapply_pragmas(self) -> None:
        """Per-connection settings again at a batch's start: after a commit the session may be
        handed another pooled connection."""
        if self.saved_pragmas:
            conn = self.session.connection()
            for name, value in _SQLITE_LOAD_PRAGMAS.items():
                conn.exec_driver_sql(f"PRAGMA {name}={value}")

    def end(self) -> None:
        """After the last batch (or a failed one, rolled back): the deferred indexes, every loaded
        claim's derived counts through the function ingest uses (linking.refresh_outlet_counts),
        and the connection's own settings."""
        if not self.started:
            return
        self.started = False
        s = self.session
        for ddl in self.deferred:
            s.execute(text(ddl))
        self.deferred = []
        ids = sorted(self.claim_ids.values())
        for at in range(0, len(ids), _CHUNK):
            refresh_outlet_counts(s, ids[at:at + _CHUNK])
        s.commit()
        if self.saved_pragmas:
            conn = s.connection()
            for name, value in self.saved_pragmas.items():
                conn.exec_driver_sql(f"PRAGMA {name}={value}")
            s.commit()

    # --- reading a record ---------------------------------------------------------------------

    def _define_claim(self, r: dict) -> None:
        key, text = _key(r.get("key")), _text(r, "text", required=True)
        if key in self.defs:
            raise InvalidInput(f"claim {key!r} is defined twice")
        status = r.get("status") or "unreviewed"
        if status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
        self.defs[key] = _ClaimDef(text.strip(), _text(r, "speaker"), status, _text(r, "status_reason"))

    def _article(self, line: int, r: dict) -> _Article:
        text = _text(r, "text", required=True)
        if not text.strip():
            raise InvalidInput("empty text")
        outlet = " ".join((_text(r, "outlet") or "").split())
        if not outlet or len(outlet) > 200:
            raise InvalidInput("outlet is required, at most 200 characters")
        published, published_at = parse_published(_text(r, "published"))
        row = {"text": text, "content_hash": content_hash(text), "published": published,
               "published_at": published_at,
               "title": clean_field(_text(r, "title"), 1000) or first_line_title(text) or "(untitled)",
               "author": clean_field(_text(r, "author"), 300), "url": clean_field(_text(r, "url"), 2000),
               "source_name": clean_field(_text(r, "source_name"), 500), "window_stems": window_stems_text(text)}
        quotes = [_quote(text, q, i) for i, q in enumerate(_list(r, "quotes"))]
        mentions, seen = [], set()
        for i, m in enumerate(_list(r, "mentions")):
            mention = _mention(text, m, i, quotes)
            if mention["claim"] not in self.defs:
                raise InvalidInput(f"mention {i}: claim {mention['claim']!r} is not defined on an earlier line")
            span = (mention["claim"], mention["start"], mention["end"])
            if span in seen:
                raise InvalidInput(f"mention {i}: the same claim at the same span twice")
            seen.add(span)
            mentions.append(mention)
        return _Article(line, row, outlet, quotes, mentions)

    # --- writing a batch ----------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        if not self.started:
            self.start()
        else:
            self._reapply_pragmas()
        s = self.session
        stored = set()
        hashes = [a.row["content_hash"] for a in batch]
        for at in range(0, len(hashes), _CHUNK):
            stored.update(s.scalars(select(Article.content_hash).where(
                Article.content_hash.in_(hashes[at:at + _CHUNK]))))
        fresh = []
        for a in batch:
            if a.row["content_hash"] in stored or a.row["content_hash"] in self.hashes:
                self.report.present += 1
            else:
                self.hashes.add(a.row["content_hash"])
                fresh.append(a)
        if fresh:
            self._write(fresh)
        s.commit()
        if self.progress:
            self.progress(self.report)

    def _write(self, batch: list[_Article]) -> None:
        s = self.session
        firsts: set[str] = set()
        for a in batch:
            a.row["outlet_id"] = self._outlet(a.outlet)
            for q in a.quotes:     # as written, before the claims' names: the aliases ingest records
                q["speaker_id"] = self._speaker(q["speaker_name"])
            # Not `set - self.claim_ids.keys()`: that walks every key stored so far, once an
            # article (at 1M claims it was four fifths of the load's time).
            new = {k for m in a.mentions if (k := m["claim"]) not in firsts and k not in self.claim_ids}
            a.new_claims = len(new)
            firsts |= new
        self._store_claims({m["claim"] for a in batch for m in a.mentions})
        ids = _insert(s, Article, [a.row for a in batch])
        quote_rows = []
        for a, article_id in zip(batch, ids):
            for q in a.quotes:
                quote_rows.append({**q, "article_id": article_id})
        quote_ids = iter(_insert(s, Quote, quote_rows))
        mentions, passages, events = [], [], []
        for a, article_id in zip(batch, ids):
            qids = [next(quote_ids) for _ in a.quotes]
            rows = self._mention_rows(a, article_id, qids)
            mentions += rows
            spans = [(m["start"], m["end"]) for m in rows]
            passages += [(h, article_id, st, en) for h, (st, en) in passage_rows(a.row["text"], spans).items()]
            events.append(self._event(a, article_id, rows))
        _insert(s, Mention, mentions, returning=False)
        _insert_plain(s, PassageShingle, ("hash", "article_id", "start", "end"), passages)
        _insert(s, Event, events, returning=False)
        self.report.added += len(batch)
        self.report.quotes += len(quote_rows)
        self.report.mentions += len(mentions)

    def _mention_rows(self, a: _Article, article_id: int, qids: list[int]) -> list[dict]:
        text, rows = a.row["text"], []
        for m in a.mentions:
            claim_id, claim_text = self.claim_ids[m["claim"]], self.defs[m["claim"]].text
            excerpt = text[m["start"]:m["end"]]
            q = m["quote"]
            quoted = q is not None and a.quotes[q]["kind"] != "reported"
            rows.append({"claim_id": claim_id, "article_id": article_id, "start": m["start"], "end": m["end"],
                         "quote_id": qids[q] if q is not None else None, "excerpt": excerpt,
                         "stance": m["stance"], "origin": m["origin"], "score": m["score"],
                         "confirmed_by": m["confirmed_by"],
                         "fidelity": fidelity(claim_text, excerpt, quoted=quoted)})
        return rows

    def _event(self, a: _Article, article_id: int, rows: list[dict]) -> dict:
        counts = {"quotes": len(a.quotes), "new_claims": a.new_claims,
                  "mentions": sum(m["origin"] != "suggested" for m in rows),
                  "suggestions": sum(m["origin"] == "suggested" for m in rows)}
        return {"actor": self.actor, "action": "article.ingest", "entity": "article", "entity_id": article_id,
                "after": {"title": a.row["title"], "outlet": a.outlet, "loaded": "bulk", **counts}}

    def _store_claims(self, keys: set[str]) -> None:
        """Store the claims first mentioned in this batch, with their shingles."""
        new = sorted(k for k in keys if k not in self.claim_ids)
        rows, runs = [], []
        for k in new:
            d = self.defs[k]
            norm, hashes = text_hashes(d.text)
            runs.append(hashes)
            rows.append({"text": d.text, "norm_hash": norm, "speaker_id": self._speaker(d.speaker),
                         "status": d.status, "status_reason": d.status_reason, "stems": kept_claim_stems(d.text)})
        shingles = []
        for k, hashes, claim_id in zip(new, runs, _insert(self.session, Claim, rows)):
            self.claim_ids[k] = claim_id
            shingles += [(h, claim_id) for h in hashes]
        _insert_plain(self.session, ClaimShingle, ("hash", "claim_id"), shingles)
        self.report.claims += len(new)

    def _outlet(self, name: str) -> int:
        if name not in self.outlets:
            self.outlets[name] = get_or_create_outlet(self.session, name).id
        return self.outlets[name]

    def _speaker(self, name: str | None) -> int | None:
        if not name:
            return None
        if name not in self.speakers:
            speaker = get_or_create_speaker(self.session, name)
            self.speakers[name] = speaker.id if speaker else None
        return self.speakers[name]


def load_records(session: Session, records: Iterable[tuple[int, dict | str]], actor: str,
                 batch: int = DEFAULT_BATCH, progress: Callable[[LoadReport], None] | None = None) -> LoadReport:
    loader = BulkLoader(session, actor, batch, progress)
    try:
        for line, record in records:
            loader.add(line, record)
        return loader.finish()
    except BaseException:
        session.rollback()      # the failed batch; the committed ones get their indexes and counts
        loader.end()
        raise


def _insert_plain(session: Session, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert tuples straight through the driver's executemany: for the millions of shingle rows,
    whose columns are plain integers with no default to fill (SQLAlchemy's per-row parameter
    handling cost more than SQLite's insert)."""
    if not rows:
        return
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(model.__tablename__)} ({', '.join(map(quote, columns))}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, rows)


def _drop_fts_insert_triggers(session: Session) -> list[str]:
    """SQLite: drop the triggers that copy each new row of a loaded table into its FTS5 index;
    return the statements that put them back and refill each index from its table (FTS5's
    'rebuild', which reads the whole table: 2.4x less CPU than 30,000 articles one trigger at a
    time, measured). Only into an empty store, where the index holds nothing but what is loaded."""
    conn = session.connection()
    ddl = []
    for fts, create in conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5(%'")).all():
        table = next((t for t in _DEFERRED_TABLES if f"content='{t}'" in create), None)
        refill = f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"
        if table is None and "content=''" in create and fts in FTS5_SOURCES:
            # contentless (migration 0030): refilled as its triggers fill it
            table, columns = FTS5_SOURCES[fts]
            refill = fts5_fill_sql(table, fts, columns)
        if table is None or table not in _DEFERRED_TABLES:
            continue
        triggers = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t "
            "AND upper(sql) LIKE '%AFTER INSERT ON%' AND sql LIKE :target"),
            {"t": table, "target": f"%INSERT INTO {fts}(%"}).all()
        for name, sql in triggers:
            conn.execute(text(f'DROP TRIGGER "{name}"'))
            ddl.append(sql)
        if triggers:
            # then merged into one segment: a refill leaves the index in the many segments FTS5
            # wrote as it went, and each query reads every one of them. At 1,000,000 claims a word's
            # postings read as a prefix (what an ingest's candidate search asks) took 153 us before,
            # 87 us after; the merge took 1.2 s for the claims, 4.3 s for 100,000 articles.
            ddl += [refill, f"INSERT INTO {fts}({fts}) VALUES ('optimize')"]
    return ddl


def _drop_secondary_indexes(session: Session) -> list[str]:
    """Drop the non-unique indexes of the tables a load fills; their CREATE statements, as the
    schema has them (the engine's own catalogue), to run again when it ends."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        found = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (" + ", ".join(f"'{t}'" for t in _DEFERRED_TABLES) + ")")).all()
    else:
        found = conn.execute(text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(:tables) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"),
            {"tables": list(_DEFERRED_TABLES)}).all()
    quote = conn.dialect.identifier_preparer.quote
    ddl = []
    for name, create in found:
        if create.lstrip().upper().startswith("CREATE UNIQUE"):
            continue
        conn.execute(text(f"DROP INDEX {quote(name)}"))
        ddl.append(create)
    return ddl


def _insert(session: Session, model, rows: list[dict], returning: bool = True) -> list[int]:
    """Insert many rows in few statements; their new ids in the order given when `returning`."""
    if not rows:
        return []
    table = model.__table__
    if not returning:
        session.execute(table.insert(), rows)
        return []
    stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())


# --- fields of a record -----------------------------------------------------------------------

def _text(r: dict, name: str, required: bool = False) -> str | None:
    value = r.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string")
    return check_storable(value, name)


def _key(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise InvalidInput("key must be a non-empty string or a number")
    return str(value)


def _list(r: dict, name: str) -> list[dict]:
    value = r.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(f"{name} must be a list of objects")
    return value


def _span(text: str, item: dict, label: str) -> tuple[int, int]:
    start, end = item.get("start"), item.get("end")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) \
            or not 0 <= start < end <= len(text):
        raise InvalidInput(f"{label}: start and end must be offsets into the text, start < end <= {len(text)}")
    return start, end


def _quote(text: str, q: dict, i: int) -> dict:
    start, end = _span(text, q, f"quote {i}")
    kind = q.get("kind") or "direct"
    if kind not in QUOTE_KINDS:
        raise InvalidInput(f"quote {i}: kind must be one of {', '.join(QUOTE_KINDS)}")
    speaker = " ".join((_text(q, "speaker") or "").split())[:200] or None
    cue = _text(q, "cue")
    return {"start": start, "end": end, "text": text[start:end], "speaker_name": speaker,
            "cue": cue[:100] if cue else None, "kind": kind}


def _mention(text: str, m: dict, i: int, quotes: list[dict]) -> dict:
    start, end = _span(text, m, f"mention {i}")
    stance, origin = m.get("stance") or "repeats", m.get("origin") or "extracted"
    if stance not in STANCES or origin not in ORIGINS:
        raise InvalidInput(f"mention {i}: stance must be one of {', '.join(STANCES)}, "
                           f"origin one of {', '.join(ORIGINS)}")
    quote = m.get("quote")
    if quote is not None and (isinstance(quote, bool) or not isinstance(quote, int)
                              or not 0 <= quote < len(quotes)):
        raise InvalidInput(f"mention {i}: quote must be the index of one of the article's quotes")
    score = m.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))
                              or not 0 <= score <= 1):
        raise InvalidInput(f"mention {i}: score must be a number from 0 to 1")
    confirmed = _text(m, "confirmed_by")
    return {"claim": _key(m.get("claim")), "start": start, "end": end, "quote": quote, "stance": stance,
            "origin": origin, "score": score, "confirmed_by": confirmed[:200] if confirmed else None}
