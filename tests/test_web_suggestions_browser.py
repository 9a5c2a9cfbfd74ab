"""The suggestions queue by keyboard in real Chromium: j selects, a accepts, r rejects, the item leaves
and the count drops (htmx swaps), and the same keys still work as plain form posts without htmx."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import DismissedMatch, Mention
from tests.browser import chromium_page, require_htmx, serve_filled
from tests.test_web_suggestions import ingest_sample, pending

pytestmark = pytest.mark.e2e


@pytest.fixture
def served(tmp_path):
    """The app under uvicorn on a database holding the three sample suggestions, best first."""
    def fill(session):
        ingest_sample(session)
        return [m.id for m in pending(session)]

    with serve_filled(tmp_path, fill, "queue.db") as (base, url, ids):
        assert len(ids) == 3
        yield base, url, ids


def stored(url: str) -> tuple[dict[int, str], int]:
    """Origin of every mention by id, and how many suggestions were dismissed."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        origins = dict(session.execute(select(Mention.id, Mention.origin)).all())
        dismissed = len(session.scalars(select(DismissedMatch.id)).all())
    engine.dispose()
    return origins, dismissed


def count(page) -> str:
    return page.locator("#queue-count .pending-count").inner_text().strip()


def wait_count(page, expected: str) -> None:
    page.wait_for_function("(n) => document.querySelector('#queue-count .pending-count')"
                           ".textContent.trim() === n", arg=expected)


def test_keys_accept_and_reject_in_place(served):
    require_htmx()
    base, url, (first, second, third) = served
    with chromium_page(base) as page:
        page.goto(base + "/suggestions")
        page.wait_for_function("() => window.htmx !== undefined")
        assert count(page) == "3"
        page.locator("input[name=claim]").press("j")  # typing in a field is not a command
        assert page.locator("li.suggestion.is-current").count() == 0

        page.locator("h1").click()
        page.keyboard.press("j")
        assert page.locator(f"li#s{first}").get_attribute("aria-current") == "true"
        page.keyboard.press("x")
        assert page.locator(f"li#s{first} input[name=ids]").is_checked()
        page.keyboard.press("x")
        page.keyboard.press("a")
        page.locator(f"li#s{first}").wait_for(state="detached")
        wait_count(page, "2")
        assert page.locator("#nav-pending").inner_text().strip() == "2"
        assert "Accepted" in page.locator("#queue-flash").inner_text()
        # The selection moved on to the next item by itself: r rejects that one.
        assert page.locator(f"li#s{second}").get_attribute("aria-current") == "true"
        page.keyboard.press("r")
        page.locator(f"li#s{second}").wait_for(state="detached")
        wait_count(page, "1")
        assert page.locator("li.suggestion").count() == 1
        assert page.locator(f"li#s{third}").get_attribute("aria-current") == "true"
        assert re.search(r"/suggestions$", page.url)  # no reload: htmx swapped in place

    origins, dismissed = stored(url)
    assert origins[first] == "analyst" and second not in origins and origins[third] == "suggested"
    assert dismissed == 1


def test_keys_fall_back_to_plain_forms_without_htmx(served):
    base, url, (first, second, _third) = served
    with chromium_page(base) as page:
        page.route("**/vendor/htmx.min.js*", lambda route: route.abort())   # the URL carries ?v= (static_url)
        page.goto(base + "/suggestions")
        page.locator("h1").click()
        page.keyboard.press("j")
        page.keyboard.press("a")
        page.wait_for_url(re.compile(rf"/suggestions#s{second}$"))
        page.locator(f"li#s{second}.is-current").wait_for()
        assert count(page) == "2" and page.locator(f"li#s{first}").count() == 0
    origins, _ = stored(url)
    assert origins[first] == "analyst"
