"""Selecting article text in real Chromium: static/app.js must turn the selection into offsets into
the STORED text (here with CRLF line ends, which the browser shows as LF), and the link form with
htmx claim search must create the mention at exactly that span."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim, Mention
from tests.browser import ROOT, chromium_page, require_browser, serve
from tests.test_web_support import RIVER, VALLEY_POST

pytestmark = pytest.mark.e2e

TEXT = VALLEY_POST["text"].replace("\n", "\r\n")
# From inside the quote to past its end: crosses a highlighted mention and plain text.
SELECTED = "at dawn on Friday to protect the lower valley towns,” chief engineer"

SELECT_JS = """(needle) => {
  const root = document.getElementById('article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const locate = (k, end) => {
    for (let n = nodes.length - 1; n >= 0; n--) {
      const [node, at] = nodes[n];
      if (at < k || (at === k && !end)) return [node, k - at];
    }
    return [nodes[0][0], 0];
  };
  const i = all.indexOf(needle);
  const [sn, so] = locate(i, false), [en, eo] = locate(i + needle.length, true);
  const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


@pytest.fixture
def served(tmp_path):
    require_browser()
    if not (ROOT / "static" / "vendor" / "htmx.min.js").exists():
        pytest.skip("htmx not installed (make install)")
    url = f"sqlite:///{tmp_path / 'select.db'}"
    with serve(url) as base:
        yield base, url


def _upload(page, base: str, path: Path) -> None:
    page.goto(base + "/ingest")
    form = page.locator("form.ingest-files")
    form.locator("input[name=files]").set_input_files(str(path))
    form.locator("input[name=outlet]").fill("Valley Post")
    form.get_by_role("button", name="Upload").click()
    page.locator("#ingest-results a.article-link").wait_for()


def test_selection_fills_exact_offsets_and_links_to_a_searched_claim(served, tmp_path):
    base, db_url = served
    path = tmp_path / "valley.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    with chromium_page(base) as page:
        _upload(page, base, path)
        page.locator("#ingest-results a.article-link").click()
        page.wait_for_url("**/articles/*")
        page.evaluate(SELECT_JS, SELECTED)
        start = TEXT.index(SELECTED)
        assert page.locator("#link-start").input_value() == str(start)
        assert page.locator("#link-end").input_value() == str(start + len(SELECTED))

        page.get_by_role("searchbox").fill("flood gates")
        choice = page.locator("#choices input[name=claim_id]:not([value=''])")
        choice.first.wait_for()
        choice.first.check()
        page.locator("#link-form select[name=stance]").select_option("discusses")
        page.get_by_role("button", name="Link", exact=True).click()
        page.locator(".flash a").wait_for()

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        mention = session.scalar(select(Mention).where(Mention.origin == "analyst"))
        claim = session.get(Claim, mention.claim_id)
        assert (mention.start, mention.end) == (start, start + len(SELECTED))
        assert mention.excerpt == SELECTED and mention.stance == "discusses"
        assert claim.text == RIVER
    engine.dispose()
