"""`claimtracker eval`: ingest an annotated folder into a scratch database and score what we found."""
from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ingest import collect_files, ingest_files
from app.pipeline.documents import parse_sources_csv
from app.pipeline.evaluate import load_gold, score_quotes
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.migrate import upgrade
from app.storage.models import Article, Mention, Quote


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def stored_quotes(session: Session) -> dict[str, list[Quote]]:
    out: dict[str, list[Quote]] = defaultdict(list)
    rows = session.execute(select(Article.source_name, Quote).join(Quote, Quote.article_id == Article.id))
    for name, quote in rows:
        out[name].append(quote)
    return dict(out)


def score_claims(session: Session, gold: dict) -> list[dict]:
    """For each gold cross-outlet claim: the stored claim that covers most of its mentions, and how well."""
    mentions: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    rows = session.execute(select(Article.source_name, Mention.start, Mention.end, Mention.claim_id,
                                  Mention.stance).join(Article, Article.id == Mention.article_id))
    for name, start, end, claim_id, stance in rows:
        mentions[name].append((start, end, claim_id, stance))
    out = []
    for gc in gold.get("claims", []):
        hits: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for gm in gc["mentions"]:
            for start, end, claim_id, stance in mentions.get(gm["file"], []):
                if _overlap((start, end), (gm["start"], gm["end"])) > 0:
                    hits[claim_id].append((gm["file"], stance == gm["stance"]))
        best = max(hits.items(), key=lambda kv: len({f for f, _ in kv[1]}), default=(None, []))
        files = {f for f, _ in best[1]}
        right = len({(f) for f, ok in best[1] if ok})
        out.append({"id": gc["id"], "claim_id": best[0], "outlets_linked": len(files),
                    "found": len(files) >= 2, "mentions": len(gc["mentions"]), "right_stance": right})
    return out


def evaluate_folder(folder: Path) -> list[str]:
    gold = load_gold(folder / "gold.json")
    sources_csv = folder / "sources.csv"
    rows = parse_sources_csv(sources_csv.read_text(encoding="utf-8")) if sources_csv.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'eval.db'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            with make_sessionmaker(engine)() as session:
                results = ingest_files(session, collect_files([folder]), {}, rows, "eval", 2 * 1024 * 1024)
                scores = score_quotes(stored_quotes(session), gold)
                claims = score_claims(session, gold)
        finally:
            engine.dispose()
    return _report(results, scores, claims)


def _report(results, s, claims) -> list[str]:
    failed = [r for r in results if r.status == "failed"]
    lines = [f"articles: {len(results) - len(failed)} ingested, {len(failed)} failed"]
    lines += [f"  {r.name}: {r.error}" for r in failed]
    lines += [
        f"quotes: {s.predicted} found, {s.gold_required} required in gold",
        f"quote precision (word overlap): {s.overlap_precision:.3f}",
        f"quote recall (word overlap, required): {s.overlap_recall:.3f}",
        f"quote F1 (word overlap): {s.overlap_f1:.3f}",
        f"quote precision (exact span): {s.exact_precision:.3f}",
        f"quote recall (exact span, required): {s.exact_recall:.3f}",
        f"speaker accuracy: {s.speaker_accuracy:.3f} of {s.speakers_judged} quotes with a gold speaker",
    ]
    found = sum(c["found"] for c in claims)
    total_m = sum(c["mentions"] for c in claims)
    linked = sum(c["right_stance"] for c in claims)
    lines.append(f"cross-outlet claims found (linked in >= 2 outlets): {found} of {len(claims)}")
    lines.append(f"cross-outlet mentions linked with the right stance: {linked} of {total_m} "
                 f"({(linked / total_m if total_m else 0):.0%})")
    for c in claims:
        lines.append(f"  {c['id']}: {c['outlets_linked']} of {c['mentions']} mentions linked"
                     + (f" (claim {c['claim_id']})" if c["claim_id"] else ""))
    return lines
