"""How linking an article writes: in the caller's one transaction, or in short ones of its own.

On SQLite a transaction holds the database's one write lock from its first write to its commit.
An ingest that matched quotes while its writes were pending kept every other writer (a login
writing its session row, an analyst's edit) waiting for the whole article: 41 s for an article of
5,000 quotations. Committing steps read what they need with nothing pending (WAL readers hold no
lock a writer waits for), then write one step and commit at once, so the lock is held for the
writes of one step only.

What a step read may have changed before it writes: another ingest made a claim the step would
have joined, or an analyst merged a claim away. The step's first write takes the lock (it stamps
the article's `linking_at`), and under it `stale` asks whether any claim was made or merged since
the step read; if so the step reads again, under the lock, before writing. Mentions another
writer stored meanwhile are found by `sync_known`, so no step breaks the unique mention span.

While an ingest links in steps the article is incomplete (`Article.linking_by` names the ingest);
`abandoned` tells an ingest that stopped half-way (its process gone, or no step for
LINKING_STALE_AFTER) from one still running, so a re-ingest can remove the half article first.
"""
from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, event, func, select, text, update
from sqlalchemy.orm import Session, object_session

from app.domain.errors import Conflict
from app.domain.linking import refresh_appended, refresh_outlet_counts, take_appended, track_appended
from app.storage.models import Article, Claim, Mention, utcnow
from app.storage.term_counts import remember_totals

# Rows a committing step writes at most (mentions of the sentence phase, copied passages).
STEP_ROWS = 100
# Sentences matched between two writes of the sentence phase (see article_linking.link_sentences).
STEP_WINDOWS = 40

# An incomplete article whose ingest has not finished a step for this long has been abandoned,
# wherever that ingest ran (a step waits at most a minute for the lock; matching between two
# steps takes seconds).
LINKING_STALE_AFTER = timedelta(minutes=15)

# The articles this process is linking now (a thread of a web server, say).
_LINKING_HERE: set[int] = set()
_LINKING_LOCK = threading.Lock()


def linking_owner() -> str:
    """Who links an article: host and process id ("host pid")."""
    return f"{socket.gethostname()[:180]} {os.getpid()}"


