"""Matching an article against the stored claims: candidates from the search index, a score from
app/pipeline/matching.py, then a link, a suggestion for an analyst, or nothing.

Why this split: the index narrows 100,000 claims to a few dozen in milliseconds; the pure scorer
then judges those few with measures an analyst can read (shared words, wording similarity).
Only near-verbatim repeats with the claim's own polarity are linked without an analyst; paraphrases
and possible contradictions wait in the suggestions queue, and a rejected one never comes back.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload, load_only

from app.domain.clause_matching import clause_decisions, clause_speakers, corroborated_items, sentence_around
from app.domain.linking import claim_speakers, find_matching_claim
from app.domain.match_types import Decision, ScoredClaim, match_weights
from app.domain.vectors import nearest_claims, stored_vectors
from app.pipeline.constants import (
    MATCH_CANDIDATES,
    MATCH_EARLIER_ARTICLES,
    MATCH_MAX_SENTENCES,
    MATCH_QUERY_TERMS,
)
from app.pipeline.context import passage_windows, sentence_spans
from app.pipeline.embeddings import Embedder, blend, load_embedder
from app.pipeline.query_adapter import adapt_query
from app.pipeline.scorer import ListEntry, MatchScorer, default_scorer
from app.pipeline.social import clean_post, post_signature
from app.pipeline.matching import (
    MatchScore,
    Passage,
    claim_stems,
    claim_weight_of,
    negated,
    passage_stems,
    passage_weight_of,
    prepare,
    query_terms,
    score_match,
    shared_weight_bar,
    shares_quoted_phrase,
    stems_weight,
    union_evidence,
    union_measures,
    with_headline,
)
from app.pipeline.stance import StanceResult, reads_speaker, stance
from app.storage.lookups import driver_rows, list_value, members
from app.storage.models import Article, Claim, DismissedMatch, Mention
from app.storage.search import (
    article_candidates,
    claim_candidates_many,
    CANDIDATE_BARS,
    NewRows,
    ARTICLE_BARS,
    claims_vocabulary,
)
from app.storage.term_counts import snapshot_identity


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Thresholds on MatchScore.score (0..1); settings carry them so a team can tune its queue."""

    link_threshold: float = 0.9
    suggest_threshold: float = 0.5
    contradict_threshold: float = 0.45
    min_shared: int = 3
    candidates: int = MATCH_CANDIDATES
    # The search index's reach for those candidates: at most candidate_terms of the passage's
    # rarest words, while the claims they reach stay within candidate_budget rows to rank (see
    # storage.search.claim_candidates). `similar` asks wider (see domain.similar).
    candidate_terms: int = 12
    candidate_budget: int = 800
    per_passage: int = 5
    # Optional sentence embeddings (app/pipeline/embeddings.py); with them a paraphrase sharing
    # fewer words than min_shared still counts when its meaning similarity reaches semantic_gate.
    embedder: Embedder | None = None
    embedder_model: str = ""          # the setting naming the model: stored vectors are keyed by it
    # 0.8, not 0.7: on a single-story store (the seeds) 0.7 let most sentences of the story
    # through as suggestions for most of its claims (107 against 58 at 0.8; 55 without embeddings).
    semantic_gate: float = 0.8
    # The learned odds that a pair is right (app/pipeline/scorer.py); None keeps the hand blend.
    scorer: MatchScorer | None = field(default_factory=default_scorer)
    # A suggestion must also reach this by the hand measure (MatchScore.lexical), the old suggest
    # threshold: the odds were learned on posts that each make some known claim, and over-trust a
    # short headline whose few words all stand in a claim ("Library budget to double"). So the odds
    # re-rank and prune what the words propose; meaning (embeddings) can propose on its own.
    lexical_floor: float = 0.5
    # A passage the stance model reads as a repeat with less probability than this is suggested,
    # never linked (see decide).
    stance_confidence: float = 0.6
    # Score a known claim's fact-check headline too (see pipeline.matching.with_headline); off only
    # where the text's own measures are wanted alone (scripts/train_match_scorer.py).
    headlines: bool = True
    # Read each candidate's odds against the others on its list (pipeline.scorer.LIST_FEATURES):
    # for a lookup, where the text restates one claim and the question is which (`similar`, see
    # domain.similar). Off for ingest, where one sentence may carry two stored claims whole: on the
    # seeds the list model, trained on posts that each make one claim, demoted the second of two
    # claims a sentence carries (gold mentions with the gold stance 31 -> 27 of 40, cross-outlet
    # claims found 10 -> 9, suggestions 57 -> 39). So is the semantic model's gap of a cosine to the
    # best of the text's candidates: off, each stored claim's cosine is read alone, never below the
    # words' odds (pipeline.scorer.SEMANTIC_ALONE_FEATURES, MatchScorer.score). Seeds with
    # embeddings, gold mentions with the gold stance (suggestions): 33 of 40 (66) with the gap; 33
    # (68) alone; 35 (80) alone and never below the words; 36 (74) with earlier_paraphrase ranking
    # by the words too (_by_words); 36 (68) without embeddings.
    rank_as_list: bool = False
    # Work an ingest does on one article at most (settings max_article_quotes, max_quote_statements;
    # see domain.article_linking.plan_article): quotations stored and linked, statements linked a quotation.
    max_quotes: int = 500
    max_statements: int = 50

    @classmethod
    def from_settings(cls, settings) -> MatchConfig:
        model = getattr(settings, "embeddings_model", None)
        return cls(link_threshold=settings.match_link_threshold,
                   suggest_threshold=settings.match_suggest_threshold,
                   contradict_threshold=settings.match_contradict_threshold,
                   embedder=load_embedder(model) if model else None, embedder_model=model or "",
                   max_quotes=settings.max_article_quotes, max_statements=settings.max_quote_statements)

    @property
    def lexical_gate(self) -> float:
        """The hand measure below which no decision takes a candidate (see _carries_claim): the
        lexical floor without embeddings; nothing with them, since meaning alone may propose."""
        return 0.0 if self.embedder is not None else min(self.lexical_floor, self.link_threshold)

    @property
    def floor(self) -> float:
        """The lowest score any decision takes (0 with embeddings, which may lift any score)."""
        if self.embedder is not None:
            return 0.0
        return min(self.link_threshold, self.suggest_threshold, self.contradict_threshold)


def scored_candidates(session: Session, text: str, config: MatchConfig,
                      floor: float | None = None, pool: Pool | None = None) -> list[ScoredClaim]:
    """Stored claims that share words with `text`, scored and best first. Those that cannot reach
    `floor` (by default the lowest threshold of `config`: no decision could take them) are left out.
    With `config.rank_as_list` and a list model in the scorer, each score is then read against the
    others on the list (see pipeline.scorer.LIST_FEATURES). `pool`: the text's candidate_pool, when
    the caller found it with others' (candidate_pools)."""
    measured = [m for m in candidate_measures(session, text, config, floor, pool) if m.joined.match.score > 0]
    scored = [m.joined for m in measured]
    if config.rank_as_list and config.scorer is not None:
        semantic = config.scorer.semantic is not None and any(s.match.semantic is not None for s in scored)
        odds = config.scorer.rerank([m.entry() for m in measured], semantic)
        if odds is not None:
            scored = [ScoredClaim(s.claim_id, s.text, replace(s.match, score=p)) for s, p in zip(scored, odds)]
    scored.sort(key=lambda s: (-s.match.score, s.claim_id))
    return scored


