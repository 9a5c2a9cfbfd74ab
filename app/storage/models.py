"""Typed ORM models: the data model of DESIGN.md. Constraints are named so Alembic batch mode works on SQLite."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from app.vocab import FIDELITIES, ORIGINS, QUOTE_KINDS, STANCES, STATUSES

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime: SQLite hands times back without their zone (every
    one the app writes is UTC), PostgreSQL in the session's zone. The one place for that fix."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Outlet(Base):
    __tablename__ = "outlets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Speaker(Base):
    __tablename__ = "speakers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    # Set when an analyst merged this speaker into another: its slug redirects there (as a claim's id).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    # The name's first and last word, lower-cased (name_words): indexed, so "does another speaker's
    # name start or end with this surname" (domain/people.py) is a lookup, not a scan of every
    # speaker. Set with the name: by the ORM (below) and by a Core insert (the column default).
    first_word: Mapped[str | None] = mapped_column(
        String(200), index=True, default=lambda ctx: name_words(ctx.get_current_parameters()["name"])[0])
    last_word: Mapped[str | None] = mapped_column(
        String(200), index=True, default=lambda ctx: name_words(ctx.get_current_parameters()["name"])[1])
    # What articles told of the person's sex ("f", "m"; None: nothing), from an honorific or a
    # "he"/"she" naming them (pipeline/name_runs.speaker_sex): a "Mr." never joins a woman's name.
    sex: Mapped[str | None] = mapped_column(String(1))

    @validates("name")
    def _set_name_words(self, _key: str, name: str) -> str:
        self.first_word, self.last_word = name_words(name)
        return name


def name_words(name: str) -> tuple[str, str]:
    """The first and last space-separated word of a name, lower-cased: a word w (no space in it)
    is one of them exactly when lower(name) = w, or starts with "w " or ends with " w"."""
    words = name.lower().split(" ")
    return words[0][:200], words[-1][:200]


class SpeakerAlias(Base):
    """Another way articles name a speaker ("Tan", "spokesperson Tan Kefei"), so one person is one record."""

    __tablename__ = "speaker_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        # The claims list's spread columns read each mention's article for its outlet and day
        # (app/domain/list_spread.py): from this index (a few dozen bytes an article) instead
        # of the 4 KB rows, through SQLite's INDEXED BY (its planner prefers the rowid).
        Index("ix_articles_spread", "id", "outlet_id", "published"),
        # A deleted article's id is never given to a new one: /articles/{id} is a permalink.
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), index=True)
    title: Mapped[str] = mapped_column(String(1000))
    author: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    # The moment of publication in UTC, when the source gives a time of day (HTML metadata, a
    # sources.csv cell, an ISO datetime); `published` stays the day as the source states it.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_name: Mapped[str | None] = mapped_column(String(500))
    # The text exactly as ingested: every offset in quotes and mentions points into it.
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # While an ingest links the article in short transactions (domain/article_linking.py) it is
    # incomplete: `linking_by` names that ingest ("host pid") and `linking_at` is its last step.
    # Both are NULL once the article is complete (every article stored before 0017 is).
    linking_by: Mapped[str | None] = mapped_column(String(200))
    linking_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Each matchable window of the text with its content stems (domain.matching.window_stems_text),
    # kept so matching a new claim back into this article does not stem its sentences again; NULL
    # (an article stored before 0021): worked out from the text when needed. Deferred: only
    # matching back reads it.
    window_stems: Mapped[str | None] = mapped_column(Text, deferred=True)

    outlet: Mapped[Outlet] = relationship(lazy="joined")

    @property
    def complete(self) -> bool:
        """False while an ingest is still linking it (or stopped half-way: see article_linking)."""
        return self.linking_by is None


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (_one_of("kind", QUOTE_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    speaker_name: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="direct")


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        _one_of("status", STATUSES, "status"),
        Index("ix_claims_status_updated", "status", "updated_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # Hash of the normalized words: finds an identical claim without scanning.
    norm_hash: Mapped[int] = mapped_column(BigInteger, index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="unreviewed")
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Denormalised count kept by domain/ so "sort by number of outlets" needs no per-row query.
    outlet_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    # Where an imported known claim came from (a fact-check's review page); None for extracted claims.
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # The headline of that fact-check ("Did the mayor ban cars downtown?"): it words the claim
    # another way, so the search index holds it beside the text and matching scores a passage
    # against both (app/domain/matching.py). None for extracted claims.
    review_title: Mapped[str | None] = mapped_column(Text)
    # The text's content stems (pipeline.matching.kept_claim_stems), set with the text (see
    # _claim_text_set): matching reads them for a candidate instead of stemming its text again.
    stems: Mapped[str | None] = mapped_column(Text, deferred=True)

    speaker: Mapped[Speaker | None] = relationship(lazy="joined")


@event.listens_for(Claim.text, "set")
def _claim_text_set(target: Claim, value, oldvalue, initiator) -> None:
    """A claim's kept stems follow its text wherever the ORM sets it (made, edited)."""
    from app.pipeline.matching import kept_claim_stems
    target.stems = kept_claim_stems(value) if isinstance(value, str) else None


