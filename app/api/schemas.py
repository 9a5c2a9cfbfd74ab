"""Pydantic request and response models of /api/v1.

Inputs are constrained here (vocabularies as Literals, lengths, id ranges) so that a malformed request
is a 422 before it reaches the domain, and never a database error: ids are capped at the 32-bit range
PostgreSQL's INTEGER holds, and strings refuse NUL and lone surrogates, which neither PostgreSQL nor a
UTF-8 encoder accepts. The domain still checks every rule itself; these are only the outer fences.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.vocab import FIDELITIES, ORIGINS, PAIR_KINDS, QUOTE_KINDS, STANCES, STATUSES

MAX_ID = 2_147_483_647

Status = Literal[STATUSES]  # type: ignore[valid-type]
Stance = Literal[STANCES]  # type: ignore[valid-type]
Fidelity = Literal[FIDELITIES]  # type: ignore[valid-type]
Origin = Literal[ORIGINS]  # type: ignore[valid-type]
QuoteKind = Literal[QUOTE_KINDS]  # type: ignore[valid-type]
Sort = Literal["outlets", "newest", "changed"]


def storable(value: str) -> str:
    """Refuse text no database column can hold, so it is a 422 and not a driver error."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(storable)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]


class Error(BaseModel):
    """Every error body: a sentence for a person, plus the field errors of a 422."""

    message: str
    errors: list[dict[str, Any]] | None = None


# --- outlets and speakers ----------------------------------------------------------------------


class OutletRef(BaseModel):
    name: str
    slug: str


class SpeakerRef(BaseModel):
    name: str
    slug: str


class OutletOut(OutletRef):
    id: int
    article_count: int
    claim_count: int


class SpeakerOut(SpeakerRef):
    id: int
    claim_count: int


class SpeakerMergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: Annotated[Text, Field(min_length=1, max_length=200)] = Field(
        description="Slug of the speaker that survives; this speaker's slug becomes a redirect to it.")


# --- claims ------------------------------------------------------------------------------------


class ClaimOut(BaseModel):
    id: int
    text: str
    speaker: SpeakerRef | None
    status: Status
    status_reason: str | None
    version: int
    outlet_count: int
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    url: str | None = Field(None, description="The claim's HTML permalink; null when the web UI is not mounted.")
    fact_check_url: str | None = Field(None, description="For a claim imported from a fact-checker: its review page.")
    fact_check_headline: str | None = Field(
        None, description="For a claim imported from a fact-checker: its review's headline, which matching reads too.")


class ClaimDetail(ClaimOut):
    mention_count: int


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class OutletDetail(OutletOut):
    recent_articles: list[ArticleSummary]
    claims: ClaimPage


class SpeakerDetail(SpeakerOut):
    claims: ClaimPage


class SourceOut(BaseModel):
    mention_id: int
    outlet: OutletRef
    article_id: int
    title: str
    published: date | None
    url: str | None
    start: int
    end: int
    excerpt: str
    before: str = Field(description="Text of the sentence before the excerpt.")
    after: str = Field(description="Text of the sentence after the excerpt.")
    stance: Stance
    fidelity: Fidelity
    origin: Origin


class Paging(BaseModel):
    page: int
    per_page: int
    total: int = Field(description="items over all pages")
    pages: int
    next: str | None = Field(description="full URL of the next page, null on the last")
    prev: str | None = Field(description="full URL of the previous page, null on the first")


class ClaimSources(BaseModel):
    claim: ClaimOut
    outlets_by_stance: dict[str, list[str]] = Field(
        description="stance -> names of the outlets with a mention of that stance, by first appearance, "
        "over every mention (not only this page's)")
    sources: list[SourceOut] = Field(description="this page's mentions, oldest publication first")
    paging: Paging


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ClaimHistory(BaseModel):
    claim_id: int
    merged_into: int | None = Field(description="Set when this claim was merged away; its survivor.")
    events: list[EventOut]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Status
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]
    expected_version: Id | None = Field(None, description="The version you read; a mismatch is a 409.")


class ClaimEditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[Text, Field(min_length=1, max_length=5000)]
    expected_version: Id | None = None


class TagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tag: Annotated[Text, Field(min_length=1, max_length=60)]


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: Id = Field(description="The claim that survives; this claim's id becomes a redirect to it.")


# --- mentions ----------------------------------------------------------------------------------


class MentionOut(BaseModel):
    id: int
    claim_id: int
    article_id: int
    start: int
    end: int
    excerpt: str
    stance: Stance
    fidelity: Fidelity
    origin: Origin
    confirmed_by: str | None


class MentionIn(BaseModel):
    """A span an analyst selected, linked to an existing claim or made into a new one."""

    model_config = ConfigDict(extra="forbid")
    article_id: Id
    start: Offset
    end: Offset
    stance: Stance = "repeats"
    claim_id: Id | None = None
    new_claim_text: Annotated[Text, Field(min_length=1, max_length=5000)] | None = Field(
        None, description="Text of a new claim; omit both this and claim_id to use the selected text.")

    @model_validator(mode="after")
    def _one_target(self) -> MentionIn:
        if self.claim_id is not None and self.new_claim_text is not None:
            raise ValueError("give claim_id or new_claim_text, not both")
        if self.end <= self.start:
            raise ValueError("end must be greater than start")
        return self


class StanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stance: Stance
    expected_stance: Stance | None = Field(
        None, description="The stance you read: if it changed since, the answer is 409 and nothing changes.")


# --- articles ----------------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """No length cap on `text` here: the configured byte limit is the domain's, answered with 413."""

    model_config = ConfigDict(extra="forbid")
    text: Annotated[Text, Field(min_length=1)]
    outlet: Annotated[Text, Field(min_length=1, max_length=200)]
    title: Annotated[Text, Field(max_length=1000)] | None = None
    author: Annotated[Text, Field(max_length=300)] | None = None
    url: Annotated[Text, Field(max_length=2000)] | None = None
    published: Annotated[Text, Field(max_length=40)] | None = Field(
        None, description="Publication date, YYYY-MM-DD, or an ISO 8601 date and time with its UTC "
                          "offset (2024-05-01T14:05+02:00; a time without an offset is read as UTC).",
        examples=["2024-05-01", "2024-05-01T14:05:00+02:00"])


class IngestOut(BaseModel):
    id: int
    created: bool = Field(description="False when the same text was already stored; nothing changed.")
    quotes: int
    new_claims: int
    mentions: int
    notes: list[str] = Field(default=[], description="What the bounds on work per article left out "
                                                     "(quotations or statements not linked), one sentence each.")


class ArticleDeleted(BaseModel):
    id: int
    title: str
    outlet: str
    mentions_removed: int = Field(description="Mentions the article held; their claims stay.")


class ArticleSummary(BaseModel):
    id: int
    title: str
    outlet: OutletRef
    author: str | None
    url: str | None
    published: date | None
    published_at: datetime | None = Field(
        None, description="The publication moment (UTC) when the source gave a time of day.")
    ingested_at: datetime
    complete: bool = Field(True, description="False while an ingest is still linking the article (its "
                                             "quotes and mentions so far are shown), or when one stopped "
                                             "half-way: ingesting its text again stores it whole.")


class QuoteOut(BaseModel):
    id: int
    speaker: str | None = Field(description="The speaker as written in the article.")
    speaker_slug: str | None
    start: int
    end: int
    text: str
    cue: str | None
    kind: QuoteKind


class ArticleMentionOut(MentionOut):
    claim_text: str


class ArticleDetail(ArticleSummary):
    text: str
    quotes: list[QuoteOut]
    mentions: list[ArticleMentionOut]


OutletDetail.model_rebuild()


# --- outlets side by side ------------------------------------------------------------------------


PairKind = Literal[PAIR_KINDS]  # type: ignore[valid-type]


class MatrixFilterOut(BaseModel):
    tag: str | None
    speaker: str | None = Field(description="Speaker slug")
    since: date | None = Field(description="First publication day counted (inclusive)")
    until: date | None = Field(description="Last publication day counted (inclusive)")


class MatrixOutletOut(OutletRef):
    claims: int = Field(description="Claims it repeats or contradicts, within the filter")
    repeats: int
    contradicts: int
    url: str = Field(description="The outlet's HTML page")


class MatrixPairOut(BaseModel):
    a: str = Field(description="Outlet slug; a comes before b in `outlets` (a == b: the outlet with itself)")
    b: str
    both_repeat: int = Field(description="Claims both repeat (a == b: claims the outlet repeats)")
    split: int = Field(description="Claims one repeats and the other contradicts "
                                   "(a == b: claims the outlet both repeats and contradicts)")
    both_repeat_url: str | None = Field(description="Those claims (/api/v1/outlet-matrix/cell); null when none")
    split_url: str | None


class OutletMatrixOut(BaseModel):
    filter: MatrixFilterOut
    claim_count: int = Field(description="Claims some outlet repeats or contradicts, within the filter")
    outlet_count: int = Field(description="Outlets that repeat or contradict at least one of them")
    top: int
    outlets_left_out: int = Field(description="Outlets past `top` (fewest claims), not in `outlets`")
    outlets: list[MatrixOutletOut] = Field(description="Most claims first")
    pairs: list[MatrixPairOut] = Field(description="Every pair of `outlets` with a count, each pair once")


class CellMentionOut(BaseModel):
    mention_id: int
    article_id: int
    title: str
    published: date | None
    stance: Stance
    excerpt: str
    url: str = Field(description="The excerpt in its article (HTML)")


class CellClaimOut(BaseModel):
    id: int
    text: str
    status: Status
    speaker: SpeakerRef | None
    url: str | None
    a: list[CellMentionOut] = Field(description="Outlet a's confirmed repeats and contradictions of the claim")
    b: list[CellMentionOut]


class MatrixCellOut(BaseModel):
    a: OutletRef
    b: OutletRef
    kind: PairKind
    filter: MatrixFilterOut
    total: int
    items: list[CellClaimOut] = Field(description="Newest claim first; at most 200")


_ERROR_TEXT = {
    301: "Merged claim: `Location` is the surviving claim's URL.",
    404: "No such record.",
    409: "The claim changed since you read it (`expected_version` is stale).",
    413: "Article text over the configured size limit.",
    422: "Invalid input; `errors` lists each field.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error codes a route can answer, all with the Error body."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {"description": _ERROR_TEXT[code]}
        if code >= 400:
            entry["model"] = Error
        out[code] = entry
    return out
