"""The seeds ingested from the browser as a person has them: every article file and its sources.csv
chosen at once in the upload form, each article stored with its own outlet and date; then an
outlet's page offers its Atom feed, which a feed reader's parser reads."""
from __future__ import annotations

import feedparser
import pytest

from app.pipeline.documents import parse_sources_csv
from tests.browser import chromium_page, serve_new, upload_seeds
from tests.seeds import SEEDS_DIR, seeds_available

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")]


def test_seeds_with_their_sources_csv_upload_in_one_go(tmp_path):
    rows = parse_sources_csv((SEEDS_DIR / "sources.csv").read_text(encoding="utf-8"))
    names = sorted(rows)
    with serve_new(tmp_path) as (base, _), chromium_page(base) as page:
        results = upload_seeds(page, base, names)
        assert results.locator(".batch-note").inner_text() == \
            f"sources.csv gave the outlet and date of {len(names)} of {len(names)} files."
        shown = [(r.locator("td.name").inner_text(), r.get_attribute("data-status"))
                 for r in results.locator("tr.result").all()]
        assert shown == [(name, "added") for name in names]

        page.goto(base + "/outlets")
        listed = set(page.locator("main a").all_inner_texts())
        assert {row["outlet"] for row in rows.values()} <= listed, listed

        first = names[0]
        page.goto(base + "/outlets")
        page.get_by_role("link", name=rows[first]["outlet"], exact=True).first.click()
        page.wait_for_url(f"{base}/outlets/*")
        feed_href = page.locator('head link[rel=alternate][type="application/atom+xml"]').get_attribute("href")
        articles = page.locator("main").inner_text()
        assert rows[first]["published"] in articles
        feed = page.request.get(base + feed_href)
        parsed = feedparser.parse(feed.body())
        assert feed.status == 200 and parsed.bozo == 0 and parsed.version == "atom10"
        assert parsed.feed.title == f"Claims carried by {rows[first]['outlet']}"
        assert parsed.entries and all(e.link.startswith(base + "/claims/") for e in parsed.entries)