class ClaimShingle(Base):
    """Runs of consecutive normalized words of a claim, hashed: the index that links repeats."""

    __tablename__ = "claim_shingles"
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ClaimVector(Base):
    """A claim's sentence embedding (float32, L2-normalised) from one named model: the vector index
    that finds paraphrases sharing few words. Made when a claim is created with embeddings on, or
    by `claimtracker embed`; dropped when the claim's text changes, so it is never stale."""

    __tablename__ = "claim_vectors"
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    # The vector's sign bits, packed (48 bytes for 384 dimensions): the compact index searched first
    # (app/domain/vectors.py). NULL for vectors stored before it; `claimtracker embed` fills them.
    code: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    # The codes read without the 1.5 KB vectors beside them (a process loads them from this index
    # alone: 35 s at a million rows from the table, bench/vectors.py), and a count per model.
    __table_args__ = (Index("ix_claim_vectors_model_code", "model", "claim_id", "code"),)


class PassageShingle(Base):
    """Runs of eight normalized words of an article's own sentences (outside quotations), hashed:
    how a passage copied from outlet to outlet (wire copy, talking points) is found without a quote."""

    __tablename__ = "passage_shingles"
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True)
    start: Mapped[int] = mapped_column(Integer, primary_key=True)
    end: Mapped[int] = mapped_column(Integer)


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("claim_id", "article_id", "start", "end", name="uq_mentions_span"),
        # The suggestions queue reads pending suggestions best first.
        Index("ix_mentions_origin_score", "origin", "score"),
        # A claim's mentions (it replaced the plain claim_id index of 0001): the claims list's
        # spread columns count outlets per stance from the index alone (list_spread.py).
        Index("ix_mentions_claim_spread", "claim_id", "origin", "stance", "article_id"),
        _one_of("stance", STANCES, "stance"),
        _one_of("fidelity", FIDELITIES, "fidelity"),
        _one_of("origin", ORIGINS, "origin"),
        # A deleted mention's id is never given to a new one (SQLite reuses the highest rowid
        # otherwise): the audit log and an open queue page name mentions by id.
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="SET NULL"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    excerpt: Mapped[str] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(16), default="repeats")
    fidelity: Mapped[str] = mapped_column(String(16), default="verbatim")
    origin: Mapped[str] = mapped_column(String(16), default="extracted")
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    # The matcher's score (0..1) for links and suggestions it made; None for quotes and analysts.
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    article: Mapped[Article] = relationship(lazy="joined")