@dataclass(frozen=True, slots=True)
class Measured:
    """One candidate as candidate_measures scored it: on its text (`scored`), on its fact-check
    headline (None without one, or with headlines off), the two joined (`joined`, see
    pipeline.matching.with_headline), and how much of the text the claim's text and headline carry
    together (pipeline.matching.union_measures)."""

    scored: ScoredClaim
    headline: MatchScore | None
    joined: ScoredClaim
    union_share: float
    union_coverage: float
    evidence: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)   # pipeline.matching.union_evidence

    def entry(self) -> ListEntry:
        head = self.headline
        return ListEntry(self.joined.match.score, self.scored.match.score,
                         head.score if head is not None and head.score > 0 else None,
                         self.scored.match.lexical, self.union_share, self.union_coverage,
                         self.scored.match.semantic, *self.evidence)


def candidate_measures(session: Session, text: str, config: MatchConfig,
                       floor: float | None = None, pool: Pool | None = None) -> list[Measured]:
    """Each candidate scored on its text (with embeddings, the semantic model also reads its
    headline's measures) and on its fact-check headline, in the order the candidates were found:
    what scored_candidates ranks, and what scripts/train_match_scorer.py learns from."""
    text, hits, sims = pool if pool is not None else candidate_pool(session, text, config)
    passage = prepare(text)
    titles = {cid: title for cid, _, title, _ in hits if title} if config.headlines else {}
    # each candidate's stems from the ones it was stored with, read by the search with it
    stems = {cid: claim_stems(t, kept) for cid, t, _, kept in hits}
    weights = match_weights(session, passage.stems.union(*stems.values(),
                                                          *(claim_stems(t) for t in titles.values())))
    gate = config.lexical_gate if floor is None else 0.0   # `similar` ranks every candidate
    floor = config.floor if floor is None else floor
    weighed = passage_weight_of(weights, passage)     # once, not once a candidate
    heads = {cid: score_match(title, passage, weights, floor, config.scorer, gate, passage_weight=weighed)
             for cid, title in titles.items()}
    scored = [ScoredClaim(cid, ctext, score_match(ctext, passage, weights, floor, config.scorer, gate,
                                                  passage_weight=weighed, stems=stems[cid]))
              for cid, ctext, _, _ in hits]
    if config.embedder is not None:
        # the best cosine is read only by a lookup's list (see rank_as_list); None: judged alone
        best = max(sims.values(), default=0.0) if config.rank_as_list else None
        scored = [ScoredClaim(s.claim_id, s.text, _with_semantic(s, sims[s.claim_id], passage, config, best,
                                                                 heads.get(s.claim_id)))
                  for s in scored]
    # the stems a post has only in its signature (who posted it, when): read by the list model
    signature = post_signature(text) if config.rank_as_list else ""
    signed = passage.stems - prepare(text.replace(signature, " ")).stems if signature else frozenset()
    out = []
    for s in scored:
        head = heads.get(s.claim_id)
        joined = s if head is None else ScoredClaim(s.claim_id, s.text, with_headline(s.match, head, config.scorer))
        title = titles.get(s.claim_id)
        if config.rank_as_list:   # read by the list model only
            text_stems, head_stems = stems[s.claim_id], claim_stems(title) if title else frozenset()
            union = union_measures(passage.stems, text_stems, head_stems, weights)
            evidence = union_evidence(passage.stems, text_stems, head_stems, weights, signed)
        else:
            union, evidence = (0.0, 0.0), (0.0, 0.0, 0.0, 0.0)
        out.append(Measured(s, head, joined, *union, evidence))
    return out


#: A claim the search found: (id, text, review_title, kept stems as stored: claims.stems).
Candidate = tuple[int, str, str | None, str | None]
#: What a text is scored against (candidate_pool): the text as matched, its candidates, their cosines.
Pool = tuple[str, list[Candidate], dict[int, float]]


def candidate_pool(session: Session, text: str, config: MatchConfig) -> Pool:
    """The claims a text is scored against: the search index's best `config.candidates` for its
    words, with embeddings also the nearest stored vectors. Returns the text as matched (a post's
    links cut, its tags split: pipeline.social.clean_post), the (id, text, headline, kept stems)
    candidates and, with embeddings, each candidate's cosine with the text. bench/checkthat.py
    reads it to say whether a right claim was lost here or in the ranking."""
    return candidate_pools(session, [text], config)[0]


def candidate_pools(session: Session, texts: Sequence[str], config: MatchConfig) -> list[Pool]:
    """candidate_pool of each text, the search index asked for all of them at once
    (storage.search.claim_candidates_many): the same pools."""
    cleaned = [clean_post(text) for text in texts]
    found = claim_candidates_many(session, [query_terms(text, MATCH_QUERY_TERMS) for text in cleaned],
                                  config.candidates, config.candidate_budget, config.candidate_terms)
    pools = []
    for text, hits in zip(cleaned, found):
        sims: dict[int, float] = {}
        if config.embedder is not None:
            hits, sims = semantic_candidates(session, text, hits, config)
        pools.append((text, hits, sims))
    return pools


def semantic_candidates(session: Session, text: str, hits: list[Candidate],
                        config: MatchConfig) -> tuple[list[Candidate], dict[int, float]]:
    """The lexical candidates plus the nearest stored claim vectors (a paraphrase that shares few
    words), and the cosine of each with the text, its vector first moved by the model's learned
    query map (pipeline.query_adapter; the stored vectors are not). A candidate without a stored
    vector (made before embeddings were on) is embedded here and not stored: reads never write."""
    query = adapt_query(config.embedder_model, config.embedder.encode([text])[0])
    near = nearest_claims(session, config.embedder_model, query, config.candidates)
    sims = dict(near)
    have = {cid for cid, *_ in hits}
    extra = live_claim_texts(session, [cid for cid, _ in near if cid not in have])
    hits = hits + extra
    missing = [cid for cid, *_ in hits if cid not in sims]
    for cid, vector in stored_vectors(session, config.embedder_model, missing).items():
        sims[cid] = float(vector @ query)
    todo = [(cid, t) for cid, t, *_ in hits if cid not in sims]
    if todo:
        for (cid, _), vector in zip(todo, config.embedder.encode([t for _, t in todo])):
            sims[cid] = float(vector @ query)
    return hits, {cid: round(sim, 4) for cid, sim in sims.items()}


def live_claim_texts(session: Session, ids: list[int]) -> list[Candidate]:
    """(id, text, review_title, stems) of the live claims among `ids`, in the order given, as
    storage.search.claim_candidates gives its candidates."""
    if not ids:
        return []
    rows = {cid: (cid, text, title, kept) for cid, text, title, kept in session.execute(
        select(Claim.id, Claim.text, Claim.review_title, Claim.stems)
        .where(Claim.id.in_(ids), Claim.merged_into_id.is_(None)))}
    return [rows[cid] for cid in ids if cid in rows]


def _with_semantic(s: ScoredClaim, sim: float, passage, config: MatchConfig, best: float | None,
                   headline: MatchScore | None) -> MatchScore:
    """The match with its meaning similarity (and, for a lookup, the best among the text's
    candidates: how close the nearest claim is says how telling this one's cosine is), scored again
    by the scorer, which reads the headline's measures too."""
    match = replace(s.match, semantic=round(sim, 4), semantic_best=None if best is None else round(best, 4),
                    polarity_differs=s.match.polarity_differs if s.match.shared
                    else negated(s.text) != passage.negated)
    if config.scorer is not None and config.scorer.semantic is not None:
        return replace(match, score=config.scorer.score(match, headline))
    return replace(match, score=blend(s.match.score, sim))