class WriteSteps:
    """`commit=False`: every step writes in the caller's transaction (ingest_article; the caller
    commits), and the checks below cost nothing. `commit=True`: each step is its own short
    transaction (ingest_and_commit)."""

    def __init__(self, session: Session, article_id: int, commit: bool) -> None:
        self.session, self.article_id, self.commit = session, article_id, commit
        self.touched: set[int] = set()
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        # The claims' mark read under the lock by the step under way (its stamp), for stale().
        self._locked_mark: tuple[int, int] | None = None
        # The claims' mark when this ingest's last step committed (see mark()); None: not known.
        self._committed_mark: tuple[int, int] | None = None
        # Committing: the claims touched that a step could not bring up to date from their stored
        # summary (refresh_appended), recounted in full by finish().
        self.pending: set[int] = set()
        track_appended(session)
        if commit:
            remember_totals(session)

    def mark(self) -> tuple[int, int] | None:
        """What the claims looked like when a step began reading (newest id, claims merged), or
        earlier: as this ingest's last step left them when it committed (the mark its stamp read
        under the lock, with the claims the step made), when a step did. Both numbers only grow
        (claims are never deleted nor unmerged), so a claim made or merged after the reading began
        differs from this mark as it does from one read then, and stale() reads again under the
        lock, as before; one made before the reading began (this reading sees it) differs too, and
        stale() has the step read again, as it would had that claim come a moment later."""
        if not self.commit:
            return None
        return self._committed_mark or _claims_mark(self.session)

    def stale(self, mark: tuple[int, int] | None) -> bool:
        """Under the step's lock: was a claim made or merged by another writer since `mark`? (Read
        by the step's stamp, in the statement that takes the lock.)"""
        return mark is not None and self._locked_mark != mark

    @contextmanager
    def write(self, recount: bool = False, then_write: bool = False) -> Iterator[set[int]]:
        """One step: yields the set to fill with the claims it touched. Committing, the step
        brings their summaries up to date from the stored ones with the mentions it added, before
        it commits (linking.refresh_appended: that costs the same for a claim of 2,000 mentions as
        of 2; and a summary is only ever added to in the transaction that adds the mentions, which
        is what makes it sure); those it cannot are recounted by finish(), or when the step
        commits with `recount` (a step writing mentions in other articles: those stay should this
        article's ingest stop half-way). Not committing, finish() does all of it.
        `then_write`: another write follows at once, with no reading between (the end of an
        article: its passages' runs, the recount, the ingest event), so this step is left for
        that one to commit: the lock would be taken again at once anyway, and each commit of a
        step (writing its pages to the log) was a twentieth of an ingest."""
        touched: set[int] = set()
        self._locked_mark = self._committed_mark = None
        if self.commit:
            self._locked_mark = self._stamp()
            self.session.info[_MADE] = []
        try:
            yield touched
            self._end_step(touched, recount, then_write)
        finally:
            self.session.info.pop(_MADE, None)

    def _end_step(self, touched: set[int], recount: bool, then_write: bool) -> None:
        self.touched |= touched
        if self.commit:
            self.session.flush()
            appended = take_appended(self.session, touched)
            if recount:
                refresh_outlet_counts(self.session, touched, appended)
                self.pending -= touched
            else:
                # A claim left for finish() has a summary without that step's mentions: never
                # brought up to date from it (append_spreads would see that and refuse), so not tried.
                # Nor a claim this step made: it has no summary yet (made in this transaction).
                made = set(self.session.info.get(_MADE) or ())
                tried = {c: ids for c, ids in appended.items() if c not in self.pending and c not in made}
                self.pending = (self.pending | touched) - refresh_appended(self.session, tried)
            if not then_write:
                self.session.commit()
                # As the step leaves the claims: the mark its stamp read, with the claims it made.
                made = self.session.info.get(_MADE) or []
                self._committed_mark = (max([self._locked_mark[0], *made]), self._locked_mark[1])
                remember_totals(self.session)

    def finish(self, then_write: bool = False) -> None:
        """After the last step: recount every claim touched (from the stored summaries where only
        mentions were added: refresh_outlet_counts(appended=...)); committing, those the steps
        left (self.pending), in steps of STEP_ROWS claims (a recount reads every mention of a
        claim), else at once (the caller commits). `then_write`: the caller writes (and commits)
        right after, so the last step is left to it."""
        if not self.commit:
            self.session.flush()
            refresh_outlet_counts(self.session, self.touched, take_appended(self.session, self.touched, stop=True))
            return
        take_appended(self.session, (), stop=True)
        ids = sorted(self.pending)
        for at in range(0, len(ids), STEP_ROWS):
            with self.write(then_write=then_write and at + STEP_ROWS >= len(ids)):
                refresh_outlet_counts(self.session, ids[at:at + STEP_ROWS])

    def sync_known(self, known: set, keys: Iterable[tuple[int, int, int, int]]) -> None:
        """Under the lock: add to `known` those of `keys` (claim, article, start, end) another
        writer stored since `known` was read (an analyst linking the same span, say)."""
        keys = set(keys) - known
        if not self.commit or not keys:
            return
        rows = self.session.execute(_MENTION_KEYS, {"claims": sorted({k[0] for k in keys}),
                                                    "articles": sorted({k[1] for k in keys})})
        known.update(key for key in map(tuple, rows) if key in keys)

    def live_claims(self, ids: Iterable[int]) -> set[int]:
        """Those of `ids` not merged away (all of them in one transaction: nothing changed)."""
        ids = set(ids)
        if not self.commit or not ids:
            return ids
        return set(self.session.scalars(_LIVE_CLAIMS, {"ids": sorted(ids)}))

    def stored_articles(self, ids: Iterable[int]) -> set[int]:
        """Those of `ids` still stored (an admin may delete one while this article is linked)."""
        ids = set(ids)
        if not self.commit or not ids:
            return ids
        return set(self.session.scalars(select(Article.id).where(Article.id.in_(ids))))

    def _stamp(self) -> tuple[int, int]:
        """The step's first write: on SQLite it takes the lock, so what the step checks next is
        current until it commits. PostgreSQL has no such lock: the step takes a transaction-level
        advisory lock that every linking step takes, so the steps of two ingests never interleave
        there either (a statement of each making the same claim, or both linking one span).
        An article deleted meanwhile ends the ingest. Returns the claims' mark (_claims_mark),
        read under the lock by the same statement (RETURNING: SQLite evaluates it once the UPDATE
        holds the write lock; PostgreSQL in the statement's snapshot, taken after the advisory
        lock), for stale() and mark()."""
        if self.postgresql:
            self.session.execute(_PG_STEP_LOCK)
        row = self.session.execute(_STAMP_MARK, {"b_article": self.article_id, "b_at": utcnow()}).first()
        if row is None:
            raise Conflict(f"article {self.article_id} was deleted while it was being linked")
        return tuple(row)


