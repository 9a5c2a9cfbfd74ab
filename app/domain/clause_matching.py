"""List-item suggestions: a short stored claim restated by one item of a list in a sentence ("the
two sides will hold talks, share data, as well as cut tariffs"), which the window's own score
misses (the learned odds read the sentence's other items as evidence against it). Read against the
candidates a window already found (no search of its own), suggested at the item's span, never
linked, and kept only when another statement of the claim's source stands in the same sentence
(corroborated_items). matching.window_decisions calls these after each window's own decisions."""
from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.linking import claim_speakers
from app.domain.match_types import Decision, ScoredClaim, match_weights
from app.pipeline.context import list_items, sentence_spans
from app.pipeline.matching import MatchScore, claim_stems, negated, prepare, score_match
from app.pipeline.stance import reads_speaker, stance
from app.storage.models import Mention

if TYPE_CHECKING:   # annotations only: matching imports this module
    from app.domain.matching import MatchConfig


# A short stored claim is looked for in the items of a list in a passage (clause_decisions) when
# it has CLAUSE_CLAIM_MIN_WORDS to CLAUSE_CLAIM_WORDS content words, shares two or more with the
# passage, and no decision took it there; an item suggests it at CLAUSE_MIN_SCORE (the odds on the
# item alone) or more.
CLAUSE_CLAIM_MIN_WORDS, CLAUSE_CLAIM_WORDS = 3, 6
CLAUSE_MIN_SCORE = 0.8


def _clause_candidate(match: MatchScore) -> bool:
    """A candidate clause_match may read: scored above 0 on the window, sharing two words, and of
    3 to CLAUSE_CLAIM_WORDS content words (a claim of two is carried whole by any item naming its
    two words: "the United States does not")."""
    return (0 < match.score and len(match.shared) >= 2
            and CLAUSE_CLAIM_MIN_WORDS <= match.claim_words <= CLAUSE_CLAIM_WORDS)


def clause_speakers(session: Session, passage: str, scored: list[ScoredClaim],
                    skip: set[int]) -> dict[int, str | None]:
    """stance_speakers for the claims clause_decisions may read (no query unless one is named)."""
    if not reads_speaker(passage):
        return {}
    wanted = [s.claim_id for s in scored if s.claim_id not in skip and _clause_candidate(s.match)]
    return claim_speakers(session, wanted) if wanted else {}


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the list in the sentence around the window text[start:end] (see
    pipeline.context.list_items) that lie inside the window and are shorter than it: a long
    sentence's windows are cut at its commas, so the list is read on the whole sentence."""
    lo, hi = sentence_around(text, start, end)
    return [(a, b) for a, b in list_items(text, lo, hi) if start <= a and b <= end and (a, b) != (start, end)]


def clause_match(session: Session, claim_text: str, text: str, start: int, end: int,
                 config: MatchConfig, spans: list[tuple[int, int]] | None = None
                 ) -> tuple[int, int, MatchScore] | None:
    """The list item in text[start:end] (clause_spans) that carries a short stored claim best,
    with its score, when it reaches CLAUSE_MIN_SCORE; else None.

    Why: one sentence may string several statements together ("the two sides will hold talks,
    share data, as well as cut tariffs"), and a short stored claim restated in one of them ("cut
    tariffs") is a small part of the whole: the learned odds, trained on posts that each make one
    claim, read the passage's other words as evidence against it (the passage carries much more
    than the claim). Read alone, the item carries little else. Held to the odds on the item and two
    shared words, not to the lexical floor nor _enough_shared's share of the claim (a restated item
    keeps few of a short claim's words: "build trust between their crews" of "deepen mutual trust
    among the crews"); window_decisions also wants another statement of the claim's source in the
    sentence (corroborated_items)."""
    spans = clause_spans(text, start, end) if spans is None else spans
    if not spans:
        return None
    pieces = [(a, b, prepare(text[a:b])) for a, b in spans]
    weights = match_weights(session, claim_stems(claim_text).union(*(p.stems for _, _, p in pieces)))
    best: tuple[int, int, MatchScore] | None = None
    for a, b, piece in pieces:
        m = score_match(claim_text, piece, weights, CLAUSE_MIN_SCORE, config.scorer)
        if m.score >= CLAUSE_MIN_SCORE and len(m.shared) >= 2 and (best is None or m.score > best[2].score):
            best = a, b, m
    return best


