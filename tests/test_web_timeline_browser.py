"""The spread timeline in real Chromium: articles pasted with a date and a time, the claim page
draws the picture at desktop and phone width without overflowing, and a mark takes the reader to
its excerpt in the article."""
from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_browser, serve
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
        assert "first appearance" in first.get_attribute("aria-label")
        mention_id = first.get_attribute("data-mention-id")
        first.click()
        page.wait_for_url(re.compile(rf"/articles/\d+#m{mention_id}$"))
        target = page.locator(f"[id='m{mention_id}']")
        assert target.count() == 1 and RIVER.startswith(target.inner_text().strip()[:20])
