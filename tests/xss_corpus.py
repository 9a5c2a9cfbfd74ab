"""Hostile material for the XSS tests (no tests here): the payloads of tests/xss_payloads.txt put into
every field a person or an outlet can fill (article text, title, outlet, author, url, claim text,
tags, status reasons, speaker names, the actor of a change, imported claims and suggestions), the
pages that show them, and a check of a page's markup that does not depend on the CSP.

The data goes in through the domain functions the routes call, so it does not depend on how a test
client logs in; the pages are then read through HTTP like any visitor's."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import review
from app.domain.articles import ArticleInput, ingest_article
from app.domain.known_claims import import_claims_file
from app.domain.linking import add_mention
from app.domain.mentions import link_selection
from app.storage.models import Article, Claim, Outlet, Speaker, Tag

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
GROUP = 8


def load_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


@dataclass
class Corpus:
    payloads: list[str]
    groups: list[list[str]]
    article_ids: list[int] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)
    outlet_slugs: list[str] = field(default_factory=list)
    speaker_slugs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # (article id, claim id, payload the claim's mention marks exactly)
    marked: list[tuple[int, int, str]] = field(default_factory=list)


def article_text(g: int, group: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph per payload, and a quotation carrying the last one; the spans of the payloads."""
    parts, spans, pos = [], [], 0
    head = f"Harbour report number {g}\n\n"
    parts.append(head)
    pos += len(head)
    for i, p in enumerate(group):
        before = f"Paragraph {g}.{i}: the board wrote "
        line = f"{before}{p} in its notice.\n\n"
        spans.append((pos + len(before), pos + len(before) + len(p)))
        parts.append(line)
        pos += len(line)
    parts.append(f"“Ships will dock again by spring {group[-1]},” harbour master Mira Dunst said.\n")
    return "".join(parts), spans


def _article(session: Session, g: int, group: list[str], actor: str) -> int:
    text, _ = article_text(g, group)
    url = f"https://news.example/{g}?q={group[3 % len(group)]}" if g % 2 == 0 else group[3 % len(group)]
    data = ArticleInput(text=text, outlet=f"Outlet {g} {group[0]}"[:200], title=" · ".join(group)[:1000],
                        author=" ".join(group[1:3])[:300] or None, url=url[:2000],
                        published=date(2024, 1, 1) + timedelta(days=g))
    return ingest_article(session, data, actor).article_id


def _claims_of_article(session: Session, g: int, group: list[str], article_id: int, actor: str,
                       corpus: Corpus) -> list[int]:
    """Two analyst claims whose mentions mark a payload exactly, reviewed, tagged and re-worded."""
    _, spans = article_text(g, group)
    made = []
    for k in range(0, len(group), 4):
        start, end = spans[k]
        words = " ".join(group[k:k + 4])
        mention = link_selection(session, article_id, start, end, "discusses", actor,
                                 new_claim_text=f"Claim {g}.{k}: {words}")
        claim_id = mention.claim_id
        for tag in [p for p in group[k:k + 4] if len(p.strip()) <= 60][:3]:
            review.add_tag(session, claim_id, tag, actor)
        review.set_status(session, claim_id, "disputed", " ".join(group)[:2000], actor)
        claim = session.get(Claim, claim_id)
        review.edit_text(session, claim_id, f"{claim.text} {group[-1]}"[:5000], actor)
        corpus.marked.append((article_id, claim_id, group[k]))
        made.append(claim_id)
    return made


def _imported(session: Session, groups: list[list[str]], actor: str) -> None:
    """Known claims from a fact-checker's file: claimants become speakers, ratings reasons."""
    records = [{"claim": f"Imported {g}: " + " ".join(group[:4]),
                "claimant": f"Speaker {g} {group[4 % len(group)]}"[:200],
                "rating": group[6 % len(group)][:200], "url": f"https://review.example/?r={group[2 % len(group)]}",
                "reviewer": group[1 % len(group)][:200], "date": "2024-02-01"}
               for g, group in enumerate(groups)]
    result = import_claims_file(session, json.dumps(records).encode(), "claims.json", "auto", actor)
    assert len(result.created) == len(groups), result.errors


def _suggestions(session: Session, corpus: Corpus, actor: str) -> None:
    """The next article's payload paragraphs proposed for each claim: one repeats, one contradicts."""
    for n, (_, claim_id, _) in enumerate(corpus.marked):
        g = n // 2
        other = corpus.article_ids[(g + 1) % len(corpus.article_ids)]
        _, spans = article_text((g + 1) % len(corpus.groups), corpus.groups[(g + 1) % len(corpus.groups)])
        start, end = spans[(n % 2) + 1]
        add_mention(session, session.get(Claim, claim_id), session.get(Article, other), start, end,
                    stance="contradicts" if n % 2 else "repeats", origin="suggested", quoted=False,
                    score=0.7)


def populate(session: Session, payloads: list[str]) -> Corpus:
    groups = [payloads[i:i + GROUP] for i in range(0, len(payloads), GROUP)]
    corpus = Corpus(payloads, groups)
    for g, group in enumerate(groups):
        actor = group[5 % len(group)][:200]
        corpus.article_ids.append(_article(session, g, group, actor))
        _claims_of_article(session, g, group, corpus.article_ids[-1], actor, corpus)
    _imported(session, groups, groups[0][0])
    _suggestions(session, corpus, groups[-1][0])
    session.commit()
    corpus.claim_ids = list(session.scalars(
        select(Claim.id).where(Claim.merged_into_id.is_(None)).order_by(Claim.id)))
    corpus.outlet_slugs = list(session.scalars(select(Outlet.slug).order_by(Outlet.id)))
    corpus.speaker_slugs = list(session.scalars(select(Speaker.slug).order_by(Speaker.id)))
    corpus.tags = list(session.scalars(select(Tag.name).order_by(Tag.id)))
    return corpus