class ClaimSpread(Base):
    """A claim's spread summed up over its confirmed mentions (app/domain/spread_summary.py keeps it
    whenever refresh_outlet_counts recounts the claim): the claim page reads its first appearance,
    outlets by stance and fidelity counts here instead of reading every mention. No row: no
    confirmed mention. Outlets by id (a name can change), in order of first appearance."""

    __tablename__ = "claim_spreads"
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    first_mention_id: Mapped[int | None] = mapped_column(Integer)   # earliest dated (spread.py's order)
    last_mention_id: Mapped[int | None] = mapped_column(Integer)
    tie_ids: Mapped[list] = mapped_column(JSON)        # mentions a day-only date cannot tell from the first
    outlets: Mapped[dict] = mapped_column(JSON)        # stance -> outlet ids, by first appearance
    fidelity: Mapped[dict] = mapped_column(JSON)       # fidelity -> confirmed mentions
    linked: Mapped[int] = mapped_column(Integer)       # confirmed mentions
    dated: Mapped[int] = mapped_column(Integer)        # of which dated
    # Counted in outlet_pairs: a live claim some outlet repeats or contradicts.
    sided: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Past spread.READ_WHOLE confirmed mentions, what the claim page draws of them (spread_summary.
    # page_plan: the mention list's order, the first renderings, the timeline's marks, the undated).
    page: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class OutletPair(Base):
    """The unfiltered outlet matrix kept as mentions change (app/domain/spread_summary.py): claims
    that outlets a <= b both repeat (`both_repeat`), that one repeats and the other contradicts
    (`split`), and on the diagonal the claims an outlet contradicts (`contradicts`)."""

    __tablename__ = "outlet_pairs"
    a: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True)
    b: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class OutletClaim(Base):
    """Which side each outlet takes on each claim counted in outlet_pairs (a live claim some outlet
    repeats or contradicts): one row per (outlet, side, claim), kept with it by
    app/domain/spread_summary.py. A matrix cell walks two outlets' rows newest claim first and stops
    at a page, instead of reading every mention of the two outlets (16 s at 1M claims)."""

    __tablename__ = "outlet_claims"
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True)
    side: Mapped[str] = mapped_column(String(16), primary_key=True)     # repeats or contradicts
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)


class DismissedMatch(Base):
    """A suggestion an analyst rejected: the matcher never proposes this claim at this span again."""

    __tablename__ = "dismissed_matches"
    __table_args__ = (
        UniqueConstraint("claim_id", "article_id", "start", "end", name="uq_dismissed_matches_span"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ClaimTag(Base):
    __tablename__ = "claim_tags"
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tag: Mapped[Tag] = relationship(lazy="joined")


class Event(Base):
    """Append-only audit log: one row per change, never updated or deleted."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50), index=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


# --- Feeds read by `claimtracker ingest-feed`: what each one answered last and which items it gave --

FEED_ITEM_STATUSES = ("added", "present", "failed")


class Feed(Base):
    """An RSS or Atom feed polled from cron: its validators (ETag, Last-Modified) make a poll of an
    unchanged feed one short 304, and the last run's outcome is kept for whoever wonders why."""

    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    url_hash: Mapped[str] = mapped_column(String(64), unique=True)   # sha256 of url: indexable at any length
    title: Mapped[str | None] = mapped_column(String(1000))
    etag: Mapped[str | None] = mapped_column(String(500))
    modified: Mapped[str | None] = mapped_column(String(200))       # Last-Modified as the server sent it
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedItem(Base):
    """One item a feed listed, by its guid (else its link): ingested (added or already present) it
    is never fetched again; a failed one is tried again on later runs, up to a few attempts."""

    __tablename__ = "feed_items"
    __table_args__ = (UniqueConstraint("feed_id", "key_hash", name="uq_feed_items_feed_id_key_hash"),
                      _one_of("status", FEED_ITEM_STATUSES, "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(2000))
    key_hash: Mapped[str] = mapped_column(String(64))
    link: Mapped[str | None] = mapped_column(String(2000))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(1000))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- Accounts: users, their browser sessions and API tokens, and the login throttle -------------

# Ordered weakest first: a role may do everything the roles before it may.
ROLES = ("viewer", "analyst", "admin")


class User(Base):
    """An analyst account; its name is what the audit log records as the actor."""

    __tablename__ = "users"
    __table_args__ = (_one_of("role", ROLES, "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # argon2id encoded hash (parameters and salt inside); never the password.
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16), default="viewer")
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserSession(Base):
    """A browser login, kept on the server so logout, disabling a user or a role change take effect at
    once. The cookie holds a random token; only its SHA-256 is stored, so a leaked table logs no one in."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ApiToken(Base):
    """A token for scripts, sent as `Authorization: Bearer ...` on /api/v1; shown once, stored hashed."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins counted per key (`name:alice`, `addr:192.0.2.7`): past a few, the key must wait
    a delay that doubles with each further failure. In the database, so several app processes agree."""

    __tablename__ = "login_throttles"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
