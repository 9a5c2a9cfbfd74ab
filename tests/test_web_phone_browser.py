"""The top bar on a phone: at 390 px every navigation link and the account menu are on screen and
the page is no wider than the screen (it was 741 px wide, the bar pushing it out)."""
from __future__ import annotations

import pytest

from tests.browser import chromium_page, serve_new

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 800}


def test_the_top_bar_fits_a_phone(tmp_path):
    # SQLite only: the layout does not depend on the engine
    with serve_new(tmp_path, "phone.db") as (base, _), chromium_page(base) as page:
        page.set_viewport_size(PHONE)
        for path in ("/", "/claims"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            links = page.locator(".topbar a, .topbar button")
            assert links.count() >= 5
            for i in range(links.count()):
                box = links.nth(i).bounding_box()
                assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], \
                    (path, links.nth(i).inner_text(), box)
