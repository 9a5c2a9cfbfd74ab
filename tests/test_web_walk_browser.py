"""Issue 12's walk, as an analyst does it in Chromium: the seeds and their sources.csv uploaded from
the browser, the most-travelled claim opened (its timeline read as SVG by an XML parser), a verdict
given with its reason (the ClaimReview JSON-LD read by a JSON parser, on the page and as the
download), the outlet matrix and one of its cells, each page shot at desktop and phone width.

Screenshots go to $CLAIMTRACKER_SHOTS when set (to look at them), else to the test's temp folder."""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser import chromium_page, serve_new, upload_seeds
from tests.seeds import SEEDS_DIR, seeds_available

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")]

SVG = "{http://www.w3.org/2000/svg}"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
REASON = "Two outlets quote the ministry otherwise; the transcript says patrols, not drills."


def _shoot(page, folder: Path, name: str) -> dict[str, int]:
    """Both widths; the page's scroll width at each (a phone page wider than the screen is broken)."""
    widths = {}
    for label, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
        widths[label] = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return widths


def test_from_upload_to_timeline_matrix_and_claimreview(tmp_path):
    shots = Path(os.environ.get("CLAIMTRACKER_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    widths = {}
    with serve_new(tmp_path) as (base, _), chromium_page(base) as page:
        results = upload_seeds(page, base, names)
        assert results.locator("tr.result[data-status=added]").count() == len(names)
        widths["ingest"] = _shoot(page, shots, "1-ingest")

        # The claims list sorts by outlets: the first claim is the one that travelled furthest.
        page.goto(base + "/claims")
        widths["claims"] = _shoot(page, shots, "2-claims")
        href = next(h for h in page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
                    if h and re.fullmatch(r"/claims/\d+(/[^/]+)?", h))
        claim_id = int(href.split("/")[2])
        page.goto(base + href)

        svg = ET.fromstring(page.locator("svg.timeline").evaluate("e => e.outerHTML"))
        rows = svg.findall(f"{SVG}g[@class='tl-row']")
        marks = [a for row in rows for a in row.findall(f"{SVG}a")]
        assert len(rows) >= 2, "the most-travelled claim is carried by two outlets or more"
        assert len(marks) >= len(rows) and all(a.get("href") for a in marks)
        assert sum("first" in a.get("class", "").split() for a in marks) >= 1   # first appearance marked
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text

        status = page.locator("form.status-form")
        status.locator("select[name=status]").select_option("disputed")
        status.locator("textarea[name=reason]").fill(REASON)
        status.get_by_role("button", name="Set status").click()
        page.locator(".status-reason", has_text="transcript says patrols").wait_for()
        page.reload()
        blocks = [json.loads(t) for t in page.locator('script[type="application/ld+json"]').all_inner_texts()]
        review = next(b for b in blocks if b.get("@type") == "ClaimReview")
        assert review["reviewRating"]["ratingExplanation"] == REASON
        assert review["itemReviewed"]["@type"] == "Claim"
        appearance = review["itemReviewed"]["appearance"]
        assert appearance and review["itemReviewed"]["firstAppearance"] in appearance
        download = page.request.get(f"{base}/claims/{claim_id}/claimreview.json")
        assert download.status == 200 and download.json()["reviewRating"] == review["reviewRating"]
        widths["claim"] = _shoot(page, shots, "3-claim")

        page.goto(f"{base}/claims/{claim_id}/sources")
        assert page.locator("svg.timeline").count() == 1
        widths["sources"] = _shoot(page, shots, "4-sources")

        page.goto(base + "/outlet-matrix")
        cells = page.locator("table.matrix td.cell a")
        assert cells.count() >= 1
        count = int(cells.first.inner_text())
        widths["matrix"] = _shoot(page, shots, "5-matrix")
        cells.first.click()
        page.wait_for_url(re.compile(r".*/outlet-matrix/cell\?.*"))
        assert page.locator(".cell-claim").count() == count
        widths["cell"] = _shoot(page, shots, "6-matrix-cell")

        page.goto(base + "/suggestions")
        widths["queue"] = _shoot(page, shots, "7-queue")
        page.goto(base + "/articles/1")
        widths["article"] = _shoot(page, shots, "8-article")

    too_wide = {page: w["phone"] for page, w in widths.items() if w["phone"] > WIDTHS["phone"][0]}
    assert not too_wide, f"wider than a 390 px phone: {too_wide}"