def _enough_shared(match: MatchScore, config: MatchConfig) -> bool:
    """Claims of up to three content words must be carried whole; longer ones need min_shared
    words in common, or two that carry half the claim's weight (a four-word claim restated as
    "build trust between their militaries", where those two words are telling), unless embeddings
    say the meaning is close."""
    shared = len(match.shared)
    return (match.coverage >= 0.999 or shared >= config.min_shared
            or (match.claim_words > 3 and shared >= 2 and match.coverage >= 0.5)
            or (match.semantic is not None and match.semantic >= config.semantic_gate))


def _carries_claim(match: MatchScore, config: MatchConfig) -> bool:
    """Enough of the claim in the passage to be worth proposing: by words (the hand measure at
    lexical_floor), or by meaning when embeddings are on."""
    return (match.lexical >= config.lexical_floor
            or (match.semantic is not None and match.semantic >= config.semantic_gate))


def decide(match: MatchScore, config: MatchConfig,
           stance: StanceResult | None = None) -> tuple[str, str] | None:
    """(stance, origin) for a scored candidate, or None when it is not worth an analyst's time.

    `score` (the learned odds that the passage is about this claim) decides what is worth an
    analyst's time; only a passage in the claim's own wording (`lexical`, coverage and wording
    similarity, at the link threshold) is linked without one, since a paraphrase of the right
    claim is still the outlet's words, not the speaker's. With `stance` (pipeline.stance: the
    passage read against the claim) its label says how the passage relates, and only a confident
    repeat is linked, so a hedged report ("..., officials say") or a debunk waits for an analyst.
    Without it, polarity alone decides (a statement joining a claim)."""
    if not _enough_shared(match, config):
        return None
    if stance is not None:
        return _decide_stance(match, config, stance)
    if match.polarity_differs:
        return (("contradicts", "suggested") if match.score >= config.contradict_threshold
                and _carries_claim(match, config) else None)
    if match.lexical >= config.link_threshold and match.score >= config.suggest_threshold:
        return "repeats", "extracted"   # the claim's own wording, and the odds agree
    if match.score >= config.suggest_threshold and _carries_claim(match, config):
        return "repeats", "suggested"
    return None


def _decide_stance(match: MatchScore, config: MatchConfig, stance: StanceResult) -> tuple[str, str] | None:
    if not _carries_claim(match, config):
        return None
    if stance.label == "contradicts":
        return ("contradicts", "suggested") if match.score >= config.contradict_threshold else None
    if match.score < config.suggest_threshold:
        return None
    # A repeat by the model's reading while one side negates where the two align ("vowed to move
    # past the old rivalry" of "the two are not rivals"): the passage is about the claim, but the
    # words do not say it agrees, so it is proposed as discussing it, never as a repeat.
    if stance.label == "repeats" and match.polarity_differs:
        return "discusses", "suggested"
    if (stance.label == "repeats" and match.lexical >= config.link_threshold
            and stance.prob >= config.stance_confidence):
        return "repeats", "extracted"
    return stance.label, "suggested"


def _reads_stance(match: MatchScore, config: MatchConfig) -> bool:
    """Is the stance worth reading: only where a decision may follow (reading costs an alignment;
    most candidates fall short of every threshold)."""
    return (_enough_shared(match, config) and _carries_claim(match, config)
            and match.score >= min(config.suggest_threshold, config.contradict_threshold))


def _stance(match: MatchScore, config: MatchConfig, claim: str, passage: str | None,
            speaker: str | None) -> StanceResult | None:
    """The passage's stance on the claim (whose speaker is `speaker`), where a decision may follow."""
    if passage is None or not _reads_stance(match, config):
        return None
    return stance(claim, passage, speaker=speaker)


def judge(match: MatchScore, config: MatchConfig, claim: str, passage: str | None,
          speaker: str | None) -> tuple[str, str] | None:
    """decide() on a candidate with the passage's text read (its stance, whose speaker is
    `speaker`), and one more way in: a passage that puts the claim's own quoted coined phrase in
    marks ("struck a 'no limits' partnership" of a claim that the leaders "reaffirmed their
    'no-limits' partnership") refers to what the claim is about even where it keeps too few of
    the claim's other words to reach the lexical floor (a narrative sentence beside a long
    claim). It is suggested as discussing the claim (contradicting it where the stance model reads
    a contradiction), never as a repeat or a link: sharing a name is not restating the claim."""
    read = _stance(match, config, claim, passage, speaker)
    verdict = decide(match, config, read)
    if (verdict is None and passage is not None and match.score > 0
            and _enough_shared(match, config) and shares_quoted_phrase(claim, passage)):
        read = read or stance(claim, passage, speaker=speaker)   # read once where decide read it
        return ("contradicts" if read.label == "contradicts" else "discusses"), "suggested"
    return verdict


def stance_speakers(session: Session, passage: str, scored: list[ScoredClaim], config: MatchConfig,
                    skip: set[int] = frozenset()) -> dict[int, str | None]:
    """The speakers of the candidates whose stance passage_decisions will read on `passage`;
    nothing (and no query) when the passage names no source, which most do not."""
    if not reads_speaker(passage):
        return {}
    return claim_speakers(session, [s.claim_id for s in scored
                                    if s.claim_id not in skip and _reads_stance(s.match, config)])


def joinable_claim(session: Session, text: str, scored: list[ScoredClaim],
                   config: MatchConfig) -> ScoredClaim | None:
    """The stored claim a new quote statement restates closely enough to join instead of a new claim.

    Either the claim is carried by the statement (the score every passage gets), or the statement
    is a cut of a stored claim: "every ferry route would keep running from a temporary pier"
    against a stored "Every ferry route will keep running from the temporary pier at the north
    quay" scores 0.86 one way (the statement lacks "north quay") and 0.97 the other, and a new
    claim would split the outlets carrying one statement in two. Only for candidates that already
    reach the suggest threshold the usual way, so both directions agree, and statements of
    JOIN_CUT_MIN_WORDS content words or more."""
    for s in scored:
        if decide(s.match, config) == ("repeats", "extracted"):
            return s
    if len(claim_stems(text)) < JOIN_CUT_MIN_WORDS:
        return None
    for s in scored[:JOIN_CUT_CANDIDATES]:
        if decide(s.match, config) != ("repeats", "suggested"):
            continue
        weights = match_weights(session, claim_stems(text) | claim_stems(s.text))
        back = score_match(text, s.text, weights, config.floor, config.scorer, config.lexical_gate)
        if decide(back, config) == ("repeats", "extracted"):
            return ScoredClaim(s.claim_id, s.text, back)
    return None