def clause_verdict(claim_text: str, passage: str, piece: str, speaker: str | None) -> tuple[str, str]:
    """(stance, "suggested") for a claim the list item `piece` of `passage` carries: the stance
    model reads the whole passage (the item alone is too little context), but a repeat or a
    contradiction also needs the item's own polarity to agree (the same as the claim's for a
    repeat, the opposite for a contradiction; a "no" elsewhere in the sentence is another
    item's): else the item only discusses the claim. Never a link: the sentence says more."""
    label = stance(claim_text, passage, speaker=speaker).label
    differs = negated(piece) != negated(claim_text)
    if (label == "repeats" and differs) or (label == "contradicts" and not differs):
        label = "discusses"
    return label, "suggested"


def clause_decisions(session: Session, text: str, start: int, end: int, scored: list[ScoredClaim],
                     config: MatchConfig, skip: set[int], speakers: dict[int, str | None],
                     most: int) -> list[tuple[int, int, Decision]]:
    """(start, end, decision) for the short stored claims among a window's candidates (`scored`)
    that no decision took and that one of its list items carries (clause_match), at the item's
    span, at most `most`: suggestions, read against the candidates already found (no search)."""
    wanted = [s for s in scored if s.claim_id not in skip and _clause_candidate(s.match)]
    if not wanted or most <= 0:
        return []
    spans = clause_spans(text, start, end)
    if not spans:
        return []
    out = []
    for s in wanted:
        found = clause_match(session, s.text, text, start, end, config, spans)
        if found is None:
            continue
        a, b, match = found
        verdict = clause_verdict(s.text, text[start:end], text[a:b], speakers.get(s.claim_id))
        out.append((a, b, Decision(s.claim_id, verdict[0], verdict[1], match)))
        if len(out) >= most:
            break
    return out


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The matchable sentence a window was cut from (the window itself if none holds it)."""
    sentences = sentence_spans(text)
    i = bisect_right(sentences, (start, len(text) + 1)) - 1
    return sentences[i] if i >= 0 and sentences[i][1] >= end else (start, end)


def corroborated_items(session: Session, article_id: int, held: list[tuple[int, int, Decision]],
                       linked: dict[int, list[tuple[int, int]]], sentence: tuple[int, int]
                       ) -> list[tuple[int, int, Decision]]:
    """The list-item decisions of one sentence (clause_decisions) that another claim of the same
    source backs: a claim first stated (linked, not suggested) in the same stored article as the
    item's claim, which the sentence also carries away from the item (a mention there, any origin,
    a decision of this pass: `linked`, or another item). An outlet that restates a briefing's list restates several of its
    statements in one sentence; a lone short claim that happens to share two words with one item
    of some list, the most of what items alone proposed on news (PolNeAR), has no such company.
    Their spans are added to `linked`."""
    lo, hi = sentence
    here = [(cid, s, e) for cid, spans in linked.items() for s, e in spans if min(e, hi) > max(s, lo)]
    here += [(d.claim_id, a, b) for a, b, d in held]
    first = source_articles(session, {cid for cid, _, _ in here})
    out = []
    for a, b, d in held:
        source = first.get(d.claim_id)
        if source is None or source == article_id:
            continue
        # elsewhere in the sentence: claims of one source that share the item's words are no company
        if any(cid != d.claim_id and first.get(cid) == source and not (s < b and a < e) for cid, s, e in here):
            out.append((a, b, d))
    for a, b, d in out:
        linked.setdefault(d.claim_id, []).append((a, b))
    return out


def source_articles(session: Session, claim_ids: set[int]) -> dict[int, int]:
    """claim id -> the first stored article that states it (its first mention not suggested)."""
    if not claim_ids:
        return {}
    return dict(session.execute(select(Mention.claim_id, func.min(Mention.article_id))
                                .where(Mention.claim_id.in_(claim_ids), Mention.origin != "suggested")
                                .group_by(Mention.claim_id)).all())
