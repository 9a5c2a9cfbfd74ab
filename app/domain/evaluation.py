"""`claimtracker eval`: ingest an annotated folder into a scratch database and score what we found."""
from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ingest import collect_files, ingest_files
from app.domain.matching import MatchConfig
from app.pipeline.documents import parse_sources_csv
from app.settings import Settings
from app.pipeline.evaluate import load_gold, score_quotes
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.migrate import database_is_empty, upgrade
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
    """For each gold cross-outlet claim: the stored claim whose mentions (linked or suggested) cover
    most of its gold mentions, how many of those carry the gold stance, and how many are linked."""
    mentions: dict[str, list[tuple[int, int, int, str, str]]] = defaultdict(list)
    rows = session.execute(select(Article.source_name, Mention.start, Mention.end, Mention.claim_id,
                                  Mention.stance, Mention.origin)
                           .join(Article, Article.id == Mention.article_id))
    for name, start, end, claim_id, stance, origin in rows:
        mentions[name].append((start, end, claim_id, stance, origin))
    out = []
    for gc in gold.get("claims", []):
        # claim_id -> gold mention index -> (right stance?, linked?) of the best stored mention there
        hits: dict[int, dict[int, tuple[bool, bool]]] = defaultdict(dict)
        for i, gm in enumerate(gc["mentions"]):
            for start, end, claim_id, stance, origin in mentions.get(gm["file"], []):
                if _overlap((start, end), (gm["start"], gm["end"])) > 0:
                    mark = (stance == gm["stance"], origin != "suggested")
                    hits[claim_id][i] = max(hits[claim_id].get(i, (False, False)), mark)
        best_id, best = max(hits.items(), key=lambda kv: (len(kv[1]), sum(r for r, _ in kv[1].values()),
                                                          -kv[0]), default=(None, {}))
        files = {gc["mentions"][i]["file"] for i in best}
        out.append({"id": gc["id"], "claim_id": best_id, "found": len(files) >= 2,
                    "mentions": len(gc["mentions"]), "covered": len(best),
                    "right_stance": sum(r for r, _ in best.values()),
                    "linked": sum(1 for r, linked in best.values() if r and linked),
                    "misses": _misses(gc["mentions"], mentions, best_id, best)})
    return out


def _misses(golds: list[dict], mentions: dict, best_id: int | None, best: dict) -> list[dict]:
    """Why each gold mention is not on the claim with its gold stance: the claim has it with
    another stance, another claim has it, or nothing was proposed there."""
    out = []
    for i, gm in enumerate(golds):
        if best.get(i, (False, False))[0]:
            continue
        here = [(claim_id, stance) for start, end, claim_id, stance, _ in mentions.get(gm["file"], [])
                if _overlap((start, end), (gm["start"], gm["end"])) > 0]
        stances = sorted({stance for claim_id, stance in here if claim_id == best_id})
        others = sorted({claim_id for claim_id, _ in here if claim_id != best_id})
        why = (f"on the claim as {'/'.join(stances)}" if stances
               else f"on other claims {others}" if others else "nothing proposed")
        out.append({"file": gm["file"], "start": gm["start"], "end": gm["end"], "stance": gm["stance"],
                    "why": why})
    return out


def mention_counts(session: Session, gold: dict) -> dict[str, int]:
    """Mentions by origin, and how many of each touch a gold mention span: the seeds annotate
    eleven claims only, so a mention elsewhere is not wrong for sure, but a rise is noise to look at."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for gc in gold.get("claims", []):
        for gm in gc["mentions"]:
            spans[gm["file"]].append((gm["start"], gm["end"]))
    out = {"extracted": 0, "suggested": 0, "extracted_on_gold": 0, "suggested_on_gold": 0}
    rows = session.execute(select(Article.source_name, Mention.start, Mention.end, Mention.origin)
                           .join(Article, Article.id == Mention.article_id))
    for name, start, end, origin in rows:
        key = "suggested" if origin == "suggested" else "extracted"
        out[key] += 1
        out[f"{key}_on_gold"] += any(_overlap((start, end), g) > 0 for g in spans.get(name, []))
    return out


def evaluate_folder(folder: Path, database_url: str | None = None) -> list[str]:
    return _report(*evaluate_scores(folder, database_url))


def evaluate_scores(folder: Path, database_url: str | None = None) -> tuple[list, object, list[dict], dict[str, int]]:
    """Ingest an annotated folder into a scratch database (a temporary SQLite file, or the empty
    database at `database_url`: both engines must score alike): (ingest results, quote scores,
    claims, mention counts)."""
    gold = load_gold(folder / "gold.json")
    sources_csv = folder / "sources.csv"
    rows = parse_sources_csv(sources_csv.read_text(encoding="utf-8")) if sources_csv.exists() else {}
    if database_url is not None and not database_is_empty(database_url):
        raise ValueError("eval needs an empty database: it ingests the folder into it")
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'eval.db'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            with make_sessionmaker(engine)() as session:
                results = ingest_files(session, collect_files([folder]), {}, rows, "eval", 2 * 1024 * 1024,
                                       matching=MatchConfig.from_settings(Settings()))
                scores = score_quotes(stored_quotes(session), gold)
                claims = score_claims(session, gold)
                counts = mention_counts(session, gold)
        finally:
            engine.dispose()
    return results, scores, claims, counts


def _report(results, s, claims, counts) -> list[str]:
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
        f"reported speech found (not in gold, not judged): {s.reported_found}",
    ]
    found = [c for c in claims if c["found"]]
    total_m = sum(c["mentions"] for c in claims)
    right = sum(c["right_stance"] for c in claims)
    linked = sum(c["linked"] for c in claims)
    found_m = sum(c["mentions"] for c in found)
    found_right = sum(c["right_stance"] for c in found)
    lines.append(f"cross-outlet claims found (one claim linked or suggested in >= 2 articles): "
                 f"{len(found)} of {len(claims)}")
    lines.append(f"cross-outlet mentions linked or suggested with the right stance: {right} of {total_m} "
                 f"({_share(right, total_m)}); linked without an analyst: {linked} ({_share(linked, total_m)})")
    lines.append(f"  of the found claims' mentions: {found_right} of {found_m} ({_share(found_right, found_m)})")
    covered, found_covered = sum(c["covered"] for c in claims), sum(c["covered"] for c in found)
    lines.append(f"cross-outlet mentions linked or suggested, any stance: {covered} of {total_m} "
                 f"({_share(covered, total_m)}); of the found claims' mentions: {found_covered} of "
                 f"{found_m} ({_share(found_covered, found_m)})")
    lines.append(f"mentions: {counts['extracted']} linked ({counts['extracted_on_gold']} on a gold span), "
                 f"{counts['suggested']} suggested ({counts['suggested_on_gold']} on a gold span)")
    for c in claims:
        lines.append(f"  {c['id']}: {c['covered']} of {c['mentions']} mentions covered, "
                     f"{c['right_stance']} with the right stance, {c['linked']} linked"
                     + (f" (claim {c['claim_id']})" if c["claim_id"] else ""))
        lines += [f"    missed {m['file']} {m['start']}-{m['end']} ({m['stance']}): {m['why']}"
                  for m in c.get("misses", [])]
    return lines


def _share(part: int, whole: int) -> str:
    return f"{(part / whole if whole else 0):.0%}"
