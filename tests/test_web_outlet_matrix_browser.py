"""Outlets side by side in real Chromium, on the seeds (../shared/seeds with their sources.csv): from
the outlets list to the matrix, a click on a cell lists as many claims as the cell said, at desktop
and phone width without the page growing wider than the screen, under the app's CSP (no console
error). Screenshots go to CLAIMTRACKER_SCREENSHOT_DIR when it is set."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from tests.browser import chromium_page, serve_new
from tests.seeds import SEEDS_DIR, seeds_available

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")]

WIDTHS = {"desktop": 1280, "phone": 390}


def _shoot(page, name: str) -> None:
    shot = os.environ.get("CLAIMTRACKER_SCREENSHOT_DIR")
    if shot:
        page.screenshot(path=str(Path(shot) / f"{name}.png"), full_page=True)


def _page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_matrix_of_the_seeds_and_a_click_on_a_cell(tmp_path):
    with serve_new(tmp_path) as (base, db_url):
        result = CliRunner().invoke(main, ["ingest", str(SEEDS_DIR), "--sources", str(SEEDS_DIR / "sources.csv"),
                                           "--database-url", db_url], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        with chromium_page(base) as page:
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/outlets")
            page.get_by_role("link", name="Outlets side by side").click()
            page.wait_for_url(base + "/outlet-matrix")
            table = page.locator('table.matrix[data-kind="both_repeat"]')
            table.wait_for()
            rows = table.locator("tbody tr")
            assert rows.count() >= 3     # The Epoch Times, SCMP and Press TV carry the consensus claim
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                assert _page_width(page) <= width, label
                _shoot(page, f"matrix-{label}")
            # the busiest cell between two different outlets
            links = table.locator("td.cell:not(.diag) a")
            counts = [int(n) for n in links.all_inner_texts()]
            assert counts and max(counts) >= 1
            best = links.nth(counts.index(max(counts)))
            label = best.get_attribute("aria-label")
            assert re.fullmatch(r".+ and .+ both repeat \d+ claims?", label), label
            best.click()
            page.wait_for_url(re.compile(r"/outlet-matrix/cell\?"))
            assert page.locator("li.cell-claim").count() == max(counts)
            assert page.locator("li.cell-claim .cell-side").count() == 2 * max(counts)
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                assert _page_width(page) <= width, label
                _shoot(page, f"matrix-cell-{label}")
            page.locator("li.cell-claim .cell-side h4 a").first.click()
            page.wait_for_url(re.compile(r"/outlets/[^/?]+$"))
            record = page.locator(".outlet-record")
            record.wait_for()
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                # the record only: the claims table below it is wider than a phone on every list page
                assert record.evaluate("""e => Math.max(...Array.from(e.querySelectorAll('*'))
                                          .map(x => x.getBoundingClientRect().right))""") <= width, label
                _shoot(page, f"outlet-{label}")
            assert errors == []