def page_paths(app, corpus: Corpus) -> list[str]:
    """Every page that shows stored text, by route name, with filters and searches that carry it."""
    def url(name: str, query: dict | None = None, **params) -> str:
        from urllib.parse import urlencode
        path = str(app.url_path_for(name, **params))
        return f"{path}?{urlencode(query)}" if query else path

    paths = [url("dashboard"), url("claims"), url("claims", {"q": "Claim board"}),
             url("claims", {"status": "disputed"}), url("claims", {"q": corpus.payloads[0]}),
             url("outlets"), url("speakers"), url("suggestions"),
             url("suggestions", {"kind": "contradicts"}), url("ingest"), url("import_claims")]
    paths += [url("claims", {"tag": t}) for t in corpus.tags[:5]]
    paths += [url("claims", {"outlet": corpus.outlet_slugs[0], "speaker": corpus.speaker_slugs[0]})]
    for claim_id in corpus.claim_ids:
        paths += [url("claim", claim_id=claim_id), url("claim_sources", claim_id=claim_id)]
    for article_id in corpus.article_ids:
        paths.append(url("article", article_id=article_id))
    # A selection and a claim search on the article page: the link form lists the claims found.
    article_id = corpus.marked[0][0]
    paths.append(url("article", {"start": 0, "end": 40, "q": "Claim"}, article_id=article_id))
    paths.append(url("article", {"q": corpus.payloads[0]}, article_id=article_id))
    paths += [url("outlet", slug=s) for s in corpus.outlet_slugs]
    paths += [url("speaker", slug=s) for s in corpus.speaker_slugs]
    # Outlets side by side: outlet, speaker and tag names in the heatmap, the filters and a cell's list.
    paths += [url("outlet_matrix"), url("outlet_matrix", {"tag": corpus.tags[0], "top": 60})]
    slugs = corpus.outlet_slugs
    paths += [url("outlet_matrix_cell", {"a": a, "b": b, "kind": kind})
              for a, b in zip(slugs[:3], slugs[1:4]) for kind in ("both_repeat", "split")]
    return paths


FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "img", "image", "video", "audio",
                  "source", "base", "template", "marquee", "x", "xss", "isindex", "keygen", "style",
                  "noscript", "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "background",
             "hx-get", "hx-post", "data-hx-get", "data-hx-post", "poster"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def _app_markup(el) -> bool:
    """What the templates themselves draw: the spread timeline's SVG (inside its figure) and the
    ClaimReview JSON-LD block in the head (data, never run)."""
    name = el.name.lower()
    if name == "svg":
        return any(p.name == "figure" and "timeline-figure" in (p.get("class") or []) for p in el.parents)
    if name == "script":
        return el.get("type") == "application/ld+json" and el.parent is not None and el.parent.name == "head"
    return False


def markup_problems(html: str) -> list[str]:
    """Elements or attributes that only a payload parsed as markup could have put there."""
    problems = []
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        name = el.name.lower()
        if _app_markup(el):
            pass
        elif name in FORBIDDEN_TAGS:
            problems.append(f"<{name}> element")
        elif name == "script" and not str(el.get("src", "")).startswith("/static/"):
            problems.append("inline <script>")
        if name == "meta" and el.has_attr("http-equiv"):
            problems.append("<meta http-equiv>")
        for attr, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            attr = attr.lower()
            if attr.startswith(("on", "hx-on", "data-hx-on")) or (attr.endswith("hx-vals") and "js:" in value):
                problems.append(f"{attr}= on <{name}>")
            squeezed = "".join(ch for ch in value if ch > " ").lower()
            if attr in URL_ATTRS and squeezed.startswith(BAD_SCHEMES):
                problems.append(f"{attr}={value[:40]!r} on <{name}>")
    return problems


# The same check in the browser, on the DOM Chromium built (it parses as browsers do, not as
# html.parser does).
MARKUP_PROBLEMS_JS = """([forbidden, urlAttrs]) => {
  const bad = [], forb = new Set(forbidden), urls = new Set(urlAttrs);
  for (const el of document.querySelectorAll('*')) {
    const name = el.localName.toLowerCase();
    // the templates' own: the timeline SVG in its figure, the ClaimReview JSON-LD in the head
    const app = (name === 'svg' && el.parentElement && el.parentElement.closest('figure.timeline-figure')) ||
      (name === 'script' && el.getAttribute('type') === 'application/ld+json' && el.parentElement === document.head);
    if (!app && forb.has(name)) bad.push('<' + name + '> element');
    if (!app && name === 'script' && !(el.getAttribute('src') || '').startsWith('/static/')) bad.push('inline <script>');
    if (name === 'meta' && el.hasAttribute('http-equiv')) bad.push('<meta http-equiv>');
    for (const a of el.attributes) {
      const attr = a.name.toLowerCase();
      if (attr.startsWith('on') || attr.startsWith('hx-on') || attr.startsWith('data-hx-on') ||
          (attr.endsWith('hx-vals') && a.value.includes('js:'))) bad.push(attr + '= on <' + name + '>');
      const squeezed = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (urls.has(attr) && /^(javascript|data|vbscript):/.test(squeezed)) bad.push(attr + ' url on <' + name + '>');
    }
  }
  return bad;
}"""
