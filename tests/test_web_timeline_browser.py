"""The spread timeline in real Chromium: articles pasted with a date and a time, the claim page
draws the picture at desktop and phone width without overflowing, and a mark takes the reader to
its excerpt in the article; a big claim's grouped picture keeps each unit's marks clear of the
next unit's at both widths."""
from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_browser, serve, serve_filled
from tests.test_web_support import RIVER, RIVERSIDE_NEWS, VALLEY_POST

pytestmark = pytest.mark.e2e


def _paste(page, base: str, article: dict) -> None:
    page.goto(base + "/ingest")
    form = page.locator("form.ingest-text")
    for field in ("outlet", "published", "title"):
        form.locator(f"input[name={field}]").fill(article[field])
    form.locator("textarea[name=text]").fill(article["text"])
    form.get_by_role("button", name="Ingest text").click()
    page.locator("#ingest-results a.article-link").wait_for()


def test_timeline_renders_and_a_mark_opens_its_excerpt(tmp_path):
    require_browser()
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    with serve(url) as base, chromium_page(base) as page:
        _paste(page, base, {**VALLEY_POST, "published": "2024-03-01T09:30:00+01:00"})
        _paste(page, base, {**RIVERSIDE_NEWS, "published": "2024-03-01T06:00:00Z"})
        page.goto(base + "/claims")
        page.get_by_role("link", name=RIVER).first.click()
        svg = page.locator("svg.timeline")
        svg.wait_for()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            box = svg.bounding_box()
            assert 300 < box["width"] <= width and box["height"] > 80
            # nothing in the spread section sticks out of the window (the top bar is another matter)
            assert page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll('#spread, #spread *'))
                                      .map(e => e.getBoundingClientRect().right))""") <= width
            # every mark lies inside the picture
            for mark in svg.locator("a.tl-mark use").all():
                b = mark.bounding_box()
                assert box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1
        assert page.locator(".first-appearance a.outlet").inner_text() == "Riverside News"
        first = svg.locator("a.tl-mark.first")
        # What a screen reader gets: each mark a link named by its <title> (written once, no aria-label)
        named = svg.get_by_role("link", name=re.compile("first appearance"))
        assert named.count() == 1 and named.get_attribute("data-mention-id") == first.get_attribute("data-mention-id")
        assert first.get_attribute("aria-label") is None
        # Colours from the stylesheet by shape and class: each stance's colour, suggestions hollow and dashed
        paints = svg.evaluate("""s => [...s.querySelectorAll('a.tl-mark')].map(a => {
            const st = getComputedStyle(a.querySelector('use'));
            return [a.querySelector('use').getAttribute('href'), a.classList.contains('suggested'),
                    st.fill, st.stroke, st.strokeDasharray];
        })""")
        colour = {"#tl-repeats": "rgb(154, 116, 0)", "#tl-contradicts": "rgb(192, 57, 43)",
                  "#tl-discusses": "rgb(47, 111, 214)"}
        assert paints and any(suggested for _, suggested, *_ in paints) and not all(s for _, s, *_ in paints)
        for shape, suggested, fill, stroke, dashes in paints:
            assert stroke == colour[shape]
            assert (fill, dashes != "none") == (("rgb(255, 255, 255)", True) if suggested else (colour[shape], False))
        mention_id = first.get_attribute("data-mention-id")
        first.click()
        page.wait_for_url(re.compile(rf"/articles/\d+#m{mention_id}$"))
        target = page.locator(f"[id='m{mention_id}']")
        assert target.count() == 1 and RIVER.startswith(target.inner_text().strip()[:20])


CLAIM_WORDS = "The harbour tunnel will close for repairs every winter until the new pumps arrive"


def _weekly_sides(session) -> int:
    """A claim three outlets repeat, contradict and discuss every week for two years (936
    mentions, drawn grouped), through the bulk loader; its id."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from app.domain.bulk import load_records
    from app.storage.models import Claim

    records = [{"type": "claim", "key": "c", "text": CLAIM_WORDS + ".", "speaker": "Ines Harbour"}]
    for i in range(9 * 104):
        lead = f"Report {i} from the coast. "
        text = lead + "“" + CLAIM_WORDS + ",” Ines Harbour said.\n"
        start = len(lead) + 1
        records.append({"type": "article", "outlet": f"Outlet {i % 3}", "text": text, "title": f"Report {i}",
                        "published": (date(2023, 1, 2) + timedelta(days=7 * (i // 9))).isoformat(),
                        "quotes": [{"start": start, "end": start + len(CLAIM_WORDS), "speaker": "Ines Harbour",
                                    "cue": "said", "kind": "direct"}],
                        "mentions": [{"claim": "c", "start": start, "end": start + len(CLAIM_WORDS), "quote": 0,
                                      "stance": ("repeats", "contradicts", "discusses")[i // 3 % 3]}]})
    report = load_records(session, enumerate(records, start=1), "tester")
    assert report.errors == []
    return session.scalar(select(Claim.id))


def test_a_grouped_timeline_keeps_each_units_marks_clear_of_the_next_at_phone_and_desktop(tmp_path):
    with serve_filled(tmp_path, _weekly_sides) as (base, _, claim_id), chromium_page(base) as page:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}/claims/{claim_id}")
            assert "grouped" in page.locator("svg.timeline").get_attribute("class")
            # each mark's box (its shape and the count beside it), by row and unit
            boxes = page.evaluate("""() => [...document.querySelectorAll('svg.timeline g.tl-row, svg.timeline g.tl-rest')]
                .map(g => [...g.querySelectorAll('a.tl-mark')].map(a => {
                    const u = a.querySelector('use').getBoundingClientRect();
                    const t = a.querySelector('text.tl-count'), b = t ? t.getBoundingClientRect() : u;
                    return [a.querySelector('use').getAttribute('x'), Math.min(u.left, b.left), Math.max(u.right, b.right)];
                }))""")
            assert sum(len(row) for row in boxes) > 20
            clashes = [(a, b) for row in boxes for a in row for b in row if a[0] != b[0] and a[1] < b[1] < a[2]]
            assert clashes == [], (width, clashes[:3])
