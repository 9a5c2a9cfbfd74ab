"""An audit event told as a sentence: "ana set status to disputed because the ministry denied it".

Why a module of its own: the claim page's history, the speaker page and the audit log read the same
rows, and a reader should meet one wording for one change, never the stored `key=value` pairs. Pure:
an event's action, actor and before/after values in, text out (stored text stays text; the templates
escape it)."""
from __future__ import annotations

from collections.abc import Callable

MAX_QUOTED = 160


def _quoted(text: object) -> str:
    words = " ".join(str(text or "").split())
    return f"“{words[:MAX_QUOTED - 1]}…”" if len(words) > MAX_QUOTED else f"“{words}”"


def _plural(n: object, word: str) -> str:
    n = n if isinstance(n, int) else 0
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('s') else 's'}"


def _article(values: dict) -> str:
    return f"article #{values['article_id']}" if values.get("article_id") is not None else "an article"


def _status(actor: str, before: dict, after: dict) -> str:
    text = f"{actor} set status to {after.get('status')}"
    if before.get("status") and before.get("status") != after.get("status"):
        text += f" (was {before['status']})"
    return text + (f" because {after['reason']}" if after.get("reason") else "")


def _merge(actor: str, before: dict, after: dict) -> str:
    text = f"{actor} merged claim #{before.get('claim')} into claim #{after.get('merged_into')}"
    if before.get("text"):
        text += f" ({_quoted(before['text'])})"
    if "mentions_moved" in after:
        text += f", moving {_plural(after['mentions_moved'], 'mention')}"
    return text


def _speaker_merge(actor: str, before: dict, after: dict) -> str:
    moved = ", ".join(_plural(after.get(f"{k}_moved"), one)
                      for k, one in (("quotes", "quote"), ("claims", "claim"), ("aliases", "alias")))
    return (f"{actor} merged speaker {before.get('name')} into {after.get('name')}, moving {moved}; "
            f"{before.get('name')} is now another name of {after.get('name')}")


def _import(actor: str, before: dict, after: dict) -> str:
    text = f"{actor} imported it from {after.get('source') or 'a list of known claims'}"
    if after.get("rating"):
        text += f", rated {_quoted(after['rating'])}"
        if after.get("reviewer"):
            text += f" by {after['reviewer']}"
    if after.get("status") and after.get("status") != before.get("status", after.get("status")):
        text += f", setting status to {after['status']}"
    return text


def _accept(actor: str, before: dict, after: dict) -> str:
    text = f"{actor} accepted the suggestion from {_article(after)}"
    if after.get("stance") and after.get("stance") != before.get("stance"):
        return text + f" as {after['stance']} (proposed as {before.get('stance')})"
    return text + (f" ({after['stance']})" if after.get("stance") else "")


SENTENCES: dict[str, Callable[[str, dict, dict], str]] = {
    "claim.status": _status,
    "claim.edit": lambda a, b, c: f"{a} changed the wording from {_quoted(b.get('text'))} to {_quoted(c.get('text'))}",
    "claim.tag.add": lambda a, b, c: f"{a} tagged it {_quoted(c.get('tag'))}",
    "claim.tag.remove": lambda a, b, c: f"{a} removed the tag {_quoted(b.get('tag'))}",
    "claim.merge": _merge,
    "claim.merged_away": lambda a, b, c: f"{a} merged this claim into claim #{c.get('merged_into')}",
    "claim.create": lambda a, b, c: f"{a} made this claim from a passage of article #{c.get('from_article')}",
    "claim.import": _import,
    "mention.link": lambda a, b, c: (f"{a} linked {_quoted(c.get('excerpt'))} in {_article(c)}"
                                     f" as {c.get('stance')}"),
    "mention.stance": lambda a, b, c: (f"{a} changed the stance of the mention in {_article(c or b)}"
                                       f" from {b.get('stance')} to {c.get('stance')}"),
    "mention.unlink": lambda a, b, c: f"{a} unlinked {_quoted(b.get('excerpt'))} in {_article(b)}",
    "suggestion.accept": _accept,
    "suggestion.reject": lambda a, b, c: (f"{a} rejected the suggestion from {_article(b)}"
                                          f"; it will not be proposed again"),
    "speaker.merge": _speaker_merge,
    "article.ingest": lambda a, b, c: f"{a} ingested {_quoted(c.get('title'))} from {c.get('outlet')}",
    "article.rematch": lambda a, b, c: f"{a} matched the article again against the stored claims",
    "article.delete": lambda a, b, c: f"{a} deleted the article {_quoted(b.get('title'))}",
}


def event_sentence(action: str, actor: str, before: dict | None, after: dict | None) -> str:
    """One sentence for one event; an action without its own wording still reads as words."""
    describe = SENTENCES.get(action)
    if describe is not None:
        try:
            return describe(actor, before or {}, after or {})
        except (AttributeError, TypeError):   # values of an older shape: fall back, never fail
            pass
    return f"{actor} made a change: {action.replace('.', ' ').replace('_', ' ')}"


def event_article_id(before: dict | None, after: dict | None) -> int | None:
    """The article an event's passage is in, for a link beside the sentence."""
    for values in (after or {}, before or {}):
        article_id = values.get("article_id") if isinstance(values, dict) else None
        if isinstance(article_id, int):
            return article_id
    return None
