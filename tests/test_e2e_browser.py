"""The analyst's core flow in real Chromium: ingest the seeds from the browser, open the consensus
claim, see the outlets that repeat it (no manual linking), mark it disputed, reload its permalink."""
from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_browser, serve
from tests.seeds import SEEDS_DIR, seeds_available

pytestmark = pytest.mark.e2e

CLAIM = ("The Chinese military is willing to work together with the Russian military to fully "
         "implement the important consensus reached by the two heads of state")


@pytest.fixture
def base_url(tmp_path):
    require_browser()
    with serve(f"sqlite:///{tmp_path / 'e2e.db'}") as url:
        yield url


def upload_seeds(page, base_url):
    from app.pipeline.documents import parse_sources_csv

    rows = parse_sources_csv((SEEDS_DIR / "sources.csv").read_text(encoding="utf-8"))
    for name in sorted(rows):
        row = rows[name]
        page.goto(base_url + "/ingest")
        form = page.locator("form.ingest-files")
        form.locator("input[name=files]").set_input_files(str(SEEDS_DIR / name))
        form.locator("input[name=outlet]").fill(row["outlet"])
        form.locator("input[name=published]").fill(row["published"])
        form.get_by_role("button", name="Upload").click()
        results = page.locator("#ingest-results")
        results.get_by_text(name).wait_for()
        assert "added" in results.inner_text().lower(), results.inner_text()


@pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")
def test_ingest_seeds_link_outlets_dispute_and_reload(base_url):
    with chromium_page(base_url) as page:
        upload_seeds(page, base_url)

        page.goto(base_url + "/claims")
        page.get_by_role("searchbox", name="Search claims").fill("fully implement the important consensus")
        page.keyboard.press("Enter")
        link = page.get_by_role("link", name=re.compile(r"^The Chinese military is willing to work together"))
        link.first.click()
        page.wait_for_url(re.compile(r"/claims/\d+"))
        assert page.locator("blockquote.claim-text").inner_text().strip() == CLAIM

        repeats = page.locator('section.stance-group[data-stance="repeats"] a.outlet')
        outlets = set(repeats.all_inner_texts())
        assert {"The Epoch Times", "South China Morning Post", "Press TV"} <= outlets, outlets

        form = page.locator("form.status-form")
        form.locator("select[name=status]").select_option("disputed")
        form.locator("textarea[name=reason]").fill("Spokesman's wording differs between outlets")
        form.get_by_role("button", name="Set status").click()
        page.locator(".status-reason").get_by_text("Spokesman's wording differs").wait_for()

        permalink = page.url
        page.goto(permalink)
        page.reload()
        assert page.locator(".status-line .status-reason").inner_text().strip() == \
            "Spokesman's wording differs between outlets"
        assert "disputed" in page.locator(".status-line").inner_text()
