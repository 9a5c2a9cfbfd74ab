"""Linking an article: each quotation's statements join the claim they restate or start one, then
every sentence is matched against the stored claims, then the claims it created against the stored
articles, then passages copied without quotation marks.

Every step reads first and writes after (see write_steps.WriteSteps): what it matches is decided
with no write pending, so an ingest that commits its steps holds SQLite's write lock only while one
step writes. A statement is one step (the next one may restate the claim it made: within-article
repeats join it, as they always did); the sentence, earlier-article and copied-passage phases read
all they need at once and write in steps of STEP_ROWS rows."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.domain.linking import (
    add_mention,
    another_statement,
    claim_speakers,
    find_matching_claim,
    forget_identities,
    IdentitiesAhead,
    hold_loaded_rows,
    identities_read_together,
    index_claim_text,
    mention_keys,
    release_loaded_rows,
    text_hashes,
)
from app.domain.match_types import Decision
from app.domain.matching import (
    MatchConfig,
    ReadyWindows,
    claims_by_id,
    earlier_decisions,
    earlier_paraphrase,
    joinable_claim,
    passage_decisions,
    ready_statement,
    scored_candidates,
    sentences_not_matched,
    stance_speakers,
    window_decisions,
    window_stems_text,
)
from app.domain.passages import link_repeated_passages
from app.domain.people import SPEAKER_MEMO, find_speaker, get_or_create_speaker, speaker_remembered
from app.domain.vectors import store_vectors
from app.domain.write_steps import STEP_ROWS, STEP_WINDOWS, WriteSteps
from app.pipeline.claims import Statement, fidelity, joined_halves, normalized_key, split_statements
from app.pipeline.constants import MATCH_MAX_SENTENCES
from app.pipeline.quotes import QuoteCandidate, continues, extract_quotes
from app.pipeline.stance import reads_speaker, stance
from app.storage.models import Article, Claim, Quote


@dataclass(frozen=True)
class QuoteUnit:
    """One quotation to store and link, or two halves of one split by its attribution ('"If the
    port does not pay," Lopez said, "the night shift will go."'), with the statements it makes:
    of the quotation, or of the joined halves (text up to head_end is the first half's, text from
    tail_start the second's; see pipeline.claims.joined_halves)."""

    quote: QuoteCandidate
    claimable: bool                       # False: a reported clause framing a quotation
    statements: list[Statement]
    second: QuoteCandidate | None = None
    head_end: int = 0
    tail_start: int = 0


@dataclass(frozen=True)
class ArticlePlan:
    """What linking an article will work through, found from its text alone before anything is
    written: extraction and statement splitting hold no database lock. The work is bounded
    (MatchConfig.max_quotes quotations an article, max_statements statements a quotation; the
    sentences matched are bounded by MATCH_MAX_SENTENCES), and what a bound left out is counted
    and said in `notes`."""

    units: list[QuoteUnit]
    left_out: dict[str, int]
    notes: tuple[str, ...]
    window_stems: str | None = None    # Article.window_stems (matching.window_stems_text)
    # The sentence windows' candidates scored ahead by a worker process (ingest --workers N), or None.
    ready: ReadyWindows | None = None


def plan_article(text: str, config: MatchConfig) -> ArticlePlan:
    found = _quotes_in_linking_order(text)
    kept = found[:config.max_quotes]
    units: list[QuoteUnit] = []
    cut = i = 0
    while i < len(kept):
        cand, claimable = kept[i]
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        if claimable and nxt is not None and nxt[1] and continues(text, cand, nxt[0]):
            joined, head_end, tail_start = joined_halves(cand.text, nxt[0].text)
            pieces = split_statements(joined)
            units.append(QuoteUnit(cand, True, pieces[:config.max_statements], nxt[0], head_end, tail_start))
            i += 2
        else:
            pieces = split_statements(cand.text) if claimable else []
            units.append(QuoteUnit(cand, claimable, pieces[:config.max_statements]))
            i += 1
        cut += max(0, len(pieces) - config.max_statements)
    left_out = {"quotes_not_linked": len(found) - len(kept), "statements_not_linked": cut,
                "sentences_not_matched": sentences_not_matched(text)}
    notes = []
    if left_out["quotes_not_linked"]:
        notes.append(f"only the first {len(kept):,} of its {len(found):,} quotations were stored and "
                     f"linked (the limit is {config.max_quotes:,} an article: "
                     "CLAIMTRACKER_MAX_ARTICLE_QUOTES)")
    if cut:
        notes.append(f"{cut:,} statements past the first {config.max_statements:,} of a quotation "
                     "were not linked (CLAIMTRACKER_MAX_QUOTE_STATEMENTS)")
    if left_out["sentences_not_matched"]:
        notes.append(f"only its first {MATCH_MAX_SENTENCES:,} sentences were matched against the "
                     f"stored claims ({left_out['sentences_not_matched']:,} were not)")
    return ArticlePlan(units, {k: n for k, n in left_out.items() if n or k == "sentences_not_matched"},
                       tuple(notes), window_stems_text(text))


def _quotes_in_linking_order(text: str) -> list[tuple[QuoteCandidate, bool]]:
    """Quotations in marks first, then reported speech; a reported clause that carries a quotation
    is stored but makes no claim of its own: the quoted words are the claim, the clause its frame.
    Nor do reported words without a clause ("criticized the plan as a giveaway"): see
    QuoteCandidate.states."""
    found = extract_quotes(text)
    marked = [q for q in found if q.kind != "reported"]
    reported = [(q, q.states and not any(q.start <= m.start and m.end <= q.end for m in marked))
                for q in found if q.kind == "reported"]
    return [(q, True) for q in marked] + reported


def link_article(session: Session, article: Article, config: MatchConfig,
                 plan: ArticlePlan | None = None, commit: bool = False, new_article: bool = False) -> dict[str, int]:
    """Quotes first (each statement joins a claim or starts one), then every sentence against the
    stored claims, so a paraphrase in an outlet's own words is linked or suggested too.
    `commit=True` commits each step (see WriteSteps) but the last (the recount, with the
    passages' runs), which the caller commits with its own write that follows at once
    (ingest_article marks the article complete); else the caller's transaction holds them all.
    `new_article`: the article was just stored by the caller, so it has no mentions to read first:
    in the caller's transaction none can exist (a mention's foreign key needs the article's row,
    which no other transaction sees); committing, a mention another writer makes meanwhile is found
    by the step that would write its span (WriteSteps.sync_known), as one made a moment later."""
    hold_loaded_rows(session)
    session.info[SPEAKER_MEMO] = {}
    try:
        steps = WriteSteps(session, article.id, commit)
        return _link_article(session, article, config, plan or plan_article(article.text, config), steps,
                             new_article)
    finally:
        session.info.pop(SPEAKER_MEMO, None)
        release_loaded_rows(session)


def _link_article(session: Session, article: Article, config: MatchConfig, plan: ArticlePlan,
                  steps: WriteSteps, new_article: bool = False) -> dict[str, int]:
    counts = {"quotes": 0, "new_claims": 0, "mentions": 0, "suggestions": 0, **plan.left_out}
    created: list[Claim] = []
    known = set() if new_article else mention_keys(session, article.id)
    forget_identities(session)
    for unit in plan.units:
        quotes = [_new_quote(steps, session, article, cand) for cand in (unit.quote, unit.second) if cand]
        counts["quotes"] += len(quotes)
        for st in unit.statements:
            if len(quotes) == 1:
                spans = [(quotes[0], (unit.quote.start + st.start, unit.quote.start + st.end))]
            else:
                spans = _split_spans(st, unit, *quotes)
            _link_statement(steps, session, article, st.text, spans, config, counts, known, created, quotes,
                            plan.ready)
        if quotes[0].id is None:      # no statement wrote them: a reported clause framing a quotation
            with steps.write():
                _store_quotes(session, quotes)
    if config.embedder is not None and created:
        config.embedder.encode([c.text for c in created])     # the work, before the step: cached
        with steps.write():
            store_vectors(session, config.embedder, config.embedder_model, [(c.id, c.text) for c in created])
    link_sentences(steps, session, article, config, counts, known, plan.ready)
    _link_earlier_articles(steps, session, article, created, config, counts, plan.ready)
    links, suggestions = link_repeated_passages(steps, session, article)
    counts["mentions"] += links
    counts["suggestions"] += suggestions
    steps.finish(then_write=True)     # the caller marks the article complete: see link_article
    return counts


def _split_spans(st: Statement, unit: QuoteUnit, quote_a: Quote, quote_b: Quote) -> list:
    """A quotation split by its attribution makes the statements of its joined halves; a statement
    running across the split has a mention on each side (each half renders part of it)."""
    a, b = unit.quote, unit.second
    head_end, tail_start = unit.head_end, unit.tail_start
    spans = []
    if st.start < head_end:
        spans.append((quote_a, (a.start + st.start, a.start + min(st.end, head_end))))
    if st.end > tail_start:
        spans.append((quote_b, (b.start + max(st.start, tail_start) - tail_start,
                                b.start + st.end - tail_start)))
    return spans


def link_sentences(steps: WriteSteps, session: Session, article: Article, config: MatchConfig,
                   counts: dict[str, int], known: set, ready: ReadyWindows | None = None) -> None:
    """Every sentence against the stored claims, written a stretch at a time (STEP_WINDOWS
    sentences or STEP_ROWS mentions): reading the next stretch leaves the lock to other writers,
    where a run of write steps back to back would keep a waiting writer out until its end (SQLite
    hands the lock to whoever asks first after a commit, and a waiter asks every 100 ms).
    `ready`: candidates a worker process scored ahead (see matching.ReadyWindows)."""
    batch: list[tuple[int, int, Decision]] = []
    windows = 0
    for found in window_decisions(session, article, config, ready):
        batch += found
        windows += 1
        if len(batch) >= STEP_ROWS or (batch and windows >= STEP_WINDOWS):
            _write_sentence_mentions(steps, session, article, batch, counts, known)
            batch, windows = [], 0
    _write_sentence_mentions(steps, session, article, batch, counts, known)


def _write_sentence_mentions(steps: WriteSteps, session: Session, article: Article, batch: list,
                             counts: dict[str, int], known: set) -> None:
    if not batch:
        return
    claims = claims_by_id(session, {d.claim_id for _, _, d in batch})
    judged = [fidelity(claims[d.claim_id].text, article.text[start:end], quoted=False) for start, end, d in batch]
    with steps.write() as touched:
        live = steps.live_claims(claims)
        steps.sync_known(known, ((d.claim_id, article.id, start, end) for start, end, d in batch))
        for (start, end, d), judged_ in zip(batch, judged):
            if d.claim_id in live and add_mention(
                    session, claims[d.claim_id], article, start, end, stance=d.stance, origin=d.origin,
                    quoted=False, score=d.match.score, flush=False, known=known, judged=judged_):
                counts["suggestions" if d.origin == "suggested" else "mentions"] += 1
                touched.add(d.claim_id)


def _link_earlier_articles(steps: WriteSteps, session: Session, article: Article, created: list[Claim],
                           config: MatchConfig, counts: dict[str, int], ready: ReadyWindows | None = None) -> None:
    """The claims this article created, linked or suggested in the stored articles that carried
    them first (see matching.earlier_decisions); counted apart in the ingest event."""
    counts["earlier_mentions"] = counts["earlier_suggestions"] = 0
    if not created:
        return
    by_id = {c.id: c for c in created}
    # The claims are new: outside this article they have only the mentions added here (and, while
    # steps commit, what another writer added meanwhile: sync_known), so the keys added in this
    # loop are all add_mention must check (no query per mention).
    added: set = set()
    found = earlier_decisions(session, article, created, config, ready)
    judged = [fidelity(by_id[d.claim_id].text, other.text[start:end], quoted=False)
              for other, start, end, d in found]
    for at in range(0, len(found), STEP_ROWS):
        batch = found[at:at + STEP_ROWS]
        with steps.write(recount=True) as touched:
            live = steps.live_claims(d.claim_id for _, _, _, d in batch)
            there = steps.stored_articles(other.id for other, _, _, _ in batch)
            steps.sync_known(added, ((d.claim_id, other.id, start, end) for other, start, end, d in batch))
            for (other, start, end, d), judged_ in zip(batch, judged[at:at + STEP_ROWS]):
                if d.claim_id in live and other.id in there and add_mention(
                        session, by_id[d.claim_id], other, start, end, stance=d.stance, origin=d.origin,
                        quoted=False, score=d.match.score, flush=False, known=added, judged=judged_):
                    counts["earlier_suggestions" if d.origin == "suggested" else "earlier_mentions"] += 1
                    touched.add(d.claim_id)


def _new_quote(steps: WriteSteps, session: Session, article: Article, cand: QuoteCandidate) -> Quote:
    """The quote's row, not added yet: the step of its first statement writes it. Its speaker is
    found now, by reading when its name is known (from memory when it was looked up since the last
    speaker was written), else in a step of its own (the lookup may write a speaker, an alias or a
    new name): a step, a commit, only for a new name."""
    if speaker_remembered(session, cand.speaker) or find_speaker(session, cand.speaker, cand.sex) is not None:
        speaker = get_or_create_speaker(session, cand.speaker, cand.sex)
    else:
        with steps.write():
            speaker = get_or_create_speaker(session, cand.speaker, cand.sex)
    return Quote(article_id=article.id, speaker_id=speaker.id if speaker else None,
                 speaker_name=cand.speaker, start=cand.start, end=cand.end, text=cand.text,
                 cue=(cand.cue or None) and cand.cue[:100], kind=cand.kind)


def _store_quotes(session: Session, quotes: list[Quote]) -> None:
    """Write the quotes not written yet, in order (their ids are needed by the mentions)."""
    unsaved = [q for q in quotes if q.id is None]
    if unsaved:
        session.add_all(unsaved)
        session.flush()


@dataclass(frozen=True)
class StatementLinks:
    """What a statement's step will write, decided by reading only: the claim it joins (None: it
    starts one) with the join's score, and the other claims it is linked to or suggested for."""

    claim_id: int | None
    score: float | None
    others: list[tuple[Claim, Decision, str]]     # (claim, decision, origin)


def _link_statement(steps: WriteSteps, session: Session, article: Article, text: str, spans: list,
                    config: MatchConfig, counts: dict[str, int], known: set, created: list[Claim],
                    quotes: list[Quote], ready: ReadyWindows | None = None) -> None:
    """One statement, one step: decide by reading, then write (reading again under the step's
    lock when another writer made or merged a claim meanwhile); the first statement of a
    quotation writes its quote rows too."""
    quote = spans[0][0]
    mark = steps.mark()
    links = _statement_links(session, article, quote, text, config, ready, created)
    with steps.write() as touched:
        if steps.stale(mark):
            links = _statement_links(session, article, quote, text, config, ready, created)
        _store_quotes(session, quotes)
        _write_statement(steps, session, article, text, spans, links, counts, known, created, touched)


def _statement_links(session: Session, article: Article, quote: Quote, text: str,
                     config: MatchConfig, ready: ReadyWindows | None = None,
                     created: list[Claim] = ()) -> StatementLinks:
    """Join the claim this statement restates (same words, a shared 8-word run, or a score above
    the link threshold) or start a new one; close-but-not-sure claims become suggestions here.
    A statement that starts a claim is also proposed, once, on the earlier claim of the same
    speaker and moment it may paraphrase (matching.earlier_paraphrase; not on the claims this
    article made: a speaker's next sentence is another statement).
    `ready`: its candidates as a worker scored them, taken when still right (ready_statement)."""
    # The candidates' identities (another_statement) read in one query, as they are first asked.
    with identities_read_together(session) as ahead:
        return _read_statement_links(session, article, quote, text, config, ready, created, ahead)


def _read_statement_links(session: Session, article: Article, quote: Quote, text: str,
                          config: MatchConfig, ready: ReadyWindows | None, created: list[Claim],
                          ahead: IdentitiesAhead) -> StatementLinks:
    claim_id, score, scored = find_matching_claim(session, text), None, []
    others: set[int] = set()   # claims it must not join: another speaker or moment, or not a repeat
    if claim_id is not None and not _same_statement(session, claim_id, text, quote, article, config):
        others.add(claim_id)
        claim_id = None
    if claim_id is None:
        scored = ready_statement(session, ready, text, config)
        if scored is None:
            scored = scored_candidates(session, text, config)
        ahead.askable.update(s.claim_id for s in scored)
        for _ in range(JOIN_TRIES):
            join = joinable_claim(session, text, [s for s in scored if s.claim_id not in others], config)
            if join is None:
                break
            if _same_statement(session, join.claim_id, text, quote, article, config):
                claim_id, score = join.claim_id, join.match.score
                break
            others.add(join.claim_id)
    skip = set() if claim_id is None else {claim_id}
    decisions = passage_decisions(scored, config, skip=skip, passage=text,
                                  speakers=stance_speakers(session, text, scored, config, skip))
    loaded = claims_by_id(session, {d.claim_id for d in decisions})   # one query, not one a decision
    linked = []
    for d in decisions:
        origin = d.origin
        if origin == "extracted" and (d.claim_id in others or another_statement(
                session, d.claim_id, quote.speaker_id, article.published)):
            origin = "suggested"   # the same words from another speaker or moment: proposed only
        linked.append((loaded[d.claim_id], d, origin))
    if claim_id is None:
        here = {c.id for c in created}
        same = earlier_paraphrase(
            session, text, scored, config,
            lambda cid: cid not in here and not another_statement(session, cid, quote.speaker_id,
                                                                  article.published),
            {d.claim_id for d in decisions})
        if same is not None:
            linked.append((claims_by_id(session, {same.claim_id})[same.claim_id], same, "suggested"))
    return StatementLinks(claim_id, score, linked)


def _write_statement(steps: WriteSteps, session: Session, article: Article, text: str, spans: list,
                     links: StatementLinks, counts: dict[str, int], known: set, created: list[Claim],
                     touched: set[int]) -> None:
    """The statement's mention on each span of its claim (started here when none was joined), and
    one on the first span for each other claim decided."""
    (quote, span), rest = spans[0], spans[1:]
    quoted = quote.kind != "reported"
    keys = [(o.id, article.id, *span) for o, _, _ in links.others]
    if links.claim_id is None:
        claim = Claim(text=text, norm_hash=text_hashes(text)[0], speaker_id=quote.speaker_id)
        session.add(claim)
        session.flush()
        index_claim_text(session, claim.id, claim.text, new=True)
        counts["new_claims"] += 1
        created.append(claim)
    else:
        claim = session.get(Claim, links.claim_id)
        keys += [(claim.id, article.id, *s) for _, s in spans]
    steps.sync_known(known, keys)
    if add_mention(session, claim, article, *span, quote_id=quote.id, quoted=quoted, score=links.score,
                   flush=False, known=known):
        counts["mentions"] += 1
        touched.add(claim.id)
    for other, d, origin in links.others:
        if add_mention(session, other, article, *span, stance=d.stance, origin=origin,
                       quote_id=quote.id, quoted=quoted, score=d.match.score, flush=False,
                       known=known):
            counts["suggestions" if origin == "suggested" else "mentions"] += 1
            touched.add(other.id)
    for quote, span in rest:
        if add_mention(session, claim, article, *span, quote_id=quote.id, flush=False, known=known):
            counts["mentions"] += 1
            touched.add(claim.id)


# Candidates a statement may try to join, best first, before it starts a claim of its own.
JOIN_TRIES = 3


def _same_statement(session: Session, claim_id: int, text: str, quote: Quote, article: Article,
                    config: MatchConfig) -> bool:
    """May this statement join the claim: the same speaker and moment (see another_statement), and
    a plain repeat by the stance model ("The authority may open the gates, officials say" only
    discusses "The authority will open the gates": it is proposed beside it, not joined)."""
    if another_statement(session, claim_id, quote.speaker_id, article.published):
        return False
    claim = session.get(Claim, claim_id)
    if normalized_key(claim.text) == normalized_key(text):
        return True
    speaker = claim_speakers(session, [claim_id]).get(claim_id) if reads_speaker(text) else None
    read = stance(claim.text, text, speaker=speaker)
    return read.label == "repeats" and read.prob >= config.stance_confidence