# pg_advisory_xact_lock key of linking steps (any constant no other code uses; "ctlink" in hex).
_PG_STEP_LOCK = text("SELECT pg_advisory_xact_lock(107515585982827)")

_MERGED = select(func.count()).select_from(Claim).where(Claim.merged_into_id.is_not(None)).scalar_subquery()
_NEWEST = select(func.coalesce(func.max(Claim.id), 0)).scalar_subquery()
_CLAIMS_MARK = select(_NEWEST, _MERGED)

# Statements of every step, built once (building one cost more than running it).
_MENTION_KEYS = select(Mention.claim_id, Mention.article_id, Mention.start, Mention.end).where(
    Mention.claim_id.in_(bindparam("claims", expanding=True)), Mention.article_id.in_(bindparam("articles", expanding=True)))
_LIVE_CLAIMS = select(Claim.id).where(Claim.id.in_(bindparam("ids", expanding=True)), Claim.merged_into_id.is_(None))

# A step's stamp, built once (a statement built for each step cost more than running it).
_ARTICLES = Article.__table__
_STAMP = (update(_ARTICLES).where(_ARTICLES.c.id == bindparam("b_article"))
          .values(linking_at=bindparam("b_at", type_=_ARTICLES.c.linking_at.type)))
_STAMP_MARK = _STAMP.returning(_NEWEST, _MERGED)

#: session.info key: the ids of the claims inserted since the step under way took its lock.
_MADE = "claims_made_in_step"


@event.listens_for(Claim, "after_insert")
def _note_made(_mapper, _connection, claim: Claim) -> None:
    made = getattr(object_session(claim), "info", {}).get(_MADE)
    if made is not None:
        made.append(claim.id)


def _claims_mark(session: Session) -> tuple[int, int]:
    return tuple(session.execute(_CLAIMS_MARK).one())


@contextmanager
def linking_here(article_id: int) -> Iterator[None]:
    """Mark an article as being linked by this process for the duration."""
    with _LINKING_LOCK:
        _LINKING_HERE.add(article_id)
    try:
        yield
    finally:
        with _LINKING_LOCK:
            _LINKING_HERE.discard(article_id)


def abandoned(article_id: int, linking_by: str | None, linking_at: datetime | None,
              now: datetime | None = None) -> bool:
    """Has the ingest linking an incomplete article stopped? This process: it is not linking it
    now. Another process on this host: that process is gone. Anywhere: no step for
    LINKING_STALE_AFTER."""
    if linking_by is None:
        return False
    host, _, pid = linking_by.rpartition(" ")
    if host == socket.gethostname()[:180] and pid.isdigit():
        if int(pid) == os.getpid():
            with _LINKING_LOCK:
                return article_id not in _LINKING_HERE
        if not _process_alive(int(pid)):
            return True
    if linking_at is None:
        return True
    if linking_at.tzinfo is None:
        linking_at = linking_at.replace(tzinfo=timezone.utc)
    return (now or datetime.now(timezone.utc)) - linking_at > LINKING_STALE_AFTER


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # alive, another user's
        return True
    return True