def earlier_paraphrase(session: Session, text: str, scored: list[ScoredClaim], config: MatchConfig,
                       same_statement: Callable[[int], bool], proposed: set[int]) -> Decision | None:
    """The stored claim a new quote statement paraphrases, proposed as one ranked suggestion: the
    statement starts a claim of its own (it restates none closely enough to join), yet an earlier
    claim of the same speaker (or of none known, of the body they speak for, or of an agency that
    reported it: linking.another_statement) at the same moment
    (`same_statement`: linking.another_statement's test, negated) may be the same statement in other
    words, which an analyst gathers by accepting it (and merging the two claims).

    Scored both ways, as joinable_claim scores a cut (the statement's words in the claim, and the
    claim's in the statement: either may be the longer), and the claim in each clause of a
    statement that strings several together (an outlet's "willing to boost cooperation, including
    more joint patrols" carries the earlier "organize regular joint patrols" in its second clause
    only: pipeline.context.passage_windows, at most PIECE_MAX_WORDS words a piece), the best of
    these taken; held to the odds (suggest_threshold) and enough shared words, not to the
    lexical floor: a paraphrase shares few words by nature,
    and the same speaker and moment are evidence the words alone do not give. With embeddings, the
    candidates are ranked and scored forward by their words where their meaning falls short of the
    semantic gate (_by_words), as without them. None when one of
    `proposed` (the statement's other decisions) is already such a claim: one suggestion, not two."""
    if any(same_statement(cid) for cid in proposed):
        return None
    stems = claim_stems(text)
    pieces = [text[a:b] for a, b in passage_windows(text, 0, len(text), PIECE_MAX_WORDS, PIECE_MIN_WORDS)]
    pieces = [prepare(p) for p in pieces] if len(pieces) > 1 else []
    best: tuple[ScoredClaim, MatchScore] | None = None
    forward = sorted(((s, _by_words(s.match, config)) for s in scored), key=lambda sm: -sm[1].score)
    for s, ahead in forward[:PARAPHRASE_CANDIDATES]:
        if s.claim_id in proposed or not same_statement(s.claim_id):
            continue
        weights = match_weights(session, stems | claim_stems(s.text))
        back = score_match(text, s.text, weights, config.floor, config.scorer)
        parts = [score_match(s.text, p, weights, config.floor, config.scorer) for p in pieces]
        match = max((ahead, back, *parts), key=lambda m: m.score)
        if not (_enough_shared(match, config) and match.score >= config.suggest_threshold):
            continue
        if best is None or match.score > best[1].score:
            best = s, match
    if best is None:
        return None
    s, match = best
    return Decision(s.claim_id, stance(s.text, text).label, "suggested", match)


# earlier_paraphrase reads the statement's best few candidates, ranked by their odds (by the words'
# odds where the meaning is under the semantic gate: _by_words).
PARAPHRASE_CANDIDATES = 5


def _by_words(match: MatchScore, config: MatchConfig) -> MatchScore:
    """`match` scored by its words alone (the lexical model's odds) where the meaning falls short
    of the semantic gate: earlier_paraphrase, held to no lexical floor, ranks and judges a
    statement's earlier claims by these, as other decisions hold meaning to the gate. On a store of
    one story every claim of its speaker sits at a cosine of 0.7-0.8 from the statement, which the
    semantic odds (learned on a fact-checker's list, where a claim that close is the one) read as
    0.8-0.9: the few claims the paraphrase step looks at were the story's vaguest ones, and the one
    whose clause the statement carries was never read. Unchanged without embeddings."""
    if match.semantic is None or match.semantic >= config.semantic_gate or config.scorer is None:
        return match
    return replace(match, score=config.scorer.score(replace(match, semantic=None, semantic_best=None)))


# A statement's clauses, as earlier_paraphrase reads them: pieces of 4 to 12 words.
PIECE_MAX_WORDS, PIECE_MIN_WORDS = 12, 4


# A statement joins a stored claim it is a cut of only with this many content words or more
# ("cases had tripled since January"), and only one of the best few candidates (see joinable_claim).
JOIN_CUT_MIN_WORDS = 3
JOIN_CUT_CANDIDATES = 3


def passage_decisions(scored: list[ScoredClaim], config: MatchConfig,
                      skip: set[int], passage: str | None = None,
                      speakers: dict[int, str | None] | None = None) -> list[Decision]:
    """The best few links/suggestions for one passage, leaving out claims in `skip`; with the
    passage's text its stance on each claim is read (see decide), knowing each claim's speaker
    from `speakers` (see stance_speakers; a claim missing there is read as having none)."""
    out: list[Decision] = []
    speakers = speakers or {}
    for s in scored:
        if s.claim_id in skip:
            continue
        verdict = judge(s.match, config, s.text, passage, speakers.get(s.claim_id))
        if verdict is not None:
            out.append(Decision(s.claim_id, verdict[0], verdict[1], s.match))
        if len(out) >= config.per_passage:
            break
    return out


def dismissed_spans(session: Session, article_id: int) -> set[tuple[int, int, int]]:
    """(claim_id, start, end) an analyst rejected in this article: never proposed again."""
    return set(driver_rows(session, _SPANS.format(table=DismissedMatch.__tablename__), {"article": article_id}))


def linked_spans(session: Session, article_id: int) -> dict[int, list[tuple[int, int]]]:
    """claim_id -> spans already mentioning it in this article (any origin)."""
    out: dict[int, list[tuple[int, int]]] = {}
    for cid, start, end in driver_rows(session, _SPANS.format(table=Mention.__tablename__), {"article": article_id}):
        out.setdefault(cid, []).append((start, end))
    return out


# Read once or twice an article by every ingest: the driver's (storage.lookups.driver_rows), after
# the same flush an ORM query makes.
_SPANS = 'SELECT claim_id, start, "end" FROM {table} WHERE article_id = :article'


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(min(e, end) > max(s, start) for s, e in spans)


