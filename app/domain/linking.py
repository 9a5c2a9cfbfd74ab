"""How a quote becomes a claim or a mention of one: the rule that links outlets without an analyst."""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import bindparam, delete, event, func, null, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.pipeline.claims import fidelity, normalize_words, shingles
from app.pipeline.constants import MIN_SHARED_RUN
from app.pipeline.person_names import parse_person
from app.storage.lookups import driver_insert_many, live_claim_sharing_most, live_claim_with_words
from app.storage.models import Article, Claim, ClaimShingle, Mention, Speaker


#: Mentions that count as an outlet carrying a claim: everything but suggestions awaiting an analyst.
LINKED = Mention.origin != "suggested"


def stable_hash(text: str) -> int:
    """63-bit hash that is the same in every process and fits a signed BIGINT."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def text_hashes(text: str) -> tuple[int, set[int]]:
    words = normalize_words(text)
    return stable_hash(" ".join(words)), {stable_hash(s) for s in shingles(words, MIN_SHARED_RUN)}


def index_claim_text(session: Session, claim_id: int, text: str, new: bool = False) -> None:
    """(Re)build the shingle rows that let later quotes find this claim. `new`: the claim was
    inserted in this transaction, so it has none yet (a shingle's foreign key needs the claim's
    row, which no other transaction sees before this one commits): nothing to read."""
    _, hashes = text_hashes(text)
    if new:     # written at once, without the unit of work's bookkeeping for each row
        if hashes:
            driver_insert_many(session, ClaimShingle.__table__, [{"claim_id": claim_id, "hash": h} for h in hashes])
        return
    existing = set(session.scalars(select(ClaimShingle.hash).where(ClaimShingle.claim_id == claim_id)))
    session.add_all(ClaimShingle(claim_id=claim_id, hash=h) for h in hashes - existing)



def find_matching_claim(session: Session, text: str) -> int | None:
    """A live claim with the same normalized words, else the one sharing most 8-word runs.

    Liveness is checked on the few rows found, not in the lookups: with `merged_into_id IS NULL`
    in the WHERE clause SQLite's planner walks that index over every live claim (measured: 270 ms
    a quote at 100,000 claims, against well under a millisecond this way)."""
    norm, hashes = text_hashes(text)
    found = live_claim_with_words(session, norm)
    if found is None and hashes:
        found = live_claim_sharing_most(session, sorted(hashes))
    return found


_SPAN_TAKEN = select(Mention.id).where(
    Mention.claim_id == bindparam("claim_id"), Mention.article_id == bindparam("article_id"),
    Mention.start == bindparam("start"), Mention.end == bindparam("end"))


def _span_taken(session: Session, key: tuple[int, int, int, int], known: set | None) -> bool:
    """Stored or still pending in this session. `known`, when given, holds every (claim, article,
    start, end) of the article already (see mention_keys) and is kept up to date: no query."""
    if known is not None:
        return key in known
    if any(isinstance(o, Mention) and (o.claim_id, o.article_id, o.start, o.end) == key for o in session.new):
        return True
    with session.no_autoflush:
        return session.scalar(_SPAN_TAKEN, dict(zip(("claim_id", "article_id", "start", "end"), key))) is not None


def mention_keys(session: Session, article_id: int) -> set[tuple[int, int, int, int]]:
    """Every mention of an article as (claim, article, start, end), for add_mention(known=...)."""
    return {tuple(r) for r in session.execute(_ARTICLE_KEYS, {"article": article_id})}


_ARTICLE_KEYS = select(Mention.claim_id, Mention.article_id, Mention.start, Mention.end).where(
    Mention.article_id == bindparam("article"))


def add_mention(session: Session, claim: Claim, article: Article, start: int, end: int, *,
                stance: str = "repeats", origin: str = "extracted", quoted: bool = True,
                quote_id: int | None = None, confirmed_by: str | None = None,
                score: float | None = None, flush: bool = True,
                known: set | None = None, judged: str | None = None) -> Mention | None:
    """A mention of `claim` at text[start:end]; None when that exact span is already linked.
    `flush=False` leaves the row pending (no id yet) for callers adding many in a row. `judged`:
    its fidelity, judged by the caller already (before a write step takes the lock)."""
    key = (claim.id, article.id, start, end)
    if _span_taken(session, key, known):
        return None
    if known is not None:
        known.add(key)
    excerpt = article.text[start:end]
    mention = Mention(claim_id=claim.id, article_id=article.id, quote_id=quote_id, start=start,
                      end=end, excerpt=excerpt, stance=stance, origin=origin,
                      fidelity=judged or fidelity(claim.text, excerpt, quoted=quoted),
                      confirmed_by=confirmed_by, score=score)
    session.add(mention)
    noted = session.info.get(_APPENDED)
    if noted is not None:
        noted.setdefault(claim.id, []).append(mention)
    if flush:
        session.flush()
    return mention


def refresh_outlet_counts(session: Session, claim_ids: Iterable[int],
                          appended: Mapping[int, Collection[int]] | None = None) -> None:
    """Recount distinct outlets for these claims, their stored spread summaries and the outlet
    matrix's counts (domain/spread_summary.py): every path that adds, removes or changes a claim's
    mentions calls this once it has made the change.

    `appended`: claim id -> the ids of the mentions added to it, for claims whose only change since
    their last refresh is those new mentions (an ingest: take_appended). Their summaries are brought
    up to date from the stored ones where that is sure (spread_summary.append_spreads), so the cost
    does not grow with a big claim's mentions; the others are recomputed from all their mentions.

    Suggestions waiting for an analyst do not count: an outlet carries a claim once it is linked.
    The count is the outlets the claim's summary names (every confirmed mention's, every stance)."""
    from app.domain.spread_summary import refresh_spreads

    ids = sorted(set(claim_ids))
    if not ids:
        return
    kept = refresh_appended(session, {c: appended[c] for c in ids if c in appended}) if appended else set()
    _store_counts(session, refresh_spreads(session, [c for c in ids if c not in kept]))


def refresh_appended(session: Session, appended: Mapping[int, Collection[int]]) -> set[int]:
    """refresh_outlet_counts for those claims of `appended` (claim id -> the ids of the mentions
    just added to it, nothing else about its mentions changed since it was last refreshed) whose
    summary can be brought up to date from the stored one (spread_summary.append_spreads); returns
    them. The others are left as they are, for the caller to refresh."""
    from app.domain.spread_summary import append_spreads

    counts = append_spreads(session, appended) if appended else {}
    _store_counts(session, counts)
    return set(counts)


def _store_counts(session: Session, counts: Mapping[int, int]) -> None:
    if not counts:
        return
    session.execute(_STORE_COUNT, [{"b_id": c, "b_n": n} for c, n in sorted(counts.items())])
    # Looked up by key, not by walking the identity map: an ingest holds every row it loaded.
    for claim_id in counts:
        claim = session.identity_map.get(identity_key(Claim, claim_id))
        if claim is not None:
            session.expire(claim, ["outlet_count"])


_CLAIMS = Claim.__table__
_STORE_COUNT = update(_CLAIMS).where(_CLAIMS.c.id == bindparam("b_id")).values(outlet_count=bindparam("b_n"))


#: session.info key: claim id -> the mentions add_mention made of it since take_appended (kept
#: only while an ingest asks for them: track_appended).
_APPENDED = "appended_mentions"


def track_appended(session: Session) -> None:
    """From now on add_mention notes each mention it makes, for take_appended (an ingest's steps)."""
    session.info[_APPENDED] = {}


def take_appended(session: Session, claim_ids: Iterable[int], stop: bool = False) -> dict[int, list[int]]:
    """claim id -> ids of the mentions add_mention made of it since it was last taken (flushed:
    they have ids), for refresh_outlet_counts(appended=...); forgotten once taken. `stop`: note
    no more (the ingest is done)."""
    noted = session.info.get(_APPENDED) or {}
    out = {c: [m.id for m in noted.pop(c)] for c in set(claim_ids) if c in noted}
    if stop:
        session.info.pop(_APPENDED, None)
    return out


def refresh_fidelity(session: Session, claim: Claim) -> None:
    """Re-judge every mention against the claim's current wording (after an edit or a merge)."""
    for mention in session.scalars(select(Mention).where(Mention.claim_id == claim.id)):
        quoted = mention.quote_id is not None or mention.fidelity != "paraphrased"
        mention.fidelity = fidelity(claim.text, mention.excerpt, quoted=quoted)
    session.flush()
    refresh_outlet_counts(session, [claim.id])     # the stored fidelity counts


def drop_claim_index(session: Session, claim_id: int) -> None:
    session.execute(delete(ClaimShingle).where(ClaimShingle.claim_id == claim_id))


# A statement joins a stored claim only when said within this many days of the claim's first
# appearance: the same words at an event months later are another statement (see another_statement).
CLAIM_MOMENT_DAYS = 60


def another_statement(session: Session, claim_id: int, speaker_id: int | None, published) -> bool:
    """A claim's identity is its words, its speaker and its moment: the same words from another
    named person, or said more than CLAIM_MOMENT_DAYS from the claim's first appearance, are
    another claim (proposed beside it at most, never linked to it). An unknown speaker or date
    never splits a claim, nor does a body beside a person ("the authority said" what its director
    said: a spokesman speaks for the body), nor a wire agency or paper reporting in its own name
    ("..., Xinhua reported": the source that passes the words on, whoever said them first; where
    it passes on a named person's words, that person is the speaker: pipeline/reported.py)."""
    with identities_read_together(session) as ahead:
        claim_speaker, first = _claim_identity(session, claim_id, speaker_id, ahead)
        if speaker_id is not None and claim_speaker is not None and speaker_id != claim_speaker:
            if _is_person(session, speaker_id, ahead) and _is_person(session, claim_speaker, ahead):
                return True
    return published is not None and first is not None and abs((published - first).days) > CLAIM_MOMENT_DAYS


def forget_identities(session: Session) -> None:
    """Drop the identities remembered for this session (an article's ingest starts afresh)."""
    session.info.pop(_IDENTITY, None)
    session.info.pop(_AHEAD, None)


_HELD = "held_rows"


def hold_loaded_rows(session: Session) -> None:
    """Keep every row this session loads from now on until release_loaded_rows. The session's
    identity map holds rows weakly: a claim looked at for one statement was gone by the next, and
    each session.get of it was a SELECT again (a third of an ingest's database time)."""
    session.info[_HELD] = []


def release_loaded_rows(session: Session) -> None:
    session.info.pop(_HELD, None)


@event.listens_for(Session, "loaded_as_persistent")
def _hold_loaded(session: Session, instance) -> None:
    held = session.info.get(_HELD)
    if held is not None:
        held.append(instance)


_IDENTITY = "claim_identity"
_AHEAD = "claim_identity_ahead"


def _memo(session: Session) -> dict:
    return session.info.setdefault(_IDENTITY, {})


class IdentitiesAhead:
    """What one reading (a statement's: article_linking._statement_links) may ask another_statement
    about: `askable`, the claims it may ask of (its candidates); on the first claim asked that is not
    remembered, all of them are read in one query (speaker, the speaker's name, first publication),
    with the quote's speaker's name, instead of two to four queries a claim. A value read ahead
    is remembered for the article (_memo) only when it is asked, in this reading, so each answer is
    the one a query at that moment would give (no write comes between: the reading only reads);
    the rest are dropped with the reading (a claim asked in a later statement is read then, after
    this article's own mentions of it, as before)."""

    def __init__(self) -> None:
        self.askable: set[int] = set()
        self.values: dict = {}


@contextmanager
def identities_read_together(session: Session) -> Iterator[IdentitiesAhead]:
    """The reading under way (see IdentitiesAhead), or one for the duration."""
    outer = session.info.get(_AHEAD)
    if outer is not None:
        yield outer
        return
    ahead = session.info[_AHEAD] = IdentitiesAhead()
    try:
        yield ahead
    finally:
        session.info.pop(_AHEAD, None)


_FIRST_PUBLISHED = (select(func.min(Article.published)).join(Mention, Mention.article_id == Article.id)
                    .where(Mention.claim_id == Claim.id).correlate(Claim).scalar_subquery())
_IDENTITIES = (select(Claim.id, Claim.speaker_id, Speaker.name, _FIRST_PUBLISHED)
               .outerjoin(Speaker, Speaker.id == Claim.speaker_id)
               .where(Claim.id.in_(bindparam("ids", expanding=True))))
# The same with the quote's speaker's name as a row of its own (claim id NULL).
_IDENTITIES_AND_SPEAKER = union_all(
    _IDENTITIES, select(null(), Speaker.id, Speaker.name, null()).where(Speaker.id == bindparam("speaker")))
_SPEAKER_NAMES = (select(Claim.id, Speaker.name).outerjoin(Speaker, Speaker.id == Claim.speaker_id)
                  .where(Claim.id.in_(bindparam("ids", expanding=True))))
_SPEAKER_NAME = select(Speaker.name).where(Speaker.id == bindparam("speaker"))


def _read_ahead(session: Session, ahead: IdentitiesAhead, claim_id: int, speaker_id: int | None) -> None:
    memo, values = _memo(session), ahead.values
    ids = sorted({claim_id} | {c for c in ahead.askable if ("claim", c) not in memo and ("claim", c) not in values})
    person = speaker_id is not None and ("person", speaker_id) not in memo and ("person", speaker_id) not in values
    rows = session.execute(_IDENTITIES_AND_SPEAKER if person else _IDENTITIES,
                           {"ids": ids, "speaker": speaker_id} if person else {"ids": ids})
    for cid, speaker, name, first in rows:
        if cid is not None:
            values[("claim", cid)] = (speaker, first)
        if speaker is not None and ("person", speaker) not in memo:
            values[("person", speaker)] = name
    for cid in ids:        # no such claim: no speaker, no mention (as the queries one by one)
        values.setdefault(("claim", cid), (None, None))


def _claim_identity(session: Session, claim_id: int, speaker_id: int | None = None,
                    ahead: IdentitiesAhead | None = None):
    """(speaker id, first publication date) of a claim, remembered for the article being linked:
    one statement checks a dozen candidates, and the next statement mostly the same ones. Read
    with the others of `ahead` not read yet (and `speaker_id`'s name: see IdentitiesAhead)."""
    memo = _memo(session)
    key = ("claim", claim_id)
    if key not in memo:
        if ahead is None:
            with identities_read_together(session) as ahead:
                return _claim_identity(session, claim_id, speaker_id, ahead)
        if key not in ahead.values:
            _read_ahead(session, ahead, claim_id, speaker_id)
        memo[key] = ahead.values.pop(key)
    return memo[key]


def claim_speakers(session: Session, claim_ids) -> dict[int, str | None]:
    """claim_id -> its speaker's name (None: the claim has none), what the stance model reads a
    passage's "X said" against; remembered for the article being linked like _claim_identity,
    the rest in one query."""
    memo = _memo(session)
    ids = sorted({cid for cid in claim_ids if ("speaker name", cid) not in memo})
    if ids:
        for cid, name in session.execute(_SPEAKER_NAMES, {"ids": ids}):
            memo[("speaker name", cid)] = name
    return {cid: memo[("speaker name", cid)] for cid in claim_ids if ("speaker name", cid) in memo}


def _is_person(session: Session, speaker_id: int, ahead: IdentitiesAhead | None = None) -> bool:
    memo = _memo(session)
    key = ("person", speaker_id)
    if key not in memo:
        if ahead is not None and key in ahead.values:
            name = ahead.values.pop(key)
        else:
            name = session.scalar(_SPEAKER_NAME, {"speaker": speaker_id})
        memo[key] = name is not None and parse_person(name) is not None
    return memo[key]
