"""Review on the article and claim pages in real Chromium: suggestions decided in place (htmx), text
selected by dragging inside a highlighted passage (a highlight is no link to drag), and the link
panel never drawn over the mentions list, at desktop and phone widths."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Claim, Mention
from tests.browser import chromium_page, require_htmx, serve_filled
from tests.test_web_suggestions import COURIER, PIPES, ingest_sample, pending

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 800}


@pytest.fixture
def served(tmp_path):
    """The app under uvicorn on a database holding the three sample suggestions."""
    require_htmx()

    def fill(session):
        ingest_sample(session)
        return {"courier": session.scalar(select(Article.id).where(Article.title == COURIER.title)),
                "pipes": session.scalar(select(Claim.id).where(Claim.text == PIPES)),
                "suggestions": {(m.claim_id, m.article_id): m.id for m in pending(session)}}

    with serve_filled(tmp_path, fill, "review.db") as served_app:
        yield served_app


def origin_of(url: str, mention_id: int) -> str | None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        origin = session.scalar(select(Mention.origin).where(Mention.id == mention_id))
    engine.dispose()
    return origin


def test_accept_and_reject_in_place(served):
    base, url, ids = served
    (claim_a, article_a), first = next(iter(ids["suggestions"].items()))
    rest = [mid for key, mid in ids["suggestions"].items() if key[0] == ids["pipes"] and mid != first]
    with chromium_page(base) as page:
        page.goto(f"{base}/articles/{article_a}")
        page.wait_for_function("() => window.htmx !== undefined")
        item = page.locator(f"#suggestion-item-{first}")
        assert item.locator(".suggested-label").inner_text() == "suggested"
        assert "suggested" in page.locator(f"mark#m{first}").get_attribute("class")
        item.get_by_role("button", name="Accept").click()
        page.wait_for_selector("#article .flash.ok")
        assert page.locator(f"#suggestion-item-{first}").count() == 0
        # htmx settles attributes of an element that keeps its id: for about 20 ms the swapped-in
        # mark still wears its old class (so CSS can animate), then takes the new one.
        page.wait_for_selector(f"mark#m{first}.mention", timeout=5000)
        assert "mention" in page.locator(f"mark#m{first}").get_attribute("class").split()
        assert page.locator(f"#mention-item-{first}").count() == 1
        assert page.url == f"{base}/articles/{article_a}"   # swapped in place, no navigation
        assert origin_of(url, first) == "analyst"

        if rest:
            page.goto(f"{base}/claims/{ids['pipes']}")
            page.wait_for_function("() => window.htmx !== undefined")
            page.locator(f"#suggestion-{rest[0]} form.inline-reject button").click()
            page.wait_for_selector("#claim .flash.ok")
            assert page.locator(f"#suggestion-{rest[0]}").count() == 0
            assert "Rejected suggestion" in page.locator("#claim .flash").inner_text()
            assert origin_of(url, rest[0]) is None


def _drag_select(page, mark, start_frac: float, end_frac: float) -> None:
    box = mark.bounding_box()
    y = box["y"] + min(box["height"], 18) / 2
    page.mouse.move(box["x"] + 3 + (box["width"] - 6) * start_frac, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 3 + (box["width"] - 6) * end_frac, y, steps=8)
    page.mouse.up()


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_selecting_inside_a_highlight_fills_the_offsets(served, viewport):
    base, _, ids = served
    with chromium_page(base) as page:
        page.set_viewport_size(viewport)
        page.goto(f"{base}/articles/{ids['courier']}")
        here = page.url
        mark = page.locator("#article-text mark.mention").first
        mark.scroll_into_view_if_needed()
        assert mark.locator("a").count() == 0
        m_start, m_end = int(mark.get_attribute("data-start")), int(mark.get_attribute("data-end"))
        _drag_select(page, mark, 0.1, 0.6)
        selected = page.evaluate("() => window.getSelection().toString()")
        assert len(selected) > 5, "dragging inside the highlight selected nothing"
        start = int(page.locator("#link-start").input_value())
        end = int(page.locator("#link-end").input_value())
        assert m_start <= start < end <= m_end
        assert COURIER.text[start:end] == selected
        assert page.url == here   # no link was followed or dragged
        # A click without a selection points at the mention's entry beside the text.
        page.evaluate("() => window.getSelection().removeAllRanges()")
        mark.click()
        assert page.locator(".mention-list li.is-pointed").count() == 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_link_panel_never_covers_the_mentions(served, viewport):
    base, _, ids = served
    with chromium_page(base) as page:
        page.set_viewport_size(viewport)
        page.goto(f"{base}/articles/{ids['courier']}")
        for y in (0, 300, 100000):
            page.evaluate("(y) => window.scrollTo(0, y)", y)
            panel = page.locator("#link").bounding_box()
            for i in range(page.locator(".mention-list li").count()):
                item = page.locator(".mention-list li").nth(i).bounding_box()
                assert not _overlap(panel, item), (y, panel, item)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_bulk_reject_in_the_queue(served):
    base, url, ids = served
    chosen = sorted(ids["suggestions"].values())[:2]
    with chromium_page(base) as page:
        page.goto(f"{base}/suggestions")
        page.wait_for_function("() => window.htmx !== undefined")
        for mid in chosen:
            page.locator(f"li#s{mid} input[name=ids]").check()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Reject selected").click()
        page.wait_for_function("() => document.querySelector('#queue-flash').textContent.includes('Rejected')")
        assert page.locator("#queue-flash").inner_text().strip() == "Rejected 2 suggestions."
        assert page.url == f"{base}/suggestions"
        assert page.locator("li.suggestion").count() == len(ids["suggestions"]) - 2
    assert [origin_of(url, mid) for mid in chosen] == [None, None]