def matchable_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences matching looks at: all of them, up to MATCH_MAX_SENTENCES."""
    return sentence_spans(text)[:MATCH_MAX_SENTENCES]


def matchable_windows(text: str) -> list[tuple[int, int]]:
    """The passages matching scores: each matchable sentence, long ones cut into clause windows."""
    return list(_windows(text))


@lru_cache(maxsize=512)
def _windows(text: str) -> tuple[tuple[int, int], ...]:
    """Pure, so cached: matching back cuts the same stored articles for each new claim on their subject."""
    return tuple(w for start, end in matchable_sentences(text) for w in passage_windows(text, start, end))


# articles.window_stems (migration 0021): each matchable window of the text with its content stems,
# kept when the article is stored, so matching back into it reads them instead of cutting and
# stemming its sentences again (that was two thirds of matching back at 100,000 claims). The first
# line is this format's version: stems kept by another version (a change to stem()) are ignored
# and worked out from the text again. "2": the words of migration 0030 (pipeline.words: hyphenated
# prefixes joined, combining marks kept, contractions of stopwords left out), which refills them.
# A change to the words or to stem() changes claims.stems too: pipeline.matching.CLAIM_STEMS_VERSION
# ("s" and this one) moves with it.
WINDOW_STEMS_VERSION = "2"


def window_stems_text(text: str) -> str:
    """articles.window_stems for a text: the version, then a line a window: start, end, stems."""
    lines = [WINDOW_STEMS_VERSION]
    for start, end in _windows(text):
        lines.append(" ".join([str(start), str(end), *sorted(passage_stems(text[start:end]))]))
    return "\n".join(lines)


def article_windows(text: str, kept: str | None) -> Sequence[tuple[int, int, frozenset[str], Passage | None]]:
    """(start, end, stems, passage) of each matchable window of a stored article: from its kept
    stems when they are of this version (passage None: made only for a window that is scored, its
    words worked out only if it is aligned: see Passage), else prepared from its text."""
    windows = _kept_windows(kept) if kept else None
    if windows is None:
        return _windows_from_text(text)
    return [(start, end, stems, None) for start, end, stems in windows]


def _kept_windows(kept: str) -> tuple[tuple[int, int, frozenset[str]], ...] | None:
    """(start, end, stems) of each window of an article's kept stems, None when they are of
    another version: all of them (matching back reads only those it needs: _windows_sharing)."""
    lines = kept.split("\n")
    if lines[0] != WINDOW_STEMS_VERSION:
        return None
    out = []
    for line in lines[1:]:
        start, end, *stems = line.split(" ")
        out.append((int(start), int(end), frozenset(stems)))
    return tuple(out)


def _windows_sharing(kept: str, wanted: frozenset[str]) -> list[tuple[int, int, frozenset[str]]] | None:
    """The windows of an article's kept stems (window_stems_text) holding two of the `wanted` stems
    or more, as _kept_windows makes them, in the text's order; None when they are of another
    version. Only those lines are parsed: each wanted stem is looked for in the kept text as a
    whole word (" stem" ending at a space, a line's end or the text's), and counted once for the
    line it is on; a match on a line's end position (a number, as a stem may be) is not a stem.
    Matching back reads up to a dozen stored articles a new claim, most of them (at a million
    claims) never read before by the process: parsing each one's ~50 windows whole (its kept text
    is ~4 KB), to keep the few that share two words with the claim, was a twelfth of an ingest there."""
    head = kept.find("\n")
    if (kept[:head] if head >= 0 else kept) != WINDOW_STEMS_VERSION:
        return None
    if head < 0:
        return []      # no window at all
    found: dict[int, int] = {}      # line's offset -> wanted stems on it
    for word in wanted:
        needle = " " + word
        at = kept.find(needle, head)
        while at >= 0:
            after = at + len(needle)
            if after == len(kept) or kept[after] in " \n":
                line = kept.rfind("\n", 0, at) + 1
                if kept.find(" ", line) != at:          # not the line's end position
                    found[line] = found.get(line, 0) + 1
            at = kept.find(needle, after)
    out = []
    for line in sorted(at for at, n in found.items() if n >= 2):
        stop = kept.find("\n", line)
        start, end, *stems = kept[line:stop if stop >= 0 else len(kept)].split(" ")
        out.append((int(start), int(end), frozenset(stems)))
    return out


@lru_cache(maxsize=256)
@lru_cache(maxsize=256)
def _windows_from_text(text: str) -> tuple[tuple[int, int, frozenset[str], Passage], ...]:
    """An article stored before 0021 (or by another version): its windows prepared from the text.
    Pure, so cached (~40 KB an article of 4 KB)."""
    return tuple((start, end, p.stems, p) for start, end in _windows(text) for p in [prepare(text[start:end])])


@dataclass(slots=True, eq=False)
class StoredArticle:
    """What matching back reads of a stored article: its text and its kept window stems (None
    without: see article_windows), with the key that tells whether they still stand for the row
    (see _stored_articles), and its windows parsed (article_windows) once it is read a second time.
    Read once, only the windows a claim needs are found in the kept stems (_windows_sharing): at a
    million claims most neighbour articles are read once, and parsing all of an article's windows
    cost more than the search. Read again (the articles of a story, at 10,000 claims), testing each
    parsed window costs less than searching the kept text again (matching back 9.3-10.1 ms an
    article against 12.4-12.9 with the search alone). About 10 KB an article of 5 KB, 42 KB more
    once parsed. Two threads reading one entry at once may both parse it: the same windows."""

    key: tuple[str, bool]
    text: str
    kept: str | None
    windows: Sequence[tuple[int, int, frozenset[str], Passage | None]] | None = None
    read: int = 0     # how many times _near_windows read it


# Matching back's stored articles, kept (article id -> StoredArticle), least recently used first.
# The articles of a story come back as neighbours of claim after claim (7,111 lookups named 1,153
# articles over 300 articles into 10,000 claims): loading their rows again (~10 KB of text and kept
# stems each) and splitting the kept stems of those a cache of 512 by the string had lost (2,703)
# was near a third of matching back. 1,024 entries missed 1,202 times there (~10 MB of text and
# kept stems, ~50 MB once their windows are parsed: see StoredArticle).
STORED_ARTICLES: OrderedDict[int, StoredArticle] = OrderedDict()
STORED_ARTICLES_MAX = 1024
_STORED_LOCK = threading.Lock()

_ARTICLE_KEYS = {d: f"SELECT id, content_hash, window_stems IS NULL FROM articles WHERE id {members(d, 'ids')}"
                 for d in ("sqlite", "postgresql")}
_ARTICLE_ROWS = {d: f"SELECT id, content_hash, text, window_stems FROM articles WHERE id {members(d, 'ids')}"
                 for d in ("sqlite", "postgresql")}


def _stored_articles(session: Session, ids: Sequence[int]) -> dict[int, StoredArticle]:
    """The stored articles of `ids` that exist (a deleted one is left out), read once a process.

    An entry is taken only while its key, the row's content_hash and whether its window_stems is
    NULL, is the one the row has now (read first, a few dozen bytes a row); else the row is read
    again. What an entry holds is a function of the text (content_hash is its SHA-256)
    and of how the windows were got (kept stems of this version, or the text: see article_windows;
    kept stems are only ever window_stems_text(text), at insert or by a migration). So an id given
    to another text (ids are never reused, SQLite AUTOINCREMENT and PostgreSQL sequences, but an
    insert rolled back on SQLite gives its id again), a row another process deleted and re-made,
    or one whose kept stems a migration filled in are all read again."""
    if not ids:
        return {}
    dialect = session.get_bind().dialect.name
    out: dict[int, StoredArticle] = {}
    missing = []
    keys = driver_rows(session, _ARTICLE_KEYS[dialect], {"ids": list_value(dialect, ids)})
    with _STORED_LOCK:    # the web app ingests in threads: an entry may not leave between two steps
        for article_id, digest, no_kept in keys:
            entry = STORED_ARTICLES.get(article_id)
            if entry is not None and entry.key == (digest, bool(no_kept)):
                STORED_ARTICLES.move_to_end(article_id)
                out[article_id] = entry
            else:
                missing.append(article_id)
    if missing:
        read = [(article_id, StoredArticle((digest, kept is None), text, kept))
                for article_id, digest, text, kept in driver_rows(session, _ARTICLE_ROWS[dialect],
                                                                  {"ids": list_value(dialect, missing)})]
        with _STORED_LOCK:
            for article_id, entry in read:
                out[article_id] = STORED_ARTICLES[article_id] = entry
                STORED_ARTICLES.move_to_end(article_id)
            while len(STORED_ARTICLES) > STORED_ARTICLES_MAX:
                STORED_ARTICLES.popitem(last=False)
    return out


def _near_windows(stored: StoredArticle, here: list[tuple[int, str, frozenset[str]]],
                  weights: Mapping[str, float] | None = None, bars: Sequence[float] | None = None) -> list:
    """The windows of a stored article (see article_windows) that share two content stems or more
    with any of the claims in `here` (id, text, stems), each with those claims: score_match's own
    first test, made here for every window. The first time an article is read from its kept stems,
    only the windows holding two of the claims' stems are parsed (_windows_sharing); after, all of
    its windows, parsed once (see StoredArticle).
    With `bars` (one a claim of `here`: pipeline.matching.shared_weight_bar) a claim is also left
    out of a window whose stems it shares weigh less than its bar by `weights`: score_match would
    score the pair 0."""
    wanted = frozenset().union(*(c[2] for c in here))
    stored.read += 1
    if stored.windows is None and stored.read == 1 and stored.kept:
        found = _windows_sharing(stored.kept, wanted)
        if found is not None:
            near = []
            for start, end, stems in found:
                claims_here = _claims_near(here, wanted & stems, weights, bars)   # two shared at least
                if claims_here:
                    near.append(((start, end, stems, None), claims_here))
            return near
    if stored.windows is None:
        stored.windows = article_windows(stored.text, stored.kept)
    near = []
    for window in stored.windows:
        shared = wanted & window[2]
        if len(shared) < 2:
            continue
        claims_here = _claims_near(here, shared, weights, bars)
        if claims_here:
            near.append((window, claims_here))
    return near


def _claims_near(here: list[tuple[int, str, frozenset[str]]], shared: frozenset[str],
                 weights: Mapping[str, float] | None, bars: Sequence[float] | None) -> list:
    """The claims of `here` sharing two stems or more of `shared` (a window's), and with `bars`,
    stems weighing their bar at least (see _near_windows)."""
    if bars is None:
        return [c for c in here if len(c[2] & shared) >= 2]
    out = []
    for c, bar in zip(here, bars):
        common = c[2] & shared
        if len(common) >= 2 and (not bar or stems_weight(weights, common) >= bar):
            out.append(c)
    return out


def _claim_bars(session: Session, here: list[tuple[int, str, frozenset[str]]],
                config: MatchConfig) -> tuple[Mapping[str, float], dict[int, float]]:
    """The weights of the claims' stems and each claim's shared-weight bar by them (claim id ->
    pipeline.matching.shared_weight_bar): the pairs matching back scores need to reach it."""
    weights = match_weights(session, set().union(*(st for _, _, st in here)))
    return weights, {claim_id: shared_weight_bar(claim_weight_of(weights, claim_text), config.lexical_gate,
                                                 config.floor, config.scorer)
                     for claim_id, claim_text, _ in here}


def sentences_not_matched(text: str) -> int:
    return max(0, len(sentence_spans(text)) - MATCH_MAX_SENTENCES)


def sentence_decisions(session: Session, article: Article,
                       config: MatchConfig) -> list[tuple[int, int, Decision]]:
    """(start, end, decision) for every sentence of the article that carries a stored claim it
    does not mention yet there. Quotes were handled first, so their claims are already linked."""
    return [found for window in window_decisions(session, article, config) for found in window]


@dataclass(frozen=True)
class ReadyWindows:
    """Each matchable window of a text with its scored candidates (scored_candidates) and the
    search terms that found them (storage.search.claim_search_terms), worked out ahead by a worker
    process of `claimtracker ingest --workers N` (score_windows) from its own read of the store,
    with the vocabulary of the process that links (`vocab`: term_counts.snapshot_identity).

    That process takes a window's list only where it is the list it would make itself at that
    moment: the same vocabulary (the weights and the terms chosen), and no claim stored after the
    read (id above `since`: another article of the batch, or this one's statements) that holds one
    of the window's terms, the only way a new claim enters or changes a candidate list, since a
    batch ingest only adds claims. Else it scores the window itself, as without workers."""

    since: int
    vocab: tuple[int, float]
    windows: dict[tuple[int, int], tuple[tuple[str, ...], float, tuple[ScoredClaim, ...]]]
    # Matching back, for each statement of the article (the text of the claim it would start; not
    # for one a stored claim has the words of, which it most likely joins):
    # the article search's terms and bar (storage.search.ARTICLE_BARS), the stored articles it
    # found, and each (article id, start, end, match) scoring above 0 there; articles stored after
    # the read (id above articles_since) are checked as claims are above (see ready_back).
    articles_since: int = 0
    back: dict[str, tuple[tuple[str, ...], float, tuple[int, ...], tuple]] = field(default_factory=dict)
    # The same statements' own candidates (the claim a statement may join), as `windows`.
    statements: dict[str, tuple[tuple[str, ...], float, tuple[ScoredClaim, ...]]] = field(default_factory=dict)


def score_windows(session: Session, text: str, config: MatchConfig, vocab: tuple[int, float],
                  statements: Sequence[str] = ()) -> ReadyWindows:
    """ReadyWindows of a text and its statements: reads only (no embeddings: their vectors are
    not in this scheme)."""
    since = session.execute(select(func.max(Claim.id))).scalar() or 0
    articles_since = session.execute(select(func.max(Article.id))).scalar() or 0
    back: dict = {}
    own: dict = {}
    out = {}
    loaded: dict[int, StoredArticle] = {}
    bars = session.info[ARTICLE_BARS] = []
    claim_bars = session.info[CANDIDATE_BARS] = []

    def scored_with_bar(passage: str) -> tuple:
        claim_bars.clear()
        scored = tuple(scored_candidates(session, passage, config))
        return (*claim_bars[0], scored)     # claim_candidates_many notes one bar a list
    try:
        for statement in dict.fromkeys(statements):
            if find_matching_claim(session, statement) is not None:
                continue     # most likely joins that claim and starts none: no matching back
            bars.clear()
            back[statement] = _score_back(session, statement, config, loaded, bars)
            own[statement] = scored_with_bar(statement)
        windows = matchable_windows(text)
        for at in range(0, len(windows), WINDOWS_AHEAD):     # their candidates found together
            ahead = windows[at:at + WINDOWS_AHEAD]
            claim_bars.clear()
            pools = candidate_pools(session, [text[a:b] for a, b in ahead], config)
            for window, pool, bar in zip(ahead, pools, list(claim_bars)):
                out[window] = (*bar, tuple(scored_candidates(session, text[slice(*window)], config, pool=pool)))
    finally:
        session.info.pop(ARTICLE_BARS, None)
        session.info.pop(CANDIDATE_BARS, None)
    return ReadyWindows(since, vocab, out, articles_since, back, own)


def ready_statement(session: Session, ready: ReadyWindows | None, text: str,
                    config: MatchConfig) -> list[ScoredClaim] | None:
    """A statement's candidates as the worker scored them, when no claim stored since its read
    (this article's statements before this one too) might enter the list; else None."""
    if ready is None or config.embedder is not None or text not in ready.statements:
        return None
    if snapshot_identity(claims_vocabulary(session)) != ready.vocab:
        return None
    terms, bar, scored = ready.statements[text]
    added = NewRows(tuple(row) for row in session.execute(
        select(Claim.text, Claim.review_title).where(Claim.id > ready.since)))
    if added.may_enter(session, terms, bar):
        READY_WINDOWS["statement scored again"] += 1
        return None
    READY_WINDOWS["statement taken"] += 1
    return list(scored)


def _score_back(session: Session, text: str, config: MatchConfig, loaded: dict, bars: list) -> tuple:
    """earlier_decisions' reading and scoring for one claim text, as its loop does them (a pair's
    score depends on the claim and the window only: the weights are the vocabulary's)."""
    ids = neighbour_articles(session, text, 0)
    terms, bar = bars[0] if bars else ((), 0.0)
    missing = [i for i in ids if i not in loaded]
    if missing:
        loaded.update(_stored_articles(session, missing))
    here = [(0, text, claim_stems(text))]
    floor, gate = config.floor, config.lexical_gate
    entries = []
    table, bars = _claim_bars(session, here, config)
    for other_id in sorted(ids):
        if other_id not in loaded:
            continue
        stored = loaded[other_id]
        other_text = stored.text
        near = _near_windows(stored, here, table, [bars[0]])
        if not near:
            continue
        weights = match_weights(session, set().union(*(w[2] for w, _ in near), here[0][2]))
        if weights is not table:    # as in earlier_decisions
            near = _near_windows(stored, here)
            weights = match_weights(session, set().union(*(w[2] for w, _ in near), here[0][2]))
            table, bars = _claim_bars(session, here, config)
        claim_weight = claim_weight_of(weights, text)
        for (start, end, stems, passage), _ in near:
            if passage is None:
                passage = Passage(other_text[start:end], stems, None)
            match = score_match(text, passage, weights, floor, config.scorer, gate, claim_weight=claim_weight)
            if match.score > 0:
                entries.append((other_id, start, end, match))
    return terms, bar, tuple(ids), tuple(entries)


def ready_back(session: Session, article: Article, texts: list[str], ready: ReadyWindows | None,
               config: MatchConfig) -> dict | None:
    """The worker's matching back for each of `texts` when all of it may be taken: the same
    vocabulary, each text scored, and no article stored since the worker's read (but this one,
    which the search leaves out) that might enter a text's list of articles; else None."""
    if ready is None or config.embedder is not None or any(t not in ready.back for t in texts):
        return None
    if snapshot_identity(claims_vocabulary(session)) != ready.vocab:
        return None
    added = NewRows((row[0],) for row in session.execute(
        select(Article.text).where(Article.id > ready.articles_since, Article.id != article.id)))
    if any(added.may_enter(session, ready.back[t][0], ready.back[t][1]) for t in texts):
        READY_WINDOWS["back scored again"] += 1
        return None
    READY_WINDOWS["back taken"] += 1
    return {t: ready.back[t] for t in texts}


def _ready_lists(session: Session, ready: ReadyWindows | None, config: MatchConfig):
    """A function (start, end) -> the window's ready list when it may be taken (see ReadyWindows),
    else None."""
    if ready is None or config.embedder is not None:
        return lambda start, end: None
    added = NewRows(tuple(row) for row in session.execute(
        select(Claim.text, Claim.review_title).where(Claim.id > ready.since)))

    def take(start: int, end: int) -> list[ScoredClaim] | None:
        found = ready.windows.get((start, end))
        if found is None or snapshot_identity(claims_vocabulary(session)) != ready.vocab:
            READY_WINDOWS["other vocabulary"] += 1
            return None
        terms, bar, scored = found
        if added.may_enter(session, terms, bar):
            READY_WINDOWS["scored again"] += 1
            return None
        READY_WINDOWS["taken"] += 1
        return list(scored)
    return take


# Windows of this process's ingests whose ready list was taken or scored again (for benchmarks).
READY_WINDOWS: Counter = Counter()

# Windows whose candidates window_decisions finds together (storage.search.claim_candidates_many).
WINDOWS_AHEAD = 64


def window_decisions(session: Session, article: Article, config: MatchConfig,
                     ready: ReadyWindows | None = None) -> Iterator[list[tuple[int, int, Decision]]]:
    """sentence_decisions window by window, so a caller may write what one stretch of the text
    decided before reading the next (what it writes, mentions of this article, is no input here:
    the spans already linked are read once, at the start). `ready`: the windows' candidates
    scored by a worker process, taken where still right (see ReadyWindows). A sentence's list-item
    suggestions (clause_decisions) come after its last window, those corroborated_items keeps."""
    linked = linked_spans(session, article.id)
    dismissed = dismissed_spans(session, article.id)
    windows = matchable_windows(article.text)
    if config.embedder is not None:   # one batched pass; each window's lookup then hits the cache
        config.embedder.encode([clean_post(article.text[start:end]) for start, end in windows])
    take = _ready_lists(session, ready, config)
    held: list[tuple[int, int, Decision]] = []     # the sentence's list-item decisions (clause_decisions)
    sentence = None
    pools: dict[tuple[int, int], Pool] = {}
    for at, (start, end) in enumerate(windows):
        around = sentence_around(article.text, start, end)
        if around != sentence:
            if held:
                yield corroborated_items(session, article.id, held, linked, sentence)
            held, sentence = [], around
        passage = article.text[start:end]
        scored = take(start, end)
        if scored is None:
            if (start, end) not in pools:
                # The next windows' candidates found together (what this phase writes, mentions,
                # changes no candidate list); a window a worker scored (`ready`) alone, when asked.
                ahead = windows[at:at + WINDOWS_AHEAD] if ready is None else [(start, end)]
                pools = dict(zip(ahead, candidate_pools(session, [article.text[a:b] for a, b in ahead], config)))
            scored = scored_candidates(session, passage, config, pool=pools[(start, end)])
        skip = {s.claim_id for s in scored
                if _overlaps(linked.get(s.claim_id, []), start, end)
                or (s.claim_id, start, end) in dismissed}
        out = []
        speakers = stance_speakers(session, passage, scored, config, skip)
        for d in passage_decisions(scored, config, skip, passage, speakers):
            out.append((start, end, d))
            linked.setdefault(d.claim_id, []).append((start, end))
        taken = skip | {d.claim_id for _, _, d in out}
        clauses = clause_decisions(session, article.text, start, end, scored, config, taken,
                                   clause_speakers(session, passage, scored, taken),
                                   config.per_passage - len(out))
        held += [(a, b, d) for a, b, d in clauses if (d.claim_id, a, b) not in dismissed]
        yield out
    if held:
        yield corroborated_items(session, article.id, held, linked, sentence)


def neighbour_articles(session: Session, claim_text: str, exclude: int) -> list[int]:
    """Stored articles that may carry a new claim: the article index asked for the claim's rarest
    words, best ranked first, at most MATCH_EARLIER_ARTICLES."""
    return article_candidates(session, query_terms(claim_text, MATCH_QUERY_TERMS),
                              MATCH_EARLIER_ARTICLES, exclude=exclude)


def earlier_decisions(session: Session, article: Article, claims: list[Claim],
                      config: MatchConfig, ready: ReadyWindows | None = None) -> list[tuple[Article, int, int, Decision]]:
    """The claims an article just created, matched against the sentences of stored articles on the
    same subject: a statement first quoted today may have been paraphrased or denied yesterday,
    and matching only forward would never link that outlet. Same scores and thresholds as forward
    matching; rejected suggestions stay rejected; spans already mentioning the claim are skipped.
    `ready`: the searches and scores a worker process made ahead, taken when still right (see
    ready_back)."""
    taken_back = ready_back(session, article, [c.text for c in claims], ready, config)
    if taken_back is not None:
        return _replayed_decisions(session, claims, taken_back, config)
    wanted: dict[int, list[Claim]] = {}
    for claim in claims:
        for article_id in neighbour_articles(session, claim.text, article.id):
            wanted.setdefault(article_id, []).append(claim)
    if not wanted:
        return []
    ids, claim_ids = sorted(wanted), [c.id for c in claims]
    taken = _taken_spans(session, ids, claim_ids)
    floor, gate = config.floor, config.lexical_gate
    taking = _BackTaking(session, claim_ids, taken, config)
    # Each claim's shared-weight bar: most pairs sharing two stems share only common words and
    # score 0; they are left out before their window is made (see _near_windows).
    table, bars = _claim_bars(session, [(c.id, c.text, claim_stems(c.text)) for c in claims], config)
    found: list[tuple[int, int, int, Decision]] = []
    stored_articles = _stored_articles(session, ids)
    for other_id in ids:
        stored = stored_articles.get(other_id)
        if stored is None:    # deleted since the search
            continue
        text = stored.text
        here = [(c.id, c.text, claim_stems(c.text)) for c in wanted[other_id]]
        near = _near_windows(stored, here, table, [bars[c[0]] for c in here])
        if not near:
            continue
        weights = match_weights(session, set().union(*(w[2] for w, _ in near), *(st for _, _, st in here)))
        if weights is not table:    # the vocabulary was taken again meanwhile: no pair left out by it
            near = _near_windows(stored, here)
            weights = match_weights(session, set().union(*(w[2] for w, _ in near), *(st for _, _, st in here)))
            table, bars = _claim_bars(session, [(c.id, c.text, claim_stems(c.text)) for c in claims], config)
        claim_weights = {claim_id: claim_weight_of(weights, claim_text) for claim_id, claim_text, _ in here}
        for (start, end, stems, passage), claims_here in near:
            if passage is None:
                passage = Passage(text[start:end], stems, None)
            for claim_id, claim_text, _ in claims_here:
                if not taking.free(other_id, start, end, claim_id):
                    continue
                match = score_match(claim_text, passage, weights, floor, config.scorer, gate,
                                    claim_weight=claim_weights[claim_id])
                decision = taking.take(other_id, text, start, end, claim_id, claim_text, match)
                if decision is not None:
                    found.append((other_id, start, end, decision))
    return _with_articles(session, _best_per_claim(found, MATCH_EARLIER_ARTICLES))


class _BackTaking:
    """Matching back's decide-and-take step, which earlier_decisions' loop and the replay of a
    worker's scores (_replayed_decisions) both run pair by pair in the same order. `taken`: the
    spans already mentioning a claim or rejected for it (see _taken_spans), to which each decision
    adds its span. The claims' speakers are looked up once, at the first passage scoring above 0
    that names a source."""

    def __init__(self, session: Session, claim_ids: list[int], taken: dict, config: MatchConfig) -> None:
        self.session, self.claim_ids, self.taken, self.config = session, claim_ids, taken, config
        self.speakers: dict[int, str | None] | None = None

    def free(self, other_id: int, start: int, end: int, claim_id: int) -> bool:
        """The span is not taken for the claim yet (asked before scoring it: scoring is the work)."""
        return not _overlaps(self.taken.get((claim_id, other_id), []), start, end)

    def take(self, other_id: int, text: str, start: int, end: int, claim_id: int, claim_text: str,
             match: MatchScore) -> Decision | None:
        """The decision on a free span of stored article `other_id` (its text `text`) scored
        `match` for the claim, which takes the span; None for a score of 0 or no decision."""
        if match.score <= 0:
            return None
        passage = text[start:end]
        if self.speakers is None and reads_speaker(passage):
            self.speakers = claim_speakers(self.session, self.claim_ids)
        speaker = self.speakers.get(claim_id) if self.speakers else None
        verdict = judge(match, self.config, claim_text, passage, speaker)
        if verdict is None:
            return None
        self.taken.setdefault((claim_id, other_id), []).append((start, end))
        return Decision(claim_id, verdict[0], verdict[1], match)


def _taken_spans(session: Session, ids: list[int], claim_ids: list[int]) -> dict:
    """(claim id, article id) -> the spans of those articles already mentioning the claim or
    rejected for it: matching back never proposes them again. One statement for both tables,
    sent to the driver (two ORM queries with their IN lists built were 7 % of matching back)."""
    dialect = session.get_bind().dialect.name
    params = {"a": list_value(dialect, ids), "c": list_value(dialect, claim_ids)}
    taken: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for claim_id, article_id, start, end in driver_rows(session, _TAKEN_SQL[dialect], params):
        taken.setdefault((claim_id, article_id), []).append((start, end))
    return taken


def _taken_sql(dialect: str) -> str:
    return " UNION ALL ".join(
        f'SELECT claim_id, article_id, start, "end" FROM {table} '
        f"WHERE article_id {members(dialect, 'a')} AND claim_id {members(dialect, 'c')}"
        for table in (Mention.__tablename__, DismissedMatch.__tablename__))


_TAKEN_SQL = {dialect: _taken_sql(dialect) for dialect in ("sqlite", "postgresql")}


def _replayed_decisions(session: Session, claims: list[Claim], back: dict, config: MatchConfig) -> list:
    """earlier_decisions' loop over the worker's scores: the same articles in the same order (by
    id), windows in the text's order and claims in the given order within a window, so the same
    spans are taken first and the same decisions made."""
    wanted: dict[int, list[Claim]] = {}
    for claim in claims:
        for article_id in back[claim.text][2]:
            wanted.setdefault(article_id, []).append(claim)
    if not wanted:
        return []
    ids, claim_ids = sorted(wanted), [c.id for c in claims]
    taken = _taken_spans(session, ids, claim_ids)
    pairs = []
    for order, claim in enumerate(claims):
        for other_id, start, end, match in back[claim.text][3]:
            pairs.append((other_id, start, end, order, claim, match))
    pairs.sort(key=lambda p: p[:4])
    texts = dict(session.execute(select(Article.id, Article.text)
                                 .where(Article.id.in_({p[0] for p in pairs}))).all()) if pairs else {}
    found: list[tuple[int, int, int, Decision]] = []
    taking = _BackTaking(session, claim_ids, taken, config)
    for other_id, start, end, _, claim, match in pairs:
        if other_id in texts and taking.free(other_id, start, end, claim.id):
            decision = taking.take(other_id, texts[other_id], start, end, claim.id, claim.text, match)
            if decision is not None:
                found.append((other_id, start, end, decision))
    return _with_articles(session, _best_per_claim(found, MATCH_EARLIER_ARTICLES))


def _with_articles(session: Session,
                   found: list[tuple[int, int, int, Decision]]) -> list[tuple[Article, int, int, Decision]]:
    """(article, start, end, decision) for each (article id, ...) found, in order; their id and
    text only (what linking them reads): their other columns and their outlet (joined by default)
    are never read. An article deleted since it was read is left out (its mention could not be
    written: see article_linking._link_earlier_articles)."""
    if not found:
        return []
    stored = select(Article).options(load_only(Article.id, Article.text), lazyload(Article.outlet))
    rows = {a.id: a for a in session.scalars(stored.where(Article.id.in_({f[0] for f in found})))}
    return [(rows[i], start, end, d) for i, start, end, d in found if i in rows]


def _best_per_claim(found: list, most: int) -> list:
    """At most `most` of the (article id, start, end, decision) found for each claim, best score
    first: a claim on a story every article tells must not flood the queue with the whole archive."""
    found = sorted(found, key=lambda f: (-f[3].match.score, f[0], f[1]))
    kept: dict[int, int] = {}
    out = []
    for item in found:
        n = kept.get(item[3].claim_id, 0)
        if n < most:
            out.append(item)
            kept[item[3].claim_id] = n + 1
    return out


def claims_by_id(session: Session, ids: set[int]) -> dict[int, Claim]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)))}
